package dev.qrauth.adminclient;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Which audit events to list ({@code GET /admin/api/v1/audit}): every filter given must match.
 * Immutable; each method returns a new query. {@code AuditQuery.all().userId("alice").limit(10)}.
 */
public final class AuditQuery {

    private final Map<String, String> parameters;

    private AuditQuery(Map<String, String> parameters) {
        this.parameters = parameters;
    }

    /** Every event, newest first, in pages of the server's default size. */
    public static AuditQuery all() {
        return new AuditQuery(Map.of());
    }

    public AuditQuery userId(String userId) {
        return with("user_id", userId);
    }

    public AuditQuery deviceId(UUID deviceId) {
        return with("device_id", Objects.requireNonNull(deviceId, "deviceId == null").toString());
    }

    public AuditQuery transactionId(UUID transactionId) {
        return with("transaction_id", Objects.requireNonNull(transactionId, "transactionId == null").toString());
    }

    public AuditQuery clientId(String clientId) {
        return with("client_id", clientId);
    }

    /** Events of any of these types, such as {@code USER_CREATED} ({@code docs/PROTOCOL.md} lists them). */
    public AuditQuery types(String... types) {
        return with("type", String.join(",", List.of(types)));
    }

    /** Events at or after {@code from}. */
    public AuditQuery from(Instant from) {
        return with("from", Objects.requireNonNull(from, "from == null").toString());
    }

    /** Events before {@code to}. */
    public AuditQuery to(Instant to) {
        return with("to", Objects.requireNonNull(to, "to == null").toString());
    }

    /** At most this many events in the page. */
    public AuditQuery limit(int limit) {
        return with("limit", Integer.toString(limit));
    }

    /** The page after the one that answered this {@code next_cursor}. */
    public AuditQuery cursor(String cursor) {
        return with("cursor", cursor);
    }

    /** The query string, empty or beginning with {@code ?}. */
    String queryString() {
        if (parameters.isEmpty()) {
            return "";
        }
        return parameters.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&", "?", ""));
    }

    private AuditQuery with(String name, String value) {
        Objects.requireNonNull(value, name + " == null");
        Map<String, String> next = new LinkedHashMap<>(parameters);
        next.put(name, value);
        return new AuditQuery(next);
    }
}
