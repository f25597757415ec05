package dev.qrauth.protocol.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A page of the audit trail ({@code GET /admin/api/v1/audit}), newest first; {@code next_cursor}
 * only when there are more events.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditPage(@JsonProperty("events") List<Entry> events,
                        @JsonProperty("next_cursor") String nextCursor) {

    /** One audit event. */
    public record Entry(
            @JsonProperty("id") long id,
            @JsonProperty("occurred_at") Instant occurredAt,
            @JsonProperty("event_type") String eventType,
            @JsonProperty("actor") String actor,
            @JsonProperty("user_id") String userId,
            @JsonProperty("device_id") UUID deviceId,
            @JsonProperty("transaction_id") UUID transactionId,
            @JsonProperty("client_id") String clientId,
            @JsonProperty("details") String details) {
    }
}
