package dev.qrauth.tokenserver.admin;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The generated admin password's hash, used only when none is configured. */
@Entity
@Table(name = "admin_credential")
public class AdminCredential extends PanacheEntityBase {

    @Id
    public String username;

    @Column(name = "password_hash", nullable = false)
    public String passwordHash;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
