package dev.qrauth.tokenserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.message.MobileAuthMessage;
import dev.qrauth.tokenserver.transaction.TinyCityDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With a GeoIP database configured, the phone is told where the browser is. */
@QuarkusTest
@TestProfile(GeoIpFetchTest.WithGeoIp.class)
class GeoIpFetchTest {

    public static class WithGeoIp implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path database = TinyCityDatabase.write(Files.createTempFile("city", ".mmdb"),
                        "192.0.2.0", 24, "Amsterdam", "Netherlands");
                database.toFile().deleteOnExit();
                return Map.of("tokenserver.geoip.database", database.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void theMessageCarriesTheBrowsersLocation() {
        TestPortal portal = TestPortal.create();
        TestDevice phone = TestDevice.enrolled();
        Response started = portal.initiate();
        MobileAuthMessage message = phone.fetch(started.path("otp"));
        assertThat(message.context().ipAddress()).isEqualTo("192.0.2.10");
        assertThat(message.context().location()).isEqualTo("Amsterdam, Netherlands");
    }
}
