package dev.qrauth.adminclient;

import dev.qrauth.protocol.error.AdminError;
import java.time.Duration;
import java.util.Optional;

/**
 * The token server answered the admin API with an error: its status and its error body
 * ({@code docs/PROTOCOL.md}, "Admin API": {@code {"error": "conflict", "error_message": "..."}}),
 * such as {@code 404 not_found} for an unknown user or {@code 409 conflict} for a name that is
 * taken. A body that is not that error is kept, cut short, as {@link #errorMessage()}.
 */
public final class AdminRefusedException extends AdminClientException {

    private static final int MAX_MESSAGE = 300;

    private final String error;
    private final String errorMessage;
    private final Duration retryAfter;

    AdminRefusedException(String call, int status, AdminError body, Duration retryAfter) {
        super(message(call, status, body), status, null);
        this.error = body.error();
        this.errorMessage = clean(body.errorMessage());
        this.retryAfter = retryAfter;
    }

    /** The error's code, such as {@code not_found}, {@code conflict} or {@code invalid_request}; empty without one. */
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    /** The server's words for the refusal; for people, not for parsing. */
    public String errorMessage() {
        return errorMessage;
    }

    /** How long the server asked to wait ({@code Retry-After} with {@code 429} or {@code 503}). */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    private static String message(String call, int status, AdminError body) {
        StringBuilder text = new StringBuilder("the token server refused to ").append(call)
                .append(": HTTP ").append(status);
        if (body.error() != null) {
            text.append(" ").append(body.error());
        }
        String words = clean(body.errorMessage());
        if (!words.isEmpty()) {
            text.append(": ").append(words);
        }
        return text.toString();
    }

    /** At most {@value #MAX_MESSAGE} characters, line breaks and invisible characters replaced: safe to log. */
    private static String clean(String text) {
        if (text == null) {
            return "";
        }
        String shown = text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "..." : text;
        return shown.replaceAll("[\\p{Cc}\\p{Cf}]", "?");
    }
}
