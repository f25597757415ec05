package dev.qrauth.tokenserver.transaction;

import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.model.CityResponse;
import dev.qrauth.tokenserver.TokenServerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Where a browser's IP address is, for the phone to show ("Amsterdam, Netherlands"), from a
 * MaxMind-format city database ({@code .mmdb}) named by {@code tokenserver.geoip.database}.
 * Without one, or for an address it does not know, there is no location.
 */
@ApplicationScoped
public class Geolocation {

    private static final Logger LOG = Logger.getLogger(Geolocation.class);

    private final DatabaseReader reader;

    @Inject
    Geolocation(TokenServerConfig config) {
        this(config.geoip().database());
    }

    Geolocation(Optional<Path> database) {
        this.reader = database.map(Geolocation::open).orElse(null);
    }

    private static DatabaseReader open(Path database) {
        try {
            DatabaseReader reader = new DatabaseReader.Builder(database.toFile()).build();
            LOG.infof("Locating browsers with %s (%s)", database, reader.getMetadata().getDatabaseType());
            return reader;
        } catch (IOException e) {
            throw new UncheckedIOException("tokenserver.geoip.database cannot be read: " + database, e);
        }
    }

    /**
     * The country of an address (its ISO code, else its name), or null when there is no database
     * or it does not know the address. {@code ipAddress} must be an IP literal, never a name.
     */
    public String country(String ipAddress) {
        if (reader == null || ipAddress == null) {
            return null;
        }
        try {
            Optional<CityResponse> found = reader.tryCity(InetAddress.getByName(ipAddress));
            if (found.isEmpty()) {
                return null;
            }
            String isoCode = found.get().getCountry().getIsoCode();
            return isoCode != null ? isoCode : found.get().getCountry().getName();
        } catch (IOException | com.maxmind.geoip2.exception.GeoIp2Exception | RuntimeException e) {
            LOG.debugf("No country for an address: %s", e.getClass().getSimpleName());
            return null;
        }
    }

    /** "City, Country", "Country", or null. {@code ipAddress} must be an IP literal, never a name. */
    public String locate(String ipAddress) {
        if (reader == null || ipAddress == null) {
            return null;
        }
        try {
            Optional<CityResponse> found = reader.tryCity(InetAddress.getByName(ipAddress));
            if (found.isEmpty()) {
                return null;
            }
            String city = found.get().getCity().getName();
            String country = found.get().getCountry().getName();
            if (city != null && country != null) {
                return city + ", " + country;
            }
            return city != null ? city : country;
        } catch (IOException | com.maxmind.geoip2.exception.GeoIp2Exception | RuntimeException e) {
            LOG.debugf("No location for an address: %s", e.getClass().getSimpleName());
            return null;
        }
    }
}
