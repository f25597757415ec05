package dev.qrauth.tokenserver;

import static dev.qrauth.tokenserver.TestApi.admin;
import static dev.qrauth.tokenserver.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.qrauth.protocol.message.MobileAuthAnswer;
import dev.qrauth.protocol.message.MobileAuthMessage;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rotating codes (docs/PROTOCOL.md, "GET .../transaction/{transaction_id}/frame"): a type with
 * {@code rotation_seconds} gives its transactions a new code every period while the portal asks;
 * a phone fetches with the current code or, for one more period, the one it replaced.
 */
@QuarkusTest
class RotatingFramesTest {

    private static final int PERIOD = 2;
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    /** A portal with a rotating type of {@link #PERIOD} seconds. */
    private record Rotating(TestPortal portal, String type) {

        static Rotating create() {
            TestPortal portal = TestPortal.create();
            String type = unique("rotating");
            admin().body(Map.of("name", type, "method", "OTP", "time_to_live_seconds", 60,
                            "default_message", "Log in", "rotation_seconds", PERIOD))
                    .post("/admin/api/v1/mobile-auth-types").then().statusCode(201)
                    .body("rotation_seconds", equalTo(PERIOD));
            return new Rotating(portal, type);
        }

        Response initiate() {
            return portal.initiate(type, TestPortal.CALLBACK);
        }

        Response frame(String transactionId) {
            return portal.client.auth().get("/oauth/api/v4/authenticate/transaction/{id}/frame", transactionId);
        }

