package dev.qrauth.tokenserver;

import static dev.qrauth.tokenserver.TestApi.admin;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PinRaceTest {

    private static final int PARALLEL_ATTEMPTS = 12;

    @Test
    void parallelWrongPinsNeverGetMoreThanTheAllowedGuesses() throws Exception {
        TestApi.Registered registered = TestApi.registerUser();
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_ATTEMPTS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < PARALLEL_ATTEMPTS; i++) {
                Callable<String> attempt = () -> {
                    start.await();
                    return registered.device().auth().body(Map.of("pin", "13579"))
                            .post("/device/api/v1/users/{u}/session", registered.userId())
                            .then().extract().path("error");
                };
                outcomes.add(pool.submit(attempt));
            }
            start.countDown();
            List<String> errors = new ArrayList<>();
            for (Future<String> outcome : outcomes) {
                errors.add(outcome.get(60, TimeUnit.SECONDS));
            }
            // Exactly two answers say "wrong PIN, try again"; every other attempt found the user
            // already removed (or removed it with the third failure). No attempt was lost.
            assertThat(errors).filteredOn("INVALID_PIN"::equals).hasSize(2);
            assertThat(errors).filteredOn("USER_DEREGISTERED"::equals).hasSize(PARALLEL_ATTEMPTS - 2);
        } finally {
            pool.shutdownNow();
        }
        List<String> rejected = admin().queryParam("user_id", registered.userId()).queryParam("limit", 100)
                .get("/admin/api/v1/audit").then().extract().path("events.findAll { it.event_type == 'PIN_REJECTED' }.event_type");
        assertThat(rejected).as("PINs actually checked").hasSize(3);
    }
}
