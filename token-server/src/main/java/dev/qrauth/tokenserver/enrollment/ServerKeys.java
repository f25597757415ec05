package dev.qrauth.tokenserver.enrollment;

import dev.qrauth.protocol.pgp.OpenPgp;
import dev.qrauth.protocol.pgp.PgpKey;
import dev.qrauth.tokenserver.security.MasterKey;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * The token server's OpenPGP key: generated at the first start, stored with its secret part
 * under the master key, loaded at every start. Several nodes starting at once agree on one key:
 * only the first insert wins.
 */
@ApplicationScoped
public class ServerKeys {

    private static final Logger LOG = Logger.getLogger(ServerKeys.class);
    private static final OpenPgp PGP = OpenPgp.withDefaultPolicy();

    private final MasterKey masterKey;
    private final EntityManager entities;
    private volatile PgpKey key;

    ServerKeys(MasterKey masterKey, EntityManager entities) {
        this.masterKey = masterKey;
        this.entities = entities;
    }

    @Produces
    @Singleton
    OpenPgp openPgp() {
        return PGP;
    }

    void loadAtStart(@Observes StartupEvent event) {
        LOG.infof("Server OpenPGP key %s", key().fingerprint());
    }

    /** The server's key, generating and storing it on first use. */
    public PgpKey key() {
        PgpKey loaded = key;
        if (loaded == null) {
            synchronized (this) {
                loaded = key;
                if (loaded == null) {
                    loaded = QuarkusTransaction.requiringNew().call(this::loadOrCreate);
                    key = loaded;
                }
            }
        }
        return loaded;
    }

    private PgpKey loadOrCreate() {
        ServerKeyRow row = entities.find(ServerKeyRow.class, ServerKeyRow.ONLY_ID);
        if (row == null) {
            PgpKey generated = PGP.generateKey("qrauth token server");
            entities.createNativeQuery("INSERT INTO server_key (id, fingerprint, certificate, secret_key, created_at) "
                            + "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO NOTHING")
                    .setParameter(1, ServerKeyRow.ONLY_ID)
                    .setParameter(2, generated.fingerprint())
                    .setParameter(3, generated.certificate().toArmoredString())
                    .setParameter(4, masterKey.encrypt(ServerKeyRow.PURPOSE, generated.toArmoredSecret()))
                    .setParameter(5, Instant.now())
                    .executeUpdate();
            row = entities.find(ServerKeyRow.class, ServerKeyRow.ONLY_ID);
        }
        String armored = new String(masterKey.decrypt(ServerKeyRow.PURPOSE, row.secretKey), StandardCharsets.UTF_8);
        return PGP.readKey(armored);
    }
}
