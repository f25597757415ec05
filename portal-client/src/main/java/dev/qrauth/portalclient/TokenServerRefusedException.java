package dev.qrauth.portalclient;

import dev.qrauth.protocol.error.PortalErrorCode;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The token server answered, but not with success: a coded error of the portal API
 * ({@code docs/PROTOCOL.md}, "Portal API errors", such as {@code 1003} for a bad parameter or
 * {@code 3004} for an unknown transaction), a refused client ({@code 401 invalid_client}), or
 * any other status. The server's description is kept for the log, cut short and with line breaks
 * and invisible characters replaced, so it can be written or shown as it is.
 */
public final class TokenServerRefusedException extends TokenServerException {

    /** The form parameters a {@code 1003} can name: its description then begins with one. */
    private static final Set<String> PARAMETERS = Set.of("type", "callback_uri", "message", "secure_message",
            "language_code", "ip_address", "user_agent", "user_id", "expected_user_id", "code");
    private static final int MAX_DESCRIPTION = 300;

    private final int errorCode;
    private final String description;
    private final String oauthError;
    private final Duration retryAfter;

    TokenServerRefusedException(String call, int status, int errorCode, String description, String oauthError,
                                Duration retryAfter) {
        super(message(call, status, errorCode, clean(description), oauthError), status, null);
        this.errorCode = errorCode;
        this.description = clean(description);
        this.oauthError = oauthError;
        this.retryAfter = retryAfter;
    }

    /**
     * The portal API's error code ({@code error_code}), such as {@code 1003}; 0 when the answer
     * carried none (a refused client, or a body that is not an error of the portal API).
     */
    public int errorCode() {
        return errorCode;
    }

    /** The error code as a constant, when it is one this version knows. */
    public Optional<PortalErrorCode> knownCode() {
        return Optional.ofNullable(PortalErrorCode.fromCode(errorCode));
    }

    /**
     * The server's words for the refusal ({@code description}, or {@code error_description} of a
     * refused client, or the start of an unreadable body); for people, not for parsing.
     */
    public String description() {
        return description;
    }

    /**
     * The OAuth error of a refused client authentication: {@code invalid_client} ({@code 401}:
     * wrong, unknown or disabled client credentials) or {@code invalid_request}.
     */
    public Optional<String> oauthError() {
        return Optional.ofNullable(oauthError);
    }

    /**
     * For a {@code 1003}, the request parameter the server refused, such as {@code callback_uri}:
     * the spec promises that such a description begins with the parameter's name. A refused
     * {@code callback_uri} is usually the administrator's to fix (the client's allow-list), not the
     * request's.
     */
    public Optional<String> refusedParameter() {
        if (errorCode != PortalErrorCode.INVALID_PARAMETER.code()) {
            return Optional.empty();
        }
        int end = 0;
        while (end < description.length() && (Character.isLetterOrDigit(description.charAt(end))
                || description.charAt(end) == '_')) {
            end++;
        }
        String first = description.substring(0, end);
        return PARAMETERS.contains(first) ? Optional.of(first) : Optional.empty();
    }

    @Override
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    private static String message(String call, int status, int errorCode, String description, String oauthError) {
        StringBuilder text = new StringBuilder("the token server refused to ").append(call)
                .append(": HTTP ").append(status);
        if (errorCode != 0) {
            text.append(", error ").append(errorCode);
        } else if (oauthError != null) {
            text.append(", ").append(oauthError);
        }
        if (!description.isEmpty()) {
            text.append(": ").append(description);
        }
        return text.toString();
    }

    private static String clean(String text) {
        if (text == null) {
            return "";
        }
        return AuthenticationRequest.truncate(text, MAX_DESCRIPTION).replaceAll("[\\p{Cc}\\p{Cf}]", "?");
    }
}
