package dev.qrauth.tokenserver;

import dev.qrauth.tokenserver.callback.CallbackSettings;
import dev.qrauth.tokenserver.cluster.ClusterSettings;
import dev.qrauth.tokenserver.security.AuthFailureBudget;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Every {@code tokenserver.*} setting of the server. The key names are part of the product: the
 * README's configuration table and the docs name them, operators set them. A key under
 * {@code tokenserver.} that is not listed here, set in a properties file or as a system property,
 * is refused at start, so a misspelt key fails instead of silently leaving the default in place. Values SmallRye Config cannot check by their type
 * (ranges, and keys that depend on each other) are checked at start by {@link ConfigurationCheck}.
 *
 * <p>Defaults are in {@code application.properties} unless a method carries {@link WithDefault}.
 *
 * <p>The mapping has no {@code toString} of its own, so printing it shows no value: the master
 * key and the admin password stay out of logs.
 */
@ConfigMapping(prefix = "tokenserver")
public interface TokenServerConfig {

    /**
     * {@code tokenserver.data-dir}: the server's own directory (the embedded PostgreSQL's data,
     * its password, a generated admin password).
     */
    Path dataDir();

    /**
     * {@code tokenserver.postgres-binaries-dir}: where the embedded PostgreSQL's binaries are
     * unpacked. It is read before the application starts ({@link EmbeddedDatabase}), so not
     * through this mapping; it is listed so that setting it is not refused as unknown.
     */
    Optional<Path> postgresBinariesDir();

    /**
     * {@code tokenserver.master-key}: base64 of 32 random bytes; a secret, never logged. Checked by
     * {@link dev.qrauth.tokenserver.security.MasterKey}, whose messages never repeat it.
     */
    Optional<String> masterKey();

    Admin admin();

    Hashing hashing();

    /** {@code tokenserver.pin.*}. */
    Pin pin();

    /** {@code tokenserver.access-token.ttl}: lifetime of an access token after PIN login. */
    Lifetime accessToken();

    /** {@code tokenserver.activation-code.ttl}: lifetime of an activation code. */
    Lifetime activationCode();

    ClientSecret clientSecret();

    Initiation initiation();

    /** {@code tokenserver.pending-cap}: open (pending or scanned) transactions per API client. */
    int pendingCap();

    Fetch fetch();

    Sweep sweep();

    Retention retention();

    CallbackSettings callback();

    ClusterSettings cluster();

    AuthFailureBudget authFailures();

    Audit audit();

    DeviceRegistration deviceRegistration();

    Geoip geoip();

    /** {@code tokenserver.admin.*}: the admin API's credentials. */
    interface Admin {

        /** The admin API user. */
        String username();

        /**
         * The admin API password; a secret, never logged. Unset (or blank): one is generated at the
         * first start and only its hash is kept.
         */
        Optional<String> password();
    }

    /** {@code tokenserver.hashing.*}: the Argon2id cost for PINs and secrets. */
    interface Hashing {

        @WithDefault("19456")
        int argon2MemoryKib();

        @WithDefault("2")
        int argon2Iterations();
    }

    /** {@code tokenserver.pin.*}. */
    interface Pin {

        /** Wrong PINs in a row after which the user is removed from the device. */
        int maxFailedAttempts();
    }

    /** How long something issued stays valid. */
    interface Lifetime {

        Duration ttl();
    }

    /** {@code tokenserver.client-secret.*}. */
    interface ClientSecret {

        /** How long replaced client and callback signing secrets stay valid when a rotation does not say. */
        Duration overlap();
    }

    /**
     * {@code tokenserver.initiation.*}: the token bucket per API client for initiations, for all
     * nodes on one database together.
     */
    interface Initiation {

        /** Initiations per second. */
        double rate();

        /** The most initiations at once after a quiet time. */
        double burst();
    }

    /** {@code tokenserver.fetch.*}: failed OTP fetches a device may make per window. */
    interface Fetch {

        int maxFailures();

        Duration failureWindow();
    }

    /** {@code tokenserver.sweep.*}: the expiry sweep. */
    interface Sweep {

        /** How often expired transactions are swept (read by the schedule of {@code ExpirySweep}). */
        Duration interval();

        /** How many transactions one database transaction expires. */
        int batchSize();
    }

    /** {@code tokenserver.retention.*}: what is deleted, and how often. */
    interface Retention {

        /** Finished transactions and callbacks older than this are deleted. */
        Duration finishedAge();

        /** Devices that never had a user are deleted this long after their registration. */
        @WithDefault("P1D")
        Duration unusedDeviceAge();

        /** How often the purge runs (read by the schedule of {@code RetentionPurge}). */
        Duration interval();

        /** Rows deleted per database transaction. */
        int batchSize();
    }

    /** {@code tokenserver.audit.*}. */
    interface Audit {

        /** Audit events of refused requests written per event type per minute (per node). */
        @WithDefault("600")
        int refusalsPerMinute();
    }

    /** {@code tokenserver.device-registration.*}: anonymous registrations per source address (per node). */
    interface DeviceRegistration {

        @WithDefault("10")
        int perAddress();

        /** Over which a spent budget refills. */
        @WithDefault("PT1H")
        Duration window();
    }

    /** {@code tokenserver.geoip.*}. */
    interface Geoip {

        /** A MaxMind-format city database; without one, browsers are not located. */
        Optional<Path> database();
    }
}
