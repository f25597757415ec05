package dev.qrauth.tokenserver.device;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A user registered on a device: PIN and duress PIN hashes, failure counter and mobile-auth enrollment. */
@Entity
@Table(name = "registration")
public class Registration extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "device_id", nullable = false)
    public UUID deviceId;

    @Column(name = "user_id", nullable = false)
    public String userId;

    @Column(name = "pin_hash", nullable = false)
    public String pinHash;

    /** The duress PIN's hash (Argon2id, as the PIN's), or null when the user has none. */
    @Column(name = "duress_pin_hash")
    public String duressPinHash;

    @Column(name = "failed_pin_attempts", nullable = false)
    public int failedPinAttempts;

    @Column(name = "device_certificate")
    public String deviceCertificate;

    @Column(name = "device_key_fingerprint")
    public String deviceKeyFingerprint;

    @Column(name = "enrolled_at")
    public Instant enrolledAt;

    /** Set when the server removed the enrollment; the next fetch says USER_DISENROLLED. */
    @Column(name = "disenrolled_at")
    public Instant disenrolledAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public boolean isEnrolled() {
        return deviceCertificate != null;
    }
}
