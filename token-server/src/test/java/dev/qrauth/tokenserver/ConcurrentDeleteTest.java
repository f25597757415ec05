package dev.qrauth.tokenserver;

import static dev.qrauth.tokenserver.TestApi.admin;
import static dev.qrauth.tokenserver.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.qrauth.protocol.message.MobileAuthAnswer;
import dev.qrauth.protocol.message.MobileAuthMessage;
import dev.qrauth.tokenserver.security.Secrets;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Two changes of the same row at once: two deletions, a deletion of a user while something is
 * added for it, two creations of the same user. The one that comes second finds the row gone (or
 * there) and answers as for a row already deleted (or existing), never 500. The race is made
 * certain rather than hoped for: the test changes the row itself in a transaction of its own,
 * holds that transaction open until the server's request waits on its lock, and only then commits.
 */
@QuarkusTest
class ConcurrentDeleteTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aDeviceDeregisteredTwiceAtOnceAnswersTheSecondCallerWithoutAServerError() throws Exception {
        TestApi.Registered registered = TestApi.registerUser();
        Response second = deletedMeanwhile("device", "device_id::text", registered.device().deviceId(),
                () -> registered.device().auth().delete("/device/api/v1/devices/self"));
        assertThat(second.statusCode()).as(second.asString()).isEqualTo(204);
        registered.device().auth().delete("/device/api/v1/devices/self").then().statusCode(401);
    }

    @Test
    void aSessionLoggedOutTwiceAtOnceAnswersTheSecondCallerWithoutAServerError() throws Exception {
        TestApi.Registered registered = TestApi.registerUser();
        String token = registered.login();
        Response second = deletedMeanwhile("access_token", "token_hash", Secrets.sha256Hex(token),
                () -> registered.session(token).delete("/device/api/v1/users/{u}/session", registered.userId()));
        assertThat(second.statusCode()).as(second.asString()).isLessThan(500);
    }

    @Test
    void aTypeDeletedTwiceAtOnceIsNotFoundForTheSecondCaller() throws Exception {
        String name = unique("type");
        admin().body(Map.of("name", name, "method", "OTP", "time_to_live_seconds", 120))
                .post("/admin/api/v1/mobile-auth-types").then().statusCode(201);
        Response second = deletedMeanwhile("mobile_auth_type", "name", name,
                () -> admin().delete("/admin/api/v1/mobile-auth-types/{name}", name));
        assertThat(second.statusCode()).as(second.asString()).isEqualTo(404);
    }

    @Test
    void anActivationCodeAskedForWhileTheUserIsDeletedIsNotFound() throws Exception {
        TestApi.Code user = TestApi.createUser();
        Response answer = deletedMeanwhile("app_user", "user_id", user.userId(),
                () -> admin().post("/admin/api/v1/users/{u}/activation-codes", user.userId()));
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(404);
        admin().get("/admin/api/v1/users/{u}", user.userId()).then().statusCode(404);
    }

    @Test
    void aRegistrationWhileTheUserIsDeletedIsRefusedAndLeavesNoRegistration() throws Exception {
        TestApi.Code user = TestApi.createUser();
        TestApi.DeviceCredentials device = TestApi.registerDevice();
        Response answer = deletedMeanwhile("app_user", "user_id", user.userId(),
                () -> device.auth().body(Map.of("user_id", user.userId(), "activation_code", user.activationCode(),
                        "pin", TestApi.PIN)).post("/device/api/v1/users"));
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(400);
        assertThat(answer.<String>path("error")).isEqualTo("INVALID_ACTIVATION_CODE");
        assertThat(rowsOf("registration", "user_id", user.userId())).isZero();
    }

    @Test
    void anAnswerWhileTheUserIsDeletedIsRefusedAndTheLoginIsNotConfirmed() throws Exception {
        TestDevice phone = TestDevice.enrolled();
        TestPortal portal = TestPortal.create();
        Response started = portal.initiate();
        MobileAuthMessage message = phone.fetch(started.path("otp"));
        Response answer = deletedMeanwhile("app_user", "user_id", phone.userId(),
                () -> phone.answerRaw(MobileAuthAnswer.confirm(message, null)));
        assertThat(answer.statusCode()).as(answer.asString()).isBetween(400, 499);
        String status = portal.result(started.path("transaction_id")).then().statusCode(200).extract().path("status");
        assertThat(status).isNotEqualTo("CONFIRMED");
    }

    @Test
    void aUserCreatedTwiceAtOnceIsAConflictForTheSecondCaller() throws Exception {
        String userId = unique("user");
        Response second = heldMeanwhile("INSERT INTO app_user (user_id, created_at) VALUES (?, now())", userId,
                () -> admin().body(Map.of("user_id", userId)).post("/admin/api/v1/users"));
        assertThat(second.statusCode()).as(second.asString()).isEqualTo(409);
        admin().get("/admin/api/v1/users/{u}", userId).then().statusCode(200);
    }

    /**
     * Deletes the row in an open transaction, sends {@code request} (which reads the row, still
     * there for it, then deletes it and so waits on the lock), commits once the server waits, and
     * returns the server's answer.
     */
    private Response deletedMeanwhile(String table, String keyColumn, String key, Supplier<Response> request)
            throws Exception {
        return heldMeanwhile("DELETE FROM " + table + " WHERE " + keyColumn + " = ?", key, request);
    }

    /**
     * Runs {@code change} (one row, one parameter) in an open transaction, sends {@code request},
     * commits once the server's request waits on a lock, and returns the server's answer.
     */
    private Response heldMeanwhile(String change, String key, Supplier<Response> request) throws Exception {
        try (Connection first = dataSource.getConnection()) {
            first.setAutoCommit(false);
            try (PreparedStatement statement = first.prepareStatement(change)) {
                statement.setString(1, key);
                assertThat(statement.executeUpdate()).as("the test's own change").isEqualTo(1);
            }
            CompletableFuture<Response> answer = CompletableFuture.supplyAsync(request);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .failFast("the request ended before it waited on the lock", answer::isDone)
                    .until(() -> backendsWaitingOnALock() > 0);
            first.commit();
            return answer.get(60, TimeUnit.SECONDS);
        }
    }

    private long rowsOf(String table, String keyColumn, String key) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*) FROM " + table + " WHERE " + keyColumn + " = ?")) {
            query.setString(1, key);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private int backendsWaitingOnALock() throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()");
             ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
