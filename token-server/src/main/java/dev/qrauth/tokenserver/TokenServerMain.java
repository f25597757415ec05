package dev.qrauth.tokenserver;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the embedded PostgreSQL when no external database is configured, then the server;
 * stops the database after the server has shut down.
 */
@QuarkusMain
public final class TokenServerMain {

    private TokenServerMain() {
    }

    public static void main(String... args) {
        EmbeddedDatabase database = EmbeddedDatabase.startIfNeeded();
        try {
            Quarkus.run(args);
        } finally {
            database.close();
        }
    }
}
