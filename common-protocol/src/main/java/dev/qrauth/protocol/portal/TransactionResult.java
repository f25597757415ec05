package dev.qrauth.protocol.portal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.qrauth.protocol.message.Proximity;
import dev.qrauth.protocol.message.TransactionStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /oauth/api/v4/authenticate/transaction/{transaction_id}}: the Onegini result fields
 * and the additions {@code status}, {@code expires_at}, {@code proximity} (once a phone fetched,
 * for a type that checks it), while the phone's approval waits for the code the user types
 * into the browser {@code awaiting_reverse_code} and {@code reverse_code_attempts_left}, and
 * {@code fraud_reported: true} when the user denied and reported the request as not theirs.
 * {@code duress: true} when the phone answered under its user's duress PIN ({@code docs/PROTOCOL.md},
 * "Duress PIN"). For a four-eyes transaction {@code required_approvals} and {@code approvers}, the
 * users who confirmed so far in order ({@code docs/PROTOCOL.md}, "Four-eyes approval"); absent
 * for any other. {@code timestamp} is the moment the transaction was initiated, on the wire in epoch
 * milliseconds as Onegini sends it; {@code not_authenticated_reason} is present only after a
 * final failure ({@code docs/PROTOCOL.md}, "GET /oauth/api/v4/authenticate/transaction").
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TransactionResult(
        @JsonProperty("transaction_id") UUID transactionId,
        @JsonProperty("callback_uri") String callbackUri,
        @JsonProperty("timestamp") @JsonSerialize(using = EpochMillis.Serializer.class)
        @JsonDeserialize(using = EpochMillis.Deserializer.class) Instant timestamp,
        @JsonProperty("user_id") String userId,
        @JsonProperty("is_authenticated") boolean isAuthenticated,
        @JsonProperty("authentication_method") String authenticationMethod,
        @JsonProperty("not_authenticated_reason") Reason notAuthenticatedReason,
        @JsonProperty("status") TransactionStatus status,
        @JsonProperty("expires_at") Instant expiresAt,
        @JsonProperty("proximity") Proximity proximity,
        @JsonProperty("awaiting_reverse_code") Boolean awaitingReverseCode,
        @JsonProperty("reverse_code_attempts_left") Integer reverseCodeAttemptsLeft,
        @JsonProperty("fraud_reported") Boolean fraudReported,
        @JsonProperty("duress") Boolean duress,
        @JsonProperty("required_approvals") Integer requiredApprovals,
        @JsonProperty("approvers") List<String> approvers) {

    public TransactionResult {
        approvers = approvers == null ? null : List.copyOf(approvers);
    }

    /** A result of a transaction one phone approves. */
    public TransactionResult(UUID transactionId, String callbackUri, Instant timestamp, String userId,
                             boolean isAuthenticated, String authenticationMethod, Reason notAuthenticatedReason,
                             TransactionStatus status, Instant expiresAt, Proximity proximity,
                             Boolean awaitingReverseCode, Integer reverseCodeAttemptsLeft, Boolean fraudReported,
                             Boolean duress) {
        this(transactionId, callbackUri, timestamp, userId, isAuthenticated, authenticationMethod,
                notAuthenticatedReason, status, expiresAt, proximity, awaitingReverseCode, reverseCodeAttemptsLeft,
                fraudReported, duress, null, null);
    }

    /** This result with the four-eyes members: how many must confirm and who did so far. */
    public TransactionResult withApprovals(int required, List<String> approvedBy) {
        return new TransactionResult(transactionId, callbackUri, timestamp, userId, isAuthenticated,
                authenticationMethod, notAuthenticatedReason, status, expiresAt, proximity, awaitingReverseCode,
                reverseCodeAttemptsLeft, fraudReported, duress, required, approvedBy);
    }

    /** A result without the duress flag. */
    public TransactionResult(UUID transactionId, String callbackUri, Instant timestamp, String userId,
                             boolean isAuthenticated, String authenticationMethod, Reason notAuthenticatedReason,
                             TransactionStatus status, Instant expiresAt, Proximity proximity,
                             Boolean awaitingReverseCode, Integer reverseCodeAttemptsLeft, Boolean fraudReported) {
        this(transactionId, callbackUri, timestamp, userId, isAuthenticated, authenticationMethod,
                notAuthenticatedReason, status, expiresAt, proximity, awaitingReverseCode, reverseCodeAttemptsLeft,
                fraudReported, null);
    }

    /** A result without the fraud flag. */
    public TransactionResult(UUID transactionId, String callbackUri, Instant timestamp, String userId,
                             boolean isAuthenticated, String authenticationMethod, Reason notAuthenticatedReason,
                             TransactionStatus status, Instant expiresAt, Proximity proximity,
                             Boolean awaitingReverseCode, Integer reverseCodeAttemptsLeft) {
        this(transactionId, callbackUri, timestamp, userId, isAuthenticated, authenticationMethod,
                notAuthenticatedReason, status, expiresAt, proximity, awaitingReverseCode, reverseCodeAttemptsLeft, null, null);
    }

    /** A result without the relay defences' members. */
    public TransactionResult(UUID transactionId, String callbackUri, Instant timestamp, String userId,
                             boolean isAuthenticated, String authenticationMethod, Reason notAuthenticatedReason,
                             TransactionStatus status, Instant expiresAt) {
        this(transactionId, callbackUri, timestamp, userId, isAuthenticated, authenticationMethod,
                notAuthenticatedReason, status, expiresAt, null, null, null, null, null);
    }

    /** Whether the user denied and reported the request as not theirs ("this wasn't me"). */
    public boolean isFraudReported() {
        return Boolean.TRUE.equals(fraudReported);
    }

    /** Whether the phone answered under its user's duress PIN. */
    public boolean isDuress() {
        return Boolean.TRUE.equals(duress);
    }

    /** Whether the portal must now ask the browser for the code the phone shows. */
    public boolean isAwaitingReverseCode() {
        return Boolean.TRUE.equals(awaitingReverseCode);
    }

    /**
     * Why a transaction did not authenticate: {@code not_accepted}, {@code invalid_answer},
     * {@code expired}, {@code cancelled}...
     * {@code detail} (our addition) names the cause of a refusal the user did not choose, so a
     * portal can say what to do: {@code proximity} ("approve from a phone on the same network"),
     * {@code reverse_code} (the code typed into the browser was wrong too often).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Reason(@JsonProperty("reason") String reason, @JsonProperty("description") String description,
                         @JsonProperty("detail") String detail) {

        public static final String DETAIL_PROXIMITY = "proximity";
        public static final String DETAIL_REVERSE_CODE = "reverse_code";

        public Reason(String reason, String description) {
            this(reason, description, null);
        }
    }
}
