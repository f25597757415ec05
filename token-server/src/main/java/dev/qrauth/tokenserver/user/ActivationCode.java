package dev.qrauth.tokenserver.user;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A single-use code that lets a user register on a device; only its SHA-256 is stored. */
@Entity
@Table(name = "activation_code")
public class ActivationCode extends PanacheEntityBase {

    @Id
    @Column(name = "code_hash")
    public String codeHash;

    @Column(name = "user_id", nullable = false)
    public String userId;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
