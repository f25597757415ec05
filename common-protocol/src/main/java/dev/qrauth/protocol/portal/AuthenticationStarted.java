package dev.qrauth.protocol.portal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.UUID;

/**
 * The answer to {@code POST /oauth/api/v4/authenticate/user}: the Onegini fields
 * ({@code transaction_id}, {@code auth_method}, {@code time_to_live} in milliseconds, {@code otp})
 * and the additions {@code expires_at} and, for a number-matching type, {@code binding_code}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuthenticationStarted(
        @JsonProperty("transaction_id") UUID transactionId,
        @JsonProperty("auth_method") String authMethod,
        @JsonProperty("time_to_live") long timeToLive,
        @JsonProperty("otp") String otp,
        @JsonProperty("expires_at") Instant expiresAt,
        @JsonProperty("binding_code") Integer bindingCode) {

    public static final String AUTH_METHOD_OTP = "OTP";
}
