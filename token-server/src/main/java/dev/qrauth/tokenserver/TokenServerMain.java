package dev.qrauth.tokenserver;

import dev.qrauth.tokenserver.security.MasterKey;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Refuses to start without the master key outside dev and test, starts the embedded PostgreSQL
 * when no external database is configured, then the server; stops the database after the server
 * has shut down.
 */
@QuarkusMain
public final class TokenServerMain {

    private TokenServerMain() {
    }

    public static void main(String... args) {
        if (!LaunchMode.current().isDevOrTest() && ConfigProvider.getConfig()
                .getOptionalValue("tokenserver.master-key", String.class).filter(key -> !key.isBlank()).isEmpty()) {
            // Said before anything starts, rather than as the cause of a failed boot. Logging is
            // not configured before Quarkus runs (a message logged now would be lost), so the
            // message goes to standard error as a process's refusal to start does.
            System.err.println(MasterKey.MISSING);
            System.exit(1);
        }
        EmbeddedDatabase database = EmbeddedDatabase.startIfNeeded();
        try {
            Quarkus.run(args);
        } finally {
            database.close();
        }
    }
}
