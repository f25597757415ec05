package dev.qrauth.tokenserver.transaction;

import dev.qrauth.protocol.message.TransactionStatus;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One mobile authentication, {@code docs/PROTOCOL.md} "Transaction state machine". Rows are
 * read through this entity; every change of {@link #status} is a conditional SQL update in
 * {@link Transactions}, never a write through the entity.
 */
@Entity
@Table(name = "mobile_auth_transaction")
public class MobileAuthTransaction extends PanacheEntityBase {

    @Id
    @Column(name = "transaction_id")
    public UUID transactionId;

    @Column(name = "client_id", nullable = false)
    public String clientId;

    @Column(name = "type_name", nullable = false)
    public String typeName;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public TransactionStatus status;

    @Column(name = "code_hash", nullable = false)
    public String codeHash;

    @Column(name = "callback_uri", nullable = false)
    public String callbackUri;

    @Column(nullable = false)
    public String message;

    @Column(name = "secure_message")
    public String secureMessage;

    @Column(name = "language_code")
    public String languageCode;

    @Column(name = "ip_address")
    public String ipAddress;

    @Column(name = "user_agent")
    public String userAgent;

    @Column(name = "binding_code")
    public Integer bindingCode;

    public String nonce;

    /** The only user whose phone may fetch this transaction, when the portal named one. */
    @Column(name = "expected_user_id")
    public String expectedUserId;

    @Column(name = "user_id")
    public String userId;

    @Column(name = "device_id")
    public UUID deviceId;

    /** Why the transaction did not authenticate, once it ended that way. */
    public String reason;

    /** The cause of a refusal the user did not choose ({@code proximity}, {@code reverse_code}). */
    @Column(name = "reason_detail")
    public String reasonDetail;

    /** The type's proximity policy at initiation. */
    @Column(name = "proximity_policy", nullable = false)
    public String proximityPolicy;

    /** The type's duress policy at initiation. */
    @Column(name = "duress_policy", nullable = false)
    public String duressPolicy;

    /** Set by an answer given under a duress PIN ({@code docs/PROTOCOL.md}, "Duress PIN"). */
    @Column(nullable = false)
    public boolean duress;

    /** How close the fetching phone was to the browser, when the policy is not off. */
    public String proximity;

    /** Whether the browser must type a code the phone shows after approving. */
    @Column(name = "reverse_code", nullable = false)
    public boolean reverseCode;

    /** Set once the phone approved a reverse-code transaction; the transaction stays SCANNED. */
    @Column(name = "reverse_code_hash")
    public String reverseCodeHash;

    @Column(name = "reverse_code_failures", nullable = false)
    public int reverseCodeFailures;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "scanned_at")
    public Instant scannedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** The type's rotation period at initiation; null when the code never changes. */
    @Column(name = "rotation_seconds")
    public Integer rotationSeconds;

    /** The number of the current frame of a rotating code, 0 for the initiation's code. */
    @Column(nullable = false)
    public int frame;

    /** When the current frame was made; null for frame 0, made at {@link #createdAt}. */
    @Column(name = "frame_at")
    public Instant frameAt;

    /** The hash of the code the current frame replaced, valid for a fetch until {@link #previousCodeUntil}. */
    @Column(name = "previous_code_hash")
    public String previousCodeHash;

    @Column(name = "previous_code_until")
    public Instant previousCodeUntil;

    /** How many distinct users must confirm: 1, or more for four-eyes approval ({@link FourEyes}). */
    @Column(name = "required_approvals", nullable = false)
    public int requiredApprovals;
}
