package dev.qrauth.protocol.portal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.UUID;

/**
 * The answer to {@code POST /oauth/api/v4/authenticate/user}: the Onegini fields
 * ({@code transaction_id}, {@code auth_method}, {@code time_to_live} in milliseconds, {@code otp})
 * and the additions {@code expires_at}, for a number-matching type {@code binding_code}, and for
 * a type with reverse code entry {@code reverse_code: true} (the browser will be asked for the
 * code the phone shows once it approves), and {@code short_code}, what a person can type into the
 * app instead of scanning ({@link dev.qrauth.protocol.otp.ShortCode}; absent for a rotating type),
 * and for a rotating type {@code rotation_seconds}: the portal may ask for a new code that often
 * ({@code GET .../transaction/{transaction_id}/frame}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuthenticationStarted(
        @JsonProperty("transaction_id") UUID transactionId,
        @JsonProperty("auth_method") String authMethod,
        @JsonProperty("time_to_live") long timeToLive,
        @JsonProperty("otp") String otp,
        @JsonProperty("expires_at") Instant expiresAt,
        @JsonProperty("binding_code") Integer bindingCode,
        @JsonProperty("reverse_code") Boolean reverseCode,
        @JsonProperty("short_code") String shortCode,
        @JsonProperty("rotation_seconds") Integer rotationSeconds) {

    /**
     * The {@code auth_method} of the answer and the {@code authentication_method} of the result:
     * lower case, as Onegini writes them ({@code push}, {@code sms}, {@code push_with_pin}). The
     * availability endpoints name the method in upper case ({@link AvailableTypes#METHOD_OTP}).
     */
    public static final String AUTH_METHOD_OTP = "otp";

    public AuthenticationStarted(UUID transactionId, String authMethod, long timeToLive, String otp, Instant expiresAt,
                                 Integer bindingCode) {
        this(transactionId, authMethod, timeToLive, otp, expiresAt, bindingCode, null, null, null);
    }

    public AuthenticationStarted(UUID transactionId, String authMethod, long timeToLive, String otp, Instant expiresAt,
                                 Integer bindingCode, Boolean reverseCode) {
        this(transactionId, authMethod, timeToLive, otp, expiresAt, bindingCode, reverseCode, null, null);
    }

    /** An answer for a type whose code never changes. */
    public AuthenticationStarted(UUID transactionId, String authMethod, long timeToLive, String otp, Instant expiresAt,
                                 Integer bindingCode, Boolean reverseCode, String shortCode) {
        this(transactionId, authMethod, timeToLive, otp, expiresAt, bindingCode, reverseCode, shortCode, null);
    }

    /** Whether the code rotates: the portal may ask for the current frame every {@code rotation_seconds}. */
    public boolean rotates() {
        return rotationSeconds != null;
    }

    /** Whether the browser must type the code the phone shows before the login completes. */
    public boolean requiresReverseCode() {
        return Boolean.TRUE.equals(reverseCode);
    }
}
