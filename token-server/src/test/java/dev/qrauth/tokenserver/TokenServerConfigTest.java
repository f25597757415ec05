package dev.qrauth.tokenserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The settings as the running server has them (the test profile of {@code application.properties}). */
@QuarkusTest
class TokenServerConfigTest {

    @Inject
    TokenServerConfig config;

    @Test
    void theRunningServerHasTheTestProfilesValuesAndNoProblem() {
        assertThat(config.admin().password()).contains("test-admin-password");
        assertThat(config.hashing().argon2MemoryKib()).isEqualTo(1024);
        assertThat(config.callback().maxInFlight()).isEqualTo(48);
        assertThat(ConfigurationCheck.problems(config)).isEmpty();
    }

    @Test
    void printingTheSettingsShowsNoSecret() {
        assertThat(config.toString()).doesNotContain("test-admin-password");
        assertThat(config.admin().toString()).doesNotContain("test-admin-password");
    }
}
