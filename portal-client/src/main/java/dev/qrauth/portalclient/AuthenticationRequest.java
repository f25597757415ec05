package dev.qrauth.portalclient;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * The parameters of {@code POST /oauth/api/v4/authenticate/user} ({@code docs/PROTOCOL.md}, "POST
 * /oauth/api/v4/authenticate/user"). Only {@code type} and {@code callbackUri} are required; a
 * null optional parameter is not sent. The token server checks every value and refuses a bad one
 * with code {@code 1003} or {@code 1005}; this type checks only that the required ones are there.
 *
 * @param type           the mobile-auth type, such as {@code login}
 * @param callbackUri    where the token server posts this transaction's callbacks
 * @param message        the short text the phone shows; null for the type's default message
 * @param secureMessage  a longer text that travels only inside the encrypted message
 * @param languageCode   a language tag such as {@code nl-NL}; chooses the default message
 * @param ipAddress      the browser's address, shown on the phone and compared for proximity
 * @param userAgent      the browser's {@code User-Agent}; cut to the 512 characters the server
 *                       takes, and not sent when blank
 * @param expectedUserId the only user whose phone may fetch the request (qrauth's addition), for
 *                       a request meant for one known user such as approving an action
 * @param approvers      for a four-eyes type, the users who may approve instead of the type's group
 *                       (qrauth's addition, {@code docs/PROTOCOL.md}, "Four-eyes approval"); null
 *                       for the type's group, and for any other type
 */
public record AuthenticationRequest(String type, URI callbackUri, String message, String secureMessage,
                                    String languageCode, String ipAddress, String userAgent, String expectedUserId,
                                    List<String> approvers) {

    /** A request that names no approver group. */
    public AuthenticationRequest(String type, URI callbackUri, String message, String secureMessage,
                                 String languageCode, String ipAddress, String userAgent, String expectedUserId) {
        this(type, callbackUri, message, secureMessage, languageCode, ipAddress, userAgent, expectedUserId, null);
    }

    /** The longest {@code user_agent} the token server takes, in UTF-16 code units. */
    static final int MAX_USER_AGENT = 512;

    public AuthenticationRequest {
        Objects.requireNonNull(type, "type == null");
        Objects.requireNonNull(callbackUri, "callbackUri == null");
        if (userAgent != null) {
            userAgent = userAgent.isBlank() ? null : truncate(userAgent, MAX_USER_AGENT);
        }
        approvers = approvers == null ? null : List.copyOf(approvers);
    }

    /** A request of {@code type} whose callbacks go to {@code callbackUri}; add the rest with the builder. */
    public static Builder builder(String type, URI callbackUri) {
        return new Builder(type, callbackUri);
    }

    /** Builds an {@link AuthenticationRequest}; every setter takes null for "do not send". */
    public static final class Builder {
        private final String type;
        private final URI callbackUri;
        private String message;
        private String secureMessage;
        private String languageCode;
        private String ipAddress;
        private String userAgent;
        private String expectedUserId;
        private List<String> approvers;

        private Builder(String type, URI callbackUri) {
            this.type = Objects.requireNonNull(type, "type == null");
            this.callbackUri = Objects.requireNonNull(callbackUri, "callbackUri == null");
        }

        public Builder message(String message) {
            this.message = message;
            return this;
        }

        public Builder secureMessage(String secureMessage) {
            this.secureMessage = secureMessage;
            return this;
        }

        public Builder languageCode(String languageCode) {
            this.languageCode = languageCode;
            return this;
        }

        /** The browser's address and {@code User-Agent}: what the phone shows about who is asking. */
        public Builder browser(String ipAddress, String userAgent) {
            this.ipAddress = ipAddress;
            this.userAgent = userAgent;
            return this;
        }

        public Builder expectedUserId(String expectedUserId) {
            this.expectedUserId = expectedUserId;
            return this;
        }

        /**
         * The users of a four-eyes request who may approve it, instead of its type's group; sent
         * comma-separated, so none may hold a comma.
         */
        public Builder approvers(List<String> approvers) {
            if (approvers != null) {
                for (String userId : approvers) {
                    Objects.requireNonNull(userId, "approver == null");
                    if (userId.contains(",")) {
                        throw new IllegalArgumentException("an approver's user id cannot hold a comma: " + userId);
                    }
                }
            }
            this.approvers = approvers;
            return this;
        }

        public AuthenticationRequest build() {
            return new AuthenticationRequest(type, callbackUri, message, secureMessage, languageCode, ipAddress,
                    userAgent, expectedUserId, approvers);
        }
    }

    static String truncate(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        // Do not cut a surrogate pair in half.
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end);
    }
}
