package dev.qrauth.tokenserver.authtype;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

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

    @Column(name = "number_matching", nullable = false)
    public boolean numberMatching;

    @Column(name = "max_message_length", nullable = false)
    public int maxMessageLength;

    /** A {@link ProximityPolicy} wire name. */
    @Column(nullable = false)
    public String proximity;

    @Column(name = "reverse_code", nullable = false)
    public boolean reverseCode;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