        /** Asks for the frame until one numbered at least {@code number} is made; returns its answer. */
        Response awaitFrame(String transactionId, int number) {
            List<Response> last = new ArrayList<>(1);
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> {
                Response answer = frame(transactionId).then().statusCode(200).extract().response();
                last.add(0, answer);
                return answer.<Integer>path("frame") >= number;
            });
            return last.get(0);
        }
    }

    private static void awaitPeriodAfter(Instant start) {
        Instant due = start.plusSeconds(PERIOD).plusMillis(50);
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> Instant.now().isAfter(due));
    }

    @Test
    void theInitiationNamesThePeriodAndOffersNoShortCode() {
        Rotating rotating = Rotating.create();
        // The first initiation of a client takes the full path, the next the hot path: both alike.
        for (int i = 0; i < 2; i++) {
            Response started = rotating.initiate();
            assertThat(started.<Integer>path("rotation_seconds")).isEqualTo(PERIOD);
            assertThat(started.<String>path("short_code")).isNull();
            rotating.frame(started.path("transaction_id")).then().statusCode(200)
                    .body("frame", equalTo(0)).body("otp", equalTo(started.path("otp")))
                    .body("rotation_seconds", equalTo(PERIOD)).body("status", equalTo("PENDING"));
        }
        Response plain = TestPortal.create().initiate();
        assertThat(plain.<Integer>path("rotation_seconds")).isNull();
        assertThat(plain.<String>path("short_code")).isNotNull();
    }

    @Test
    void aPeriodLaterTheFrameEndpointMakesANewCode() {
        Rotating rotating = Rotating.create();
        Response started = rotating.initiate();
        String id = started.path("transaction_id");

        Response first = rotating.awaitFrame(id, 1);

        assertThat(first.<Integer>path("frame")).isEqualTo(1);
        assertThat(first.<String>path("otp")).isNotEqualTo(started.path("otp"));
        // Within the period the portal is given the same frame again.
        rotating.frame(id).then().statusCode(200).body("frame", equalTo(1)).body("otp", equalTo(first.path("otp")));
    }

    @Test
    void theCurrentFrameFetchesAndLogsIn() {
        TestDevice phone = TestDevice.enrolled();
        Rotating rotating = Rotating.create();
        String id = rotating.initiate().path("transaction_id");
        String current = rotating.awaitFrame(id, 1).path("otp");

        MobileAuthMessage message = phone.fetch(current);
        phone.answerRaw(MobileAuthAnswer.confirm(message, null)).then().statusCode(200)
                .body("status", equalTo("CONFIRMED"));

        rotating.portal.result(id).then().statusCode(200).body("status", equalTo("CONFIRMED"))
                .body("user_id", equalTo(phone.userId()));
        // The portal stops: no code, the state instead.
        rotating.frame(id).then().statusCode(200).body("status", equalTo("CONFIRMED")).body("otp", nullValue());
    }

    @Test
    void thePreviousFrameStillFetchesWithinTheNextPeriod() {
        TestDevice phone = TestDevice.enrolled();
        Rotating rotating = Rotating.create();
        Response started = rotating.initiate();
        String id = started.path("transaction_id");
        rotating.awaitFrame(id, 1);

        // A scan of the code shown a moment ago, in flight while the page changed.
        MobileAuthMessage message = phone.fetch(started.path("otp"));

        assertThat(message.transactionId().toString()).isEqualTo(id);
        phone.answerRaw(MobileAuthAnswer.confirm(message, null)).then().statusCode(200);
        rotating.portal.result(id).then().body("status", equalTo("CONFIRMED"));
    }

    @Test
    void thePreviousFrameIsNotFoundOnceItsPeriodHasPassed() {
        TestDevice phone = TestDevice.enrolled();
        Rotating rotating = Rotating.create();
        Response started = rotating.initiate();
        String id = started.path("transaction_id");
        Response current = rotating.awaitFrame(id, 1);
        awaitPeriodAfter(Instant.now());

        phone.fetchRaw(started.path("otp")).then().statusCode(404).body("error", equalTo("NOT_FOUND"));
        // The transaction itself is still open to the current code.
        assertThat(phone.fetch(current.path("otp")).transactionId().toString()).isEqualTo(id);
    }

    @Test
    void aFrameOlderThanTwoPeriodsIsNotFound() {
        TestDevice phone = TestDevice.enrolled();
        Rotating rotating = Rotating.create();
        Response started = rotating.initiate();
        String id = started.path("transaction_id");
        String second = rotating.awaitFrame(id, 1).path("otp");
        String third = rotating.awaitFrame(id, 2).path("otp");

        phone.fetchRaw(started.path("otp")).then().statusCode(404).body("error", equalTo("NOT_FOUND"));
        assertThat(Set.of(started.path("otp"), second, third)).hasSize(3);
        assertThat(phone.fetch(third).transactionId().toString()).isEqualTo(id);
    }

    @Test
    void concurrentFrameCallsMakeOneNewFrame() throws Exception {
        TestDevice phone = TestDevice.enrolled();
        Rotating rotating = Rotating.create();
        Response started = rotating.initiate();
        String id = started.path("transaction_id");
        awaitPeriodAfter(Instant.now());

        int calls = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(calls);
        try {
            List<CompletableFuture<Response>> answers = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                    return rotating.frame(id);
                }, pool));
            }
            go.countDown();
            Set<String> otps = new HashSet<>();
            Set<Integer> frames = new HashSet<>();
            for (CompletableFuture<Response> answer : answers) {
                Response response = answer.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
                otps.add(response.path("otp"));
                frames.add(response.path("frame"));
            }
            assertThat(frames).containsExactly(1);
            assertThat(otps).hasSize(1);
            // The one frame made is the current one: none was lost to another call.
            assertThat(phone.fetch(otps.iterator().next()).transactionId().toString()).isEqualTo(id);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anotherClientIsRefusedAsForTheResult() {
        Rotating rotating = Rotating.create();
        String id = rotating.initiate().path("transaction_id");
        TestPortal other = TestPortal.create();

        other.client.auth().get("/oauth/api/v4/authenticate/transaction/{id}/frame", id)
                .then().statusCode(404).body("error_code", equalTo("3004"));
        other.result(id).then().statusCode(404).body("error_code", equalTo("3004"));
        rotating.frame(java.util.UUID.randomUUID().toString()).then().statusCode(404).body("error_code", equalTo("3004"));
        rotating.frame("not-a-uuid").then().statusCode(404).body("error_code", equalTo("3004"));
        io.restassured.RestAssured.given().get("/oauth/api/v4/authenticate/transaction/{id}/frame", id)
                .then().statusCode(401);
    }

    @Test
    void aTypeWithoutRotationHasNoFrames() {
        TestPortal portal = TestPortal.create();
        String id = portal.initiate().path("transaction_id");

        portal.client.auth().get("/oauth/api/v4/authenticate/transaction/{id}/frame", id)
                .then().statusCode(404).body("error_code", equalTo("9004"));
    }

    @Test
    void aCancelledTransactionAnswersItsState() {
        Rotating rotating = Rotating.create();
        String id = rotating.initiate().path("transaction_id");
        rotating.portal.client.auth().delete("/oauth/api/v4/authenticate/transaction/{id}", id)
                .then().statusCode(204);

        rotating.frame(id).then().statusCode(200).body("status", equalTo("CANCELLED")).body("otp", nullValue())
                .body("frame", equalTo(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "0", "-3", "301", "60", "90", "\"fast\""})
    void badRotationPeriodsAreRefused(String value) {
        // 60 and 90: not less than the type's time to live of 60.
        admin().body("{\"name\":\"" + unique("rot") + "\",\"method\":\"OTP\",\"time_to_live_seconds\":60,"
                        + "\"rotation_seconds\":" + value + "}")
                .post("/admin/api/v1/mobile-auth-types").then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void aChangeKeepsThePeriodBelowTheTimeToLive() {
        String name = unique("rot");
        admin().body(Map.of("name", name, "method", "OTP", "time_to_live_seconds", 30, "default_message", "Log in"))
                .post("/admin/api/v1/mobile-auth-types").then().statusCode(201).body("rotation_seconds", nullValue());

        admin().body(Map.of("rotation_seconds", 30)).patch("/admin/api/v1/mobile-auth-types/{n}", name)
                .then().statusCode(400).body("error", equalTo("invalid_request"));
        admin().body(Map.of("rotation_seconds", 10)).patch("/admin/api/v1/mobile-auth-types/{n}", name)
                .then().statusCode(200).body("rotation_seconds", equalTo(10));
        admin().body(Map.of("time_to_live_seconds", 10)).patch("/admin/api/v1/mobile-auth-types/{n}", name)
                .then().statusCode(400).body("error", equalTo("invalid_request"));
        admin().get("/admin/api/v1/mobile-auth-types").then().statusCode(200)
                .body("find { it.name == '" + name + "' }.rotation_seconds", equalTo(10))
                .body("find { it.name == '" + name + "' }.time_to_live_seconds", equalTo(30));
    }
}
