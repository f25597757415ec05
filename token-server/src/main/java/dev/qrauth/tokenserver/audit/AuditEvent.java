package dev.qrauth.tokenserver.audit;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One security-relevant event. Never holds a secret. */
@Entity
@Table(name = "audit_event")
public class AuditEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    @Column(nullable = false)
    public String actor;

    @Column(name = "user_id")
    public String userId;

    @Column(name = "device_id")
    public UUID deviceId;

    @Column(name = "transaction_id")
    public UUID transactionId;

    @Column(name = "client_id")
    public String clientId;

    public String details;
}
