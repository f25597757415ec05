package dev.qrauth.tokenserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.PathConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What an operator sees when a {@code tokenserver.*} setting is wrong: the start fails with a
 * message naming the key. The configuration is read as the server reads it (the shipped
 * {@code application.properties}, then what the operator sets), without starting the server.
 */
class ConfigurationCheckTest {

    private static final String ADMIN_PASSWORD = "an-admin-password-of-the-operator";
    private static final String MASTER_KEY = "dGhpcyBpcyBub3QgYSByZWFsIG1hc3RlciBrZXkgISE=";

    @Test
    void theShippedConfigurationHasNoProblemInAnyProfile() {
        assertThat(ConfigurationCheck.problems(mapping("prod", Map.of()))).isEmpty();
        assertThat(ConfigurationCheck.problems(mapping("test", Map.of()))).isEmpty();
    }

    @Test
    void theShippedDefaultsAreTheDocumentedOnes() {
        TokenServerConfig config = mapping("prod", Map.of());
        assertThat(config.dataDir()).isEqualTo(Path.of("./data/token-server"));
        assertThat(config.admin().username()).isEqualTo("admin");
        assertThat(config.admin().password()).isEmpty();
        assertThat(config.masterKey()).isEmpty();
        assertThat(config.hashing().argon2MemoryKib()).isEqualTo(19456);
        assertThat(config.hashing().argon2Iterations()).isEqualTo(2);
        assertThat(config.initiation().rate()).isEqualTo(50);
        assertThat(config.initiation().burst()).isEqualTo(100);
        assertThat(config.pendingCap()).isEqualTo(10000);
        assertThat(config.accessToken().ttl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.activationCode().ttl()).isEqualTo(Duration.ofHours(24));
        assertThat(config.retention().unusedDeviceAge()).isEqualTo(Duration.ofDays(1));
        assertThat(config.sweep().interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.callback().recordInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(config.authFailures().perId()).isEqualTo(5);
        assertThat(config.audit().refusalsPerMinute()).isEqualTo(600);
        assertThat(config.deviceRegistration().perAddress()).isEqualTo(10);
        assertThat(config.deviceRegistration().window()).isEqualTo(Duration.ofHours(1));
        assertThat(config.geoip().database()).isEmpty();
        assertThat(config.postgresBinariesDir()).isEmpty();
    }

    @Test
    void aNegativeRateAZeroBurstAndAZeroBatchAreEachNamedByKey() {
        TokenServerConfig config = mapping("prod", Map.of("tokenserver.initiation.rate", "-1",
                "tokenserver.initiation.burst", "0", "tokenserver.sweep.batch-size", "0"));

        assertThat(ConfigurationCheck.problems(config)).containsExactlyInAnyOrder(
                "tokenserver.initiation.rate must be a number above 0, not -1.0",
                "tokenserver.initiation.burst must be a number of at least 1, not 0.0",
                "tokenserver.sweep.batch-size must be at least 1, not 0");
    }

    @Test
    void theStartFailsWithEveryProblemInOneMessage() {
        TokenServerConfig config = mapping("prod", Map.of("tokenserver.initiation.burst", "0",
                "tokenserver.retention.interval", "0s", "tokenserver.auth-failures.window", "-PT1M"));

        assertThatThrownBy(() -> new ConfigurationCheck().onStart(null, config))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tokenserver.initiation.burst must be")
                .hasMessageContaining("tokenserver.retention.interval must be a duration above zero")
                .hasMessageContaining("tokenserver.auth-failures.window must be a duration above zero");
    }

    @Test
    void keysThatDependOnEachOtherAreCheckedTogether() {
        TokenServerConfig config = mapping("prod", Map.of("tokenserver.cluster.heartbeat-interval", "10s",
                "tokenserver.cluster.member-timeout", "15s", "tokenserver.callback.connect-timeout", "PT10S",
                "tokenserver.callback.read-timeout", "PT20S"));

        assertThat(ConfigurationCheck.problems(config)).hasSize(2)
                .anySatisfy(problem -> assertThat(problem)
                        .startsWith("tokenserver.cluster.member-timeout must be at least twice"))
                .anySatisfy(problem -> assertThat(problem)
                        .startsWith("tokenserver.callback.connect-timeout and tokenserver.callback.read-timeout"));
    }

    @Test
    void anOverlapLongerThanARotationMayAskForIsRefused() {
        assertThat(ConfigurationCheck.problems(mapping("prod", Map.of("tokenserver.client-secret.overlap", "P31D"))))
                .singleElement().asString().startsWith("tokenserver.client-secret.overlap must be from PT0S to");
        assertThat(ConfigurationCheck.problems(mapping("prod", Map.of("tokenserver.client-secret.overlap", "PT0S"))))
                .as("no overlap at all is a choice").isEmpty();
    }

    @Test
    void aMalformedDurationFailsNamingTheKey() {
        assertThatThrownBy(() -> mapping("prod", Map.of("tokenserver.fetch.failure-window", "five minutes")))
                .hasMessageContaining("tokenserver.fetch.failure-window");
    }

    @Test
    void aWordForANumberFailsNamingTheKey() {
        assertThatThrownBy(() -> mapping("prod", Map.of("tokenserver.pending-cap", "many")))
                .hasMessageContaining("tokenserver.pending-cap");
    }

    @Test
    void aMisspeltKeyFailsInsteadOfBeingIgnored() {
        assertThatThrownBy(() -> mapping("prod", Map.of("tokenserver.initiation.rates", "10")))
                .hasMessageContaining("tokenserver.initiation.rates");
    }

    @Test
    void everyKeyTheReadmeDocumentsIsKnown() throws IOException {
        Set<String> documented = new TreeSet<>();
        Matcher keys = Pattern.compile("`(tokenserver\\.[a-z0-9.-]*[a-z0-9])`")
                .matcher(Files.readString(Path.of("../README.md")));
        while (keys.find()) {
            documented.add(keys.group(1));
        }
        assertThat(documented).as("the README's configuration table").hasSizeGreaterThan(30);
        SmallRyeConfig shipped = config("prod", Map.of());
        Map<String, String> everyKeySet = new HashMap<>();
        for (String key : documented) {
            // The shipped value or default, else (a path or a secret without a default) any string.
            everyKeySet.put(key, shipped.getOptionalValue(key, String.class).orElse("set-by-the-operator"));
        }

        assertThat(ConfigurationCheck.problems(mapping("prod", everyKeySet))).isEmpty();
    }

    @Test
    void printingTheConfigurationShowsNoSecret() {
        TokenServerConfig config = mapping("prod", Map.of("tokenserver.master-key", MASTER_KEY,
                "tokenserver.admin.password", ADMIN_PASSWORD));

        assertThat(config.masterKey()).contains(MASTER_KEY);
        assertThat(config.admin().password()).contains(ADMIN_PASSWORD);
        assertThat(config.toString()).doesNotContain(MASTER_KEY).doesNotContain(ADMIN_PASSWORD);
        assertThat(config.admin().toString()).doesNotContain(ADMIN_PASSWORD);
    }

    /** The mapping as the server would see it in {@code profile}, with {@code settings} set by the operator. */
    private static TokenServerConfig mapping(String profile, Map<String, String> settings) {
        return config(profile, settings).getConfigMapping(TokenServerConfig.class);
    }

    private static SmallRyeConfig config(String profile, Map<String, String> settings) {
        URL shipped = ConfigurationCheckTest.class.getClassLoader().getResource("application.properties");
        try {
            return new SmallRyeConfigBuilder()
                    .addDefaultInterceptors()
                    .withProfile(profile)
                    .withConverter(Duration.class, 200, new DurationConverter())
                    .withConverter(Path.class, 200, new PathConverter())
                    .withSources(new PropertiesConfigSource(shipped, 250))
                    .withSources(new PropertiesConfigSource(settings, "operator settings", 400))
                    .withMapping(TokenServerConfig.class)
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
