package dev.qrauth.tokenserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.message.MobileAuthMessage;
import dev.qrauth.protocol.message.Proximity;
import dev.qrauth.tokenserver.transaction.TinyCityDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
                // The phone fetches from loopback, placed here in another country than the browser.
                Path database = TinyCityDatabase.write(Files.createTempFile("city", ".mmdb"), List.of(
                        new TinyCityDatabase.Network("192.0.2.0", 24, "Amsterdam", "Netherlands"),
                        new TinyCityDatabase.Network("127.0.0.0", 8, "Lagos", "Nigeria")));
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

    @Test
    void aPhoneInAnotherCountryThanTheBrowserIsToldSo() {
        TestPortal portal = TestPortal.create();
        String type = RelayDefencesTest.createType(Map.of("proximity", "warn"));
        TestDevice phone = TestDevice.enrolled();
        Response started = portal.initiateRaw(Map.of("type", type, "callback_uri", TestPortal.CALLBACK,
                "message", "Log in", "ip_address", "192.0.2.10")).then().statusCode(200).extract().response();
        MobileAuthMessage message = phone.fetch(started.path("otp"));
        assertThat(message.context().proximity()).isEqualTo(Proximity.OTHER_COUNTRY);
        portal.result(started.path("transaction_id")).then().statusCode(200)
                .body("proximity", org.hamcrest.Matchers.equalTo("other_country"));
    }
}
