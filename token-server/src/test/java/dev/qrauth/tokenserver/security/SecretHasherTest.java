package dev.qrauth.tokenserver.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretHasherTest {

    final SecretHasher hasher = new SecretHasher(1024, 1);

    @Test
    void verifiesTheRightSecretOnly() {
        String hash = hasher.hash("24680");
        assertThat(hash).startsWith("$argon2id$v=19$m=1024,t=1,p=1$").doesNotContain("24680");
        assertThat(hasher.verify("24680", hash)).isTrue();
        assertThat(hasher.verify("24681", hash)).isFalse();
    }

    @Test
    void theSameSecretHashesDifferentlyEachTime() {
        assertThat(hasher.hash("s")).isNotEqualTo(hasher.hash("s"));
    }

    @Test
    void hashesWithOtherParametersStillVerify() {
        String stronger = new SecretHasher(2048, 2).hash("secret");
        assertThat(hasher.verify("secret", stronger)).isTrue();
    }

    @Test
    void malformedStoredValuesNeverMatch() {
        assertThat(hasher.verify("s", "plain")).isFalse();
        assertThat(hasher.verify("s", "$argon2i$v=19$m=1024,t=1,p=1$AAAA$AAAA")).isFalse();
        assertThat(hasher.verify("s", "$argon2id$v=19$x=1$AAAA$AAAA")).isFalse();
    }

    /** A damaged stored hash is a failed verification, never an exception: one wrong login, not a broken request. */
    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "",
            "$",
            "argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
            "x$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
            "$bcrypt$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
            "$argon2id$v=18$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
            "$argon2id$v=19$m=1024,t=1,p=1$not base64!$aGFzaA",
            "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$***",
            "$argon2id$v=19$m=1024,t=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
            "$argon2id$v=19$m=1024,t=1,p=$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
            "$argon2id$v=19$m=1024,t=x,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
            "$argon2id$v=19$m=1024,t=-1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
            "$argon2id$v=19$m=99999999999,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
            "$argon2id$v=19$m=1024,m=1024,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
            "$argon2id$v=19$m=1024,t=0,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
            "$argon2id$v=19$m=1024,t=1,p=0$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
            "$argon2id$v=19$m=4,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
            "$argon2id$v=19$m=1024,t=1,p=1$$aGFzaA",
            "$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA",
            "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$",
            "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA",
            "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA$extra"})
    void aMalformedStoredHashIsAFailedVerificationNotAnError(String stored) {
        assertThat(hasher.verify("s", stored)).isFalse();
        assertThat(hasher.verifyPin("24680", stored)).isFalse();
    }

    @Test
    void aTruncatedRealHashIsAFailedVerification() {
        String hash = hasher.hash("24680");
        for (int length = 0; length < hash.length(); length++) {
            assertThat(hasher.verify("24680", hash.substring(0, length))).as(hash.substring(0, length)).isFalse();
        }
    }

    @Test
    void aMissingStoredHashIsAFailedVerification() {
        assertThat(hasher.verify("s", null)).isFalse();
    }

    @Test
    void theVerifiedCacheNeverAcceptsAWrongSecret() {
        VerifiedSecrets cache = new VerifiedSecrets(hasher);
        String hash = hasher.hash("right");
        assertThat(cache.matches("right", hash)).isTrue();
        assertThat(cache.matches("right", hash)).isTrue();
        assertThat(cache.matches("wrong", hash)).isFalse();
        assertThat(cache.matches("right", hasher.hash("other"))).isFalse();
    }

    @Test
    void pinVerificationProceedsWhileEverySecretPermitIsTaken() throws Exception {
        String pinHash = hasher.hashPin("24680");
        String secretHash = hasher.hash("right");
        CountDownLatch secretsHashing = new CountDownLatch(2);
        CountDownLatch releaseSecrets = new CountDownLatch(1);
        // Wrong secrets hash until released; anything else hashes at once.
        SecretHasher.Derivation held = (secret, salt, m, t, p) -> {
            if (new String(secret, StandardCharsets.UTF_8).startsWith("wrong")) {
                secretsHashing.countDown();
                try {
                    releaseSecrets.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return SecretHasher.argon2id(secret, salt, m, t, p);
        };
        SecretHasher shared = new SecretHasher(1024, 1, 2, 2, held, new SimpleMeterRegistry());
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            List<Future<Boolean>> wrongSecrets = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                int n = i;
                wrongSecrets.add(threads.submit(() -> shared.verify("wrong" + n, secretHash)));
            }
            assertThat(secretsHashing.await(10, TimeUnit.SECONDS)).as("both secret permits taken").isTrue();
            Future<Boolean> queuedSecret = threads.submit(() -> shared.verify("wrong-queued", secretHash));

            CompletableFuture<Boolean> pin = CompletableFuture.supplyAsync(() -> shared.verifyPin("24680", pinHash));
            // With one pool for both, this PIN would wait for the held secrets and time out.
            assertThat(pin.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(queuedSecret.isDone()).as("a third secret waits for a secret permit").isFalse();
            releaseSecrets.countDown();
            for (Future<Boolean> wrong : wrongSecrets) {
                assertThat(wrong.get(10, TimeUnit.SECONDS)).isFalse();
            }
            assertThat(queuedSecret.get(10, TimeUnit.SECONDS)).isFalse();
        } finally {
            releaseSecrets.countDown();
            threads.shutdownNow();
        }
    }

    @Test
    void pinsAndSecretsAreCountedByPool() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SecretHasher counted = new SecretHasher(1024, 1, 2, 1, (secret, salt, m, t, p) -> new byte[32], registry);
        counted.verifyPin("24680", hasher.hashPin("24680"));
        counted.verify("s", hasher.hash("s"));
        counted.verify("s", hasher.hash("s"));
        assertThat(registry.counter("qrauth.hashing.verifications", "pool", "pin").count()).isEqualTo(1);
        assertThat(registry.counter("qrauth.hashing.verifications", "pool", "credential").count()).isEqualTo(2);
    }
}
