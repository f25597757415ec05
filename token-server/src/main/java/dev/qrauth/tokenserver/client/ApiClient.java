package dev.qrauth.tokenserver.client;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A portal allowed to use the portal API. Its secrets are hashed or encrypted, never in clear. */
@Entity
@Table(name = "api_client")
public class ApiClient extends PanacheEntityBase {

    @Id
    @Column(name = "client_id")
    public String clientId;

    @Column(nullable = false, unique = true)
    public String name;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    /** Argon2id of the client secret. */
    @Column(name = "secret_hash", nullable = false)
    public String secretHash;

    /** The callback signing secret under the master key (the server must sign with it). */
    @Column(name = "callback_signing_secret", nullable = false)
    public byte[] callbackSigningSecret;

    /** The allow-list of callback URIs; empty means any http or https URI. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "callback_uris", nullable = false, columnDefinition = "text[]")
    public String[] callbackUris;

    @Column(name = "callback_username")
    public String callbackUsername;

    /** The callback Basic password under the master key. */
    @Column(name = "callback_password")
    public byte[] callbackPassword;

    @Column(name = "callback_on_scan", nullable = false)
    public boolean callbackOnScan;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** A disabled client is refused like an unknown one, and nothing is sent to it. */
    @Column(nullable = false)
    public boolean enabled;

    /** The client secret replaced by the last rotation, accepted until {@link #previousSecretsUntil}. */
    @Column(name = "previous_secret_hash")
    public String previousSecretHash;

    /** The signing secret replaced by the last rotation, under the master key; signs too until then. */
    @Column(name = "previous_callback_signing_secret")
    public byte[] previousCallbackSigningSecret;

    @Column(name = "previous_secrets_until")
    public Instant previousSecretsUntil;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** Whether the secrets replaced by the last rotation are still in their overlap at {@code now}. */
    public boolean inOverlap(Instant now) {
        return previousSecretsUntil != null && previousSecretsUntil.isAfter(now);
    }

    /** The associated data that binds this client's encrypted columns to it. */
    public static String signingSecretPurpose(String clientId) {
        return "callback-signing-secret:" + clientId;
    }

    public static String callbackPasswordPurpose(String clientId) {
        return "callback-password:" + clientId;
    }
}
