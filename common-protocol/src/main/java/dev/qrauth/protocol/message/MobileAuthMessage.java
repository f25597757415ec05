package dev.qrauth.protocol.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The server-to-device message of flow step 6: what the phone shows before the user confirms
 * or denies. It travels encrypted to the device's enrollment key and signed by the server.
 * {@code docs/PROTOCOL.md}, "MobileAuthMessage".
 *
 * @param version       the envelope version, {@value #VERSION} for this implementation
 * @param transactionId the transaction being confirmed
 * @param userId        the user the transaction is bound to
 * @param type          the mobile-auth type, such as {@code login}
 * @param message       the short text the portal passed
 * @param secureMessage the longer text the portal passed, or null
 * @param portalName    the portal's display name, always shown
 * @param context       where the request came from
 * @param expiresAt     after this instant an answer is refused
 * @param nonce         the value the answer must echo
 * @param numberChoices for a number-matching type the three numbers to offer, else null
 * @param approvals     for a four-eyes transaction, how many must confirm and who did so far, else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MobileAuthMessage(
        @JsonProperty("version") int version,
        @JsonProperty("transaction_id") UUID transactionId,
        @JsonProperty("user_id") String userId,
        @JsonProperty("type") String type,
        @JsonProperty("message") String message,
        @JsonProperty("secure_message") String secureMessage,
        @JsonProperty("portal_name") String portalName,
        @JsonProperty("context") RequestContext context,
        @JsonProperty("expires_at") Instant expiresAt,
        @JsonProperty("nonce") String nonce,
        @JsonProperty("number_choices") List<Integer> numberChoices,
        @JsonProperty("approvals") Approvals approvals) {

    public static final int VERSION = 1;
    public static final int MAX_USER_ID_LENGTH = 255;
    public static final int MAX_TYPE_LENGTH = 64;
    public static final int MAX_MESSAGE_LENGTH = 1024;
    public static final int MAX_SECURE_MESSAGE_LENGTH = 8192;
    public static final int MAX_PORTAL_NAME_LENGTH = 128;

    public MobileAuthMessage {
        if (version < 1) {
            throw new IllegalArgumentException("version < 1");
        }
        Objects.requireNonNull(transactionId, "transactionId == null");
        userId = Fields.required(userId, "user_id", MAX_USER_ID_LENGTH);
        type = Fields.required(type, "type", MAX_TYPE_LENGTH);
        message = Fields.required(message, "message", MAX_MESSAGE_LENGTH);
        secureMessage = Fields.optional(secureMessage, "secure_message", MAX_SECURE_MESSAGE_LENGTH);
        portalName = Fields.required(portalName, "portal_name", MAX_PORTAL_NAME_LENGTH);
        context = context == null ? RequestContext.empty() : context;
        Objects.requireNonNull(expiresAt, "expiresAt == null");
        nonce = Nonce.check(nonce);
        numberChoices = NumberChoices.check(numberChoices);
    }

    /** A message of a transaction one phone approves. */
    public MobileAuthMessage(int version, UUID transactionId, String userId, String type, String message,
                             String secureMessage, String portalName, RequestContext context, Instant expiresAt,
                             String nonce, List<Integer> numberChoices) {
        this(version, transactionId, userId, type, message, secureMessage, portalName, context, expiresAt, nonce,
                numberChoices, null);
    }

    /** Whether the user must pick the number the browser shows. */
    public boolean requiresNumberMatching() {
        return numberChoices != null;
    }
}
