package dev.qrauth.protocol.message;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * How far a four-eyes transaction is ({@code docs/PROTOCOL.md}, "Four-eyes approval"): how many
 * distinct users must confirm and who already did, in order. Part of the {@link MobileAuthMessage}
 * so that each approver's phone shows who approved before.
 *
 * @param required   how many distinct users must confirm, 2 to {@value #MAX_REQUIRED}
 * @param approvedBy the users who confirmed so far, fewer than {@code required}
 */
public record Approvals(@JsonProperty("required") int required,
                        @JsonProperty("approved_by") List<String> approvedBy) {

    public static final int MAX_REQUIRED = 10;

    public Approvals {
        if (required < 2 || required > MAX_REQUIRED) {
            throw new IllegalArgumentException("required must be 2 to " + MAX_REQUIRED);
        }
        approvedBy = approvedBy == null ? List.of() : List.copyOf(approvedBy);
        if (approvedBy.size() >= required) {
            throw new IllegalArgumentException("approved_by holds as many users as are required");
        }
        for (String userId : approvedBy) {
            Fields.required(userId, "approved_by", MobileAuthMessage.MAX_USER_ID_LENGTH);
        }
    }
}
