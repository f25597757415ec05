package dev.qrauth.tokenserver.authtype;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A configured kind of mobile authentication, such as {@code login} or {@code approval}. */
@Entity
@Table(name = "mobile_auth_type")
public class MobileAuthType extends PanacheEntityBase {

    public static final String METHOD_OTP = "OTP";
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 155;

    @Id
    public String name;

    @Column(nullable = false)
    public String method;

    @Column(name = "time_to_live_seconds", nullable = false)
    public int timeToLiveSeconds;

    @Column(name = "default_message")
    public String defaultMessage;

    /** Default messages by lower-case language tag, chosen by an initiation's {@code language_code}. */
    @Convert(converter = DefaultMessagesColumn.class)
    @Column(name = "default_messages", nullable = false)
    public Map<String, String> defaultMessages = Map.of();

    @Column(name = "number_matching", nullable = false)
    public boolean numberMatching;

    @Column(name = "max_message_length", nullable = false)
    public int maxMessageLength;

    /** A {@link ProximityPolicy} wire name. */
    @Column(nullable = false)
    public String proximity;

    @Column(name = "reverse_code", nullable = false)
    public boolean reverseCode;

    /** A {@link DuressPolicy} wire name. */
    @Column(nullable = false)
    public String duress = DuressPolicy.FLAG.wireName;

    /** Seconds between two codes of a transaction ({@code docs/PROTOCOL.md}, "Rotating codes"); null: never. */
    @Column(name = "rotation_seconds")
    public Integer rotationSeconds;

    /**
     * How many distinct users' phones must confirm ({@code docs/PROTOCOL.md}, "Four-eyes
     * approval"); 1 is one phone, as before.
     */
    @Column(name = "required_approvals", nullable = false)
    public int requiredApprovals = 1;

    /** The user ids that may approve a four-eyes transaction of this type unless the initiation names others. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false, columnDefinition = "text[]")
    public String[] approvers = new String[0];

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    /** Moved on by the database at every change of the row (a trigger); never written from here. */
    @Column(insertable = false, updatable = false, nullable = false)
    public long version;

    /**
     * The default message for a transaction in {@code languageCode} (may be null): the one for
     * that exact tag, else the one for its primary language ({@code nl} for {@code nl-BE}), else
     * {@link #defaultMessage}; null when there is none.
     */
    public String defaultMessageFor(String languageCode) {
        return TypeRules.defaultMessageFor(languageCode, defaultMessages, defaultMessage);
    }
}
