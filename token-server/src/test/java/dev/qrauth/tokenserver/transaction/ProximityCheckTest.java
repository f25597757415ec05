package dev.qrauth.tokenserver.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.message.Proximity;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the phone's address is classified against the browser's, {@code docs/PROTOCOL.md} "Proximity". */
class ProximityCheckTest {

    @TempDir
    Path directory;

    private final ProximityCheck withoutGeoIp = new ProximityCheck(new Geolocation(Optional.empty()));

    @Test
    void theSameAddressIsTheSameNetwork() {
        assertThat(withoutGeoIp.classify("203.0.113.7", "203.0.113.7")).isEqualTo(Proximity.SAME_ADDRESS);
        assertThat(withoutGeoIp.classify("2001:db8:1:2::7", "2001:0db8:0001:0002:0:0:0:7")).isEqualTo(Proximity.SAME_ADDRESS);
    }

    @Test
    void theSameIpv4Slash24IsTheSameNetwork() {
        assertThat(withoutGeoIp.classify("203.0.113.7", "203.0.113.250")).isEqualTo(Proximity.SAME_NETWORK);
        assertThat(withoutGeoIp.classify("203.0.113.7", "203.0.112.7")).isEqualTo(Proximity.OTHER_NETWORK);
    }

    @Test
    void theSameIpv6Slash48IsTheSameNetwork() {
        assertThat(withoutGeoIp.classify("2001:db8:aa::1", "2001:db8:aa:ffff::2")).isEqualTo(Proximity.SAME_NETWORK);
        assertThat(withoutGeoIp.classify("2001:db8:aa::1", "2001:db8:ab::1")).isEqualTo(Proximity.OTHER_NETWORK);
        assertThat(withoutGeoIp.classify("fe80::1%eth0", "fe80::2")).isEqualTo(Proximity.SAME_NETWORK);
    }

    @Test
    void anIpv4BrowserAndAnIpv6PhoneAreOnAnotherNetwork() {
        assertThat(withoutGeoIp.classify("203.0.113.7", "2001:db8::1")).isEqualTo(Proximity.OTHER_NETWORK);
        // An IPv4-mapped IPv6 address is the IPv4 address.
        assertThat(withoutGeoIp.classify("203.0.113.7", "::ffff:203.0.113.9")).isEqualTo(Proximity.SAME_NETWORK);
    }

    @Test
    void withoutTheBrowsersAddressProximityIsUnknown() {
        assertThat(withoutGeoIp.classify(null, "203.0.113.7")).isEqualTo(Proximity.UNKNOWN);
        assertThat(withoutGeoIp.classify("203.0.113.7", null)).isEqualTo(Proximity.UNKNOWN);
        assertThat(withoutGeoIp.classify("example.org", "203.0.113.7")).isEqualTo(Proximity.UNKNOWN);
    }

    @Test
    void withAGeoIpDatabaseAnotherCountryIsNamed() throws Exception {
        Path database = TinyCityDatabase.write(directory.resolve("city.mmdb"), List.of(
                new TinyCityDatabase.Network("192.0.2.0", 24, "Amsterdam", "Netherlands"),
                new TinyCityDatabase.Network("198.51.100.0", 24, "Utrecht", "Netherlands"),
                new TinyCityDatabase.Network("203.0.113.0", 24, "Lagos", "Nigeria")));
        ProximityCheck check = new ProximityCheck(new Geolocation(Optional.of(database)));
        assertThat(check.classify("192.0.2.10", "203.0.113.7")).isEqualTo(Proximity.OTHER_COUNTRY);
        assertThat(check.classify("192.0.2.10", "198.51.100.7")).isEqualTo(Proximity.OTHER_NETWORK);
        // A country the database does not know is not "another country".
        assertThat(check.classify("192.0.2.10", "100.64.0.1")).isEqualTo(Proximity.OTHER_NETWORK);
        assertThat(check.classify("192.0.2.10", "192.0.2.99")).isEqualTo(Proximity.SAME_NETWORK);
    }
}
