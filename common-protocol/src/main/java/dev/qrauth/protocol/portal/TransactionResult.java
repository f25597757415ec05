package dev.qrauth.protocol.portal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.qrauth.protocol.message.TransactionStatus;
import java.time.Instant;
import java.util.UUID;

/**
 * {@code GET /oauth/api/v4/authenticate/transaction/{transaction_id}}: the Onegini result fields
 * and the additions {@code status} and {@code expires_at}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TransactionResult(
        @JsonProperty("transaction_id") UUID transactionId,
        @JsonProperty("callback_uri") String callbackUri,
        @JsonProperty("timestamp") Instant timestamp,
        @JsonProperty("user_id") String userId,
        @JsonProperty("is_authenticated") boolean isAuthenticated,
        @JsonProperty("authentication_method") String authenticationMethod,
        @JsonProperty("not_authenticated_reason") Reason notAuthenticatedReason,
        @JsonProperty("status") TransactionStatus status,
        @JsonProperty("expires_at") Instant expiresAt) {

    /** Why a transaction did not authenticate: {@code not_accepted}, {@code fraud_reported}, ... */
    public record Reason(@JsonProperty("reason") String reason, @JsonProperty("description") String description) {
    }
}
