package dev.qrauth.tokenserver.callback;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.qrauth.tokenserver.TokenServerConfig;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What sending a callback needs of its client: whether it is enabled, its allow-list, its signing
 * secrets and callback credentials (the secrets still under the master key).
 *
 * <p>A callback claimed by the poll reads them in the claim's own statement. A callback written
 * already leased by the state change it reports takes them from a small cache, so that a burst of
 * callbacks for one client costs one read. Every change of a client must be honoured by the next
 * attempt, so whoever changes a client calls {@link #invalidate(String)} (or
 * {@link #invalidateAll()}) once the change has committed: this node's admin API does. A change made
 * on another node is seen here when the entry ages out ({@code tokenserver.callback.sender-cache-ttl})
 * or when that node's change is relayed to this one's {@code invalidate}.
 */
@ApplicationScoped
public class CallbackSenders {

    /** The client's columns that sending reads, from an {@code api_client} aliased {@code c}. */
    static final String COLUMNS = "c.enabled, c.callback_uris, c.callback_signing_secret, "
            + "c.previous_callback_signing_secret, c.previous_secrets_until, c.callback_username, c.callback_password";

    /** A client's sender settings. */
    record Sender(boolean enabled, List<String> callbackUris, byte[] signingSecret, byte[] previousSigningSecret,
                  Instant previousSecretsUntil, String username, byte[] password) {

        /**
         * The secrets that sign a callback sent at {@code now}. During a rotation's overlap the
         * replaced secret signs first, so that a receiver that reads only the first v1 keeps
         * working until it switches to the new secret.
         */
        List<byte[]> signingSecrets(Instant now) {
            return previousSigningSecret != null && previousSecretsUntil != null && previousSecretsUntil.isAfter(now)
                    ? List.of(previousSigningSecret, signingSecret)
                    : List.of(signingSecret);
        }

        /** The settings in a row that has {@link #COLUMNS}; {@code null} when no client joined. */
        static Sender read(ResultSet row) throws SQLException {
            boolean enabled = row.getBoolean("enabled");
            if (row.wasNull()) {
                return null;
            }
            Array uris = row.getArray("callback_uris");
            OffsetDateTime until = row.getObject("previous_secrets_until", OffsetDateTime.class);
            return new Sender(enabled, List.of((String[]) uris.getArray()), row.getBytes("callback_signing_secret"),
                    row.getBytes("previous_callback_signing_secret"), until == null ? null : until.toInstant(),
                    row.getString("callback_username"), row.getBytes("callback_password"));
        }
    }

    private final AgroalDataSource dataSource;
    private final Cache<String, Sender> cache;
    /** Moved by every invalidation, so that a read that raced with one is not kept. */
    private final AtomicLong generation = new AtomicLong();

    CallbackSenders(AgroalDataSource dataSource, TokenServerConfig config) {
        this.dataSource = dataSource;
        this.cache = Caffeine.newBuilder().expireAfterWrite(config.callback().senderCacheTtl()).maximumSize(10_000)
                .build();
    }

    /** Forgets what this node knows of {@code clientId}'s settings: call it after a change committed. */
    public void invalidate(String clientId) {
        generation.incrementAndGet();
        cache.invalidate(clientId);
    }

    /** Forgets every client's settings, for changes that cannot name their clients. */
    public void invalidateAll() {
        generation.incrementAndGet();
        cache.invalidateAll();
    }

    /** The settings of {@code clientId}, or {@code null} when it no longer exists. Blocks on a read. */
    Sender get(String clientId) throws SQLException {
        Sender known = cache.getIfPresent(clientId);
        if (known != null) {
            return known;
        }
        long seen = generation.get();
        Sender sender;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT " + COLUMNS + " FROM api_client c WHERE c.client_id = ?")) {
            query.setString(1, clientId);
            try (ResultSet row = query.executeQuery()) {
                sender = row.next() ? Sender.read(row) : null;
            }
        }
        keep(seen, clientId, sender);
        return sender;
    }

    /** The generation to pass to {@link #keep}, taken before the settings are read. */
    long generation() {
        return generation.get();
    }

    /**
     * Keeps settings read after {@code seen} was taken, unless an invalidation came since: the read
     * may then predate the change that the invalidation announced.
     */
    void keep(long seen, String clientId, Sender sender) {
        if (sender == null || generation.get() != seen) {
            return;
        }
        cache.put(clientId, sender);
        if (generation.get() != seen) {
            // An invalidation between the check and the put may have missed this entry.
            cache.invalidate(clientId);
        }
    }
}
