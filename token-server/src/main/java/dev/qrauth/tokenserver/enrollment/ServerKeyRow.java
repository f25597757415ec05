package dev.qrauth.tokenserver.enrollment;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The stored server key: certificate in clear, secret key under the master key. */
@Entity
@Table(name = "server_key")
public class ServerKeyRow extends PanacheEntityBase {

    public static final int ONLY_ID = 1;
    public static final String PURPOSE = "server-secret-key";

    @Id
    public Integer id;

    @Column(nullable = false)
    public String fingerprint;

    @Column(nullable = false)
    public String certificate;

    @Column(name = "secret_key", nullable = false)
    public byte[] secretKey;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
