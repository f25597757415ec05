package dev.qrauth.protocol.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/** An API client as the admin API shows it: its settings, never a secret. */
public record ClientView(
        @JsonProperty("client_id") String clientId,
        @JsonProperty("name") String name,
        @JsonProperty("display_name") String displayName,
        @JsonProperty("callback_uris") List<String> callbackUris,
        @JsonProperty("callback_username") String callbackUsername,
        @JsonProperty("callback_on_scan") boolean callbackOnScan,
        @JsonProperty("enabled") boolean enabled,
        @JsonProperty("rotation_overlap_until") Instant rotationOverlapUntil,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt) {
}
