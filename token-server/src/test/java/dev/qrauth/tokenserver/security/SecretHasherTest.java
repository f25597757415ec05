package dev.qrauth.tokenserver.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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

    @Test
    void theVerifiedCacheNeverAcceptsAWrongSecret() {
        VerifiedSecrets cache = new VerifiedSecrets(hasher);
        String hash = hasher.hash("right");
        assertThat(cache.matches("right", hash)).isTrue();
        assertThat(cache.matches("right", hash)).isTrue();
        assertThat(cache.matches("wrong", hash)).isFalse();
        assertThat(cache.matches("right", hasher.hash("other"))).isFalse();
    }
}
