package dev.qrauth.tokenserver.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeolocationTest {

    @TempDir
    Path directory;

    @Test
    void namesTheCityAndCountryOfAKnownAddress() throws Exception {
        Path database = TinyCityDatabase.write(directory.resolve("city.mmdb"), "192.0.2.0", 24, "Amsterdam", "Netherlands");
        Geolocation geolocation = new Geolocation(Optional.of(database));
        assertThat(geolocation.locate("192.0.2.10")).isEqualTo("Amsterdam, Netherlands");
        assertThat(geolocation.locate("198.51.100.7")).isNull();
        assertThat(geolocation.locate("2001:db8::1")).isNull();
        assertThat(geolocation.locate(null)).isNull();
    }

    @Test
    void withoutADatabaseThereIsNoLocation() {
        assertThat(new Geolocation(Optional.empty()).locate("192.0.2.10")).isNull();
    }

    @Test
    void anUnreadableDatabaseFailsAtStart() throws Exception {
        Path garbage = Files.writeString(directory.resolve("garbage.mmdb"), "not a database");
        assertThatThrownBy(() -> new Geolocation(Optional.of(garbage))).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("tokenserver.geoip.database");
    }
}
