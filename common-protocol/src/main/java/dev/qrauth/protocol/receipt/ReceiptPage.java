package dev.qrauth.protocol.receipt;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * A page of a user's receipt chain, in order of {@code seq}, and whether more follow: the
 * answer of {@code GET /device/api/v1/users/{user_id}/receipts} and the file format of a chain
 * export. {@code docs/PROTOCOL.md}, "Receipt chain".
 */
public record ReceiptPage(
        @JsonProperty("receipts") List<ReceiptRecord> receipts,
        @JsonProperty("more") boolean more) {

    public static final int MAX_LIMIT = 500;

    public ReceiptPage {
        receipts = List.copyOf(Objects.requireNonNull(receipts, "receipts == null"));
    }
}
