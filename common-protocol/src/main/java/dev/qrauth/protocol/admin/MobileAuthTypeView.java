package dev.qrauth.protocol.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A mobile-auth type as the admin API takes and shows it ({@code /admin/api/v1/mobile-auth-types}).
 * In a change ({@code PATCH}) every member is optional: a {@code null} one is left out of the JSON
 * and so left as it is.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MobileAuthTypeView(
        @JsonProperty("name") String name,
        @JsonProperty("method") String method,
        @JsonProperty("time_to_live_seconds") Integer timeToLiveSeconds,
        @JsonProperty("default_message") String defaultMessage,
        @JsonProperty("number_matching") Boolean numberMatching,
        @JsonProperty("max_message_length") Integer maxMessageLength,
        @JsonProperty("proximity") String proximity,
        @JsonProperty("reverse_code") Boolean reverseCode,
        @JsonProperty("default_messages") Map<String, String> defaultMessages,
        @JsonProperty("duress") String duress,
        @JsonProperty("rotation_seconds") Integer rotationSeconds,
        @JsonProperty("required_approvals") Integer requiredApprovals,
        @JsonProperty("approvers") List<String> approvers) {

    /** The one method a type can have: the phone answers a one-time password shown as a QR code. */
    public static final String METHOD_OTP = "OTP";

    public MobileAuthTypeView(String name, String method, Integer timeToLiveSeconds, String defaultMessage,
                              Boolean numberMatching, Integer maxMessageLength) {
        this(name, method, timeToLiveSeconds, defaultMessage, numberMatching, maxMessageLength, null, null, null, null,
                null);
    }

    /** A type as it was before the duress policy: the server's default ({@code flag}) for it. */
    public MobileAuthTypeView(String name, String method, Integer timeToLiveSeconds, String defaultMessage,
                              Boolean numberMatching, Integer maxMessageLength, String proximity, Boolean reverseCode,
                              Map<String, String> defaultMessages) {
        this(name, method, timeToLiveSeconds, defaultMessage, numberMatching, maxMessageLength, proximity, reverseCode,
                defaultMessages, null, null);
    }

    /** A type as it was before rotating codes: its code never changes. */
    public MobileAuthTypeView(String name, String method, Integer timeToLiveSeconds, String defaultMessage,
                              Boolean numberMatching, Integer maxMessageLength, String proximity, Boolean reverseCode,
                              Map<String, String> defaultMessages, String duress) {
        this(name, method, timeToLiveSeconds, defaultMessage, numberMatching, maxMessageLength, proximity, reverseCode,
                defaultMessages, duress, null);
    }

    /** A type as it was before four-eyes approval: one phone approves. */
    public MobileAuthTypeView(String name, String method, Integer timeToLiveSeconds, String defaultMessage,
                              Boolean numberMatching, Integer maxMessageLength, String proximity, Boolean reverseCode,
                              Map<String, String> defaultMessages, String duress, Integer rotationSeconds) {
        this(name, method, timeToLiveSeconds, defaultMessage, numberMatching, maxMessageLength, proximity, reverseCode,
                defaultMessages, duress, rotationSeconds, null, null);
    }

    /** A new OTP type with the server's defaults for every member but its name and lifetime. */
    public static MobileAuthTypeView otp(String name, int timeToLiveSeconds) {
        return new MobileAuthTypeView(name, METHOD_OTP, timeToLiveSeconds, null, null, null);
    }

    /** This type with {@code defaultMessage}, shown when a portal sends no message. */
    public MobileAuthTypeView withDefaultMessage(String message) {
        return new MobileAuthTypeView(name, method, timeToLiveSeconds, message, numberMatching, maxMessageLength,
                proximity, reverseCode, defaultMessages, duress, rotationSeconds, requiredApprovals, approvers);
    }

    /** This type with number matching on or off. */
    public MobileAuthTypeView withNumberMatching(boolean on) {
        return new MobileAuthTypeView(name, method, timeToLiveSeconds, defaultMessage, on, maxMessageLength,
                proximity, reverseCode, defaultMessages, duress, rotationSeconds, requiredApprovals, approvers);
    }

    /** This type with the proximity policy {@code off}, {@code warn} or {@code require}. */
    public MobileAuthTypeView withProximity(String policy) {
        return new MobileAuthTypeView(name, method, timeToLiveSeconds, defaultMessage, numberMatching,
                maxMessageLength, policy, reverseCode, defaultMessages, duress, rotationSeconds, requiredApprovals, approvers);
    }

    /** This type with reverse code entry on or off. */
    public MobileAuthTypeView withReverseCode(boolean on) {
        return new MobileAuthTypeView(name, method, timeToLiveSeconds, defaultMessage, numberMatching,
                maxMessageLength, proximity, on, defaultMessages, duress, rotationSeconds, requiredApprovals, approvers);
    }

    /**
     * This type with the duress policy {@code flag} (an approval under a duress PIN completes and
     * is flagged) or {@code refuse} (it does not log in).
     */
    public MobileAuthTypeView withDuress(String policy) {
        return new MobileAuthTypeView(name, method, timeToLiveSeconds, defaultMessage, numberMatching,
                maxMessageLength, proximity, reverseCode, defaultMessages, policy, rotationSeconds, requiredApprovals, approvers);
    }

    /**
     * This type with a new code every {@code seconds} (2 to 300, less than the time to live) while
     * the portal asks for it ({@code docs/PROTOCOL.md}, "Rotating codes").
     */
    public MobileAuthTypeView withRotationSeconds(int seconds) {
        return new MobileAuthTypeView(name, method, timeToLiveSeconds, defaultMessage, numberMatching,
                maxMessageLength, proximity, reverseCode, defaultMessages, duress, seconds, requiredApprovals, approvers);
    }

    /**
     * This type requiring {@code count} (2 to 10) distinct users' phones to confirm, from
     * {@code group} unless an initiation names its own ({@code docs/PROTOCOL.md}, "Four-eyes approval").
     */
    public MobileAuthTypeView withRequiredApprovals(int count, List<String> group) {
        return new MobileAuthTypeView(name, method, timeToLiveSeconds, defaultMessage, numberMatching,
                maxMessageLength, proximity, reverseCode, defaultMessages, duress, rotationSeconds, count, group);
    }
}
