package dev.qrauth.protocol.receipt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.qrauth.protocol.message.AnswerDecision;
import dev.qrauth.protocol.message.DenyReason;
import dev.qrauth.protocol.message.MobileAuthMessage;
import dev.qrauth.protocol.message.RequestContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * What a phone signs when it answers: the exact text it showed, where the request came from,
 * what the user decided and when. {@code docs/PROTOCOL.md}, "Receipt statement". The signed
 * bytes are kept next to this parsed form wherever it travels ({@link SignedReceipt},
 * {@link ReceiptRecord}); this record is never serialised again to check a signature.
 *
 * @param version       {@value #VERSION}
 * @param transactionId the transaction answered
 * @param userId        the user who answered
 * @param deviceId      the device that answered
 * @param portal        the portal's display name as shown
 * @param type          the mobile-auth type
 * @param text          the message as shown
 * @param secureText    the secure message as shown, or null
 * @param context       the request context as shown
 * @param decision      confirmed or denied
 * @param denyReason    with a denial, why, when the user said
 * @param answeredAt    when the user decided, by the phone's clock (whole milliseconds)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReceiptStatement(
        @JsonProperty("version") int version,
        @JsonProperty("transaction_id") UUID transactionId,
        @JsonProperty("user_id") String userId,
        @JsonProperty("device_id") UUID deviceId,
        @JsonProperty("portal") String portal,
        @JsonProperty("type") String type,
        @JsonProperty("text") String text,
        @JsonProperty("secure_text") String secureText,
        @JsonProperty("context") RequestContext context,
        @JsonProperty("decision") AnswerDecision decision,
        @JsonProperty("deny_reason") DenyReason denyReason,
        @JsonProperty("answered_at") Instant answeredAt) {

    public static final int VERSION = 1;

    public ReceiptStatement {
        if (version < 1) {
            throw new IllegalArgumentException("version < 1");
        }
        Objects.requireNonNull(transactionId, "transactionId == null");
        Objects.requireNonNull(userId, "userId == null");
        Objects.requireNonNull(deviceId, "deviceId == null");
        Objects.requireNonNull(portal, "portal == null");
        Objects.requireNonNull(type, "type == null");
        Objects.requireNonNull(text, "text == null");
        context = context == null ? RequestContext.empty() : context;
        Objects.requireNonNull(decision, "decision == null");
        Objects.requireNonNull(answeredAt, "answeredAt == null");
    }

    /** The statement of an answer to {@code message}, as the phone showed it. */
    public static ReceiptStatement of(MobileAuthMessage message, UUID deviceId, AnswerDecision decision,
                                      DenyReason denyReason, Instant answeredAt) {
        return new ReceiptStatement(VERSION, message.transactionId(), message.userId(), deviceId,
                message.portalName(), message.type(), message.message(), message.secureMessage(), message.context(),
                decision, denyReason, answeredAt.truncatedTo(ChronoUnit.MILLIS));
    }
}
