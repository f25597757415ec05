package dev.qrauth.tokenserver;

import static dev.qrauth.tokenserver.TestApi.admin;
import static dev.qrauth.tokenserver.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
 * Two deletions of the same row at once: the one that comes second finds the row gone and answers
 * as for a row already deleted, never 500. The race is made certain rather than hoped for: the
 * test deletes the row itself in a transaction of its own, holds that transaction open until the
 * server's deletion waits on its lock, and only then commits.
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

    /**
     * Deletes the row in an open transaction, sends {@code request} (which reads the row, still
     * there for it, then deletes it and so waits on the lock), commits once the server waits, and
     * returns the server's answer.
     */
    private Response deletedMeanwhile(String table, String keyColumn, String key, Supplier<Response> request)
            throws Exception {
        try (Connection first = dataSource.getConnection()) {
            first.setAutoCommit(false);
            try (PreparedStatement delete = first.prepareStatement(
                    "DELETE FROM " + table + " WHERE " + keyColumn + " = ?")) {
                delete.setString(1, key);
                assertThat(delete.executeUpdate()).as("the test's own deletion").isEqualTo(1);
            }
            CompletableFuture<Response> answer = CompletableFuture.supplyAsync(request);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .failFast("the request ended before it waited on the lock", answer::isDone)
                    .until(() -> backendsWaitingOnALock() > 0);
            first.commit();
            return answer.get(60, TimeUnit.SECONDS);
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
