package dev.qrauth.tokenserver.device;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A registered app installation. Its secret is stored as an Argon2id hash. */
@Entity
@Table(name = "device")
public class Device extends PanacheEntityBase {

    @Id
    @Column(name = "device_id")
    public UUID deviceId;

    @Column(nullable = false)
    public String name;

    @Column(name = "secret_hash", nullable = false)
    public String secretHash;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
