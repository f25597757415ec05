package dev.qrauth.tokenserver.device;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A short-lived session of a user on a device; only the token's SHA-256 is stored. */
@Entity
@Table(name = "access_token")
public class AccessToken extends PanacheEntityBase {

    @Id
    @Column(name = "token_hash")
    public String tokenHash;

    @Column(name = "registration_id", nullable = false)
    public Long registrationId;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    /**
     * Whether the session was opened with the duress PIN: every request made with this token acts
     * under duress. Never sent to the device ({@code docs/PROTOCOL.md}, "Duress PIN").
     */
    @Column(nullable = false)
    public boolean duress;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
