package dev.qrauth.sdk;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A verified mobile-auth request, as the app shows it to the user: who asks (the portal's
 * name), why (message, secure message), from where (context), until when, and for
 * number matching the numbers to choose from. Immutable.
 *
 * @param userProfile   the profile the request is for
 * @param type          the mobile-auth type, such as {@code login}
 * @param message       the short text from the portal
 * @param transactionId the transaction
 * @param secureMessage the longer text, or null
 * @param portalName    the portal's display name; always show it
 * @param browser       the browser that asked, such as "Firefox 140", or null
 * @param operatingSystem the browser's operating system, or null
 * @param ipAddress     the browser's IP address, or null
 * @param location      where that address is, or null
 * @param expiresAt     after this instant an answer is refused
 * @param numberChoices for number matching, the three numbers to offer (one is the browser's); else empty
 */
public record MobileAuthRequest(
        UserProfile userProfile,
        String type,
        String message,
        UUID transactionId,
        String secureMessage,
        String portalName,
        String browser,
        String operatingSystem,
        String ipAddress,
        String location,
        Instant expiresAt,
        List<Integer> numberChoices) {

    public MobileAuthRequest {
        Objects.requireNonNull(userProfile, "userProfile == null");
        Objects.requireNonNull(type, "type == null");
        Objects.requireNonNull(message, "message == null");
        Objects.requireNonNull(transactionId, "transactionId == null");
        Objects.requireNonNull(portalName, "portalName == null");
        Objects.requireNonNull(expiresAt, "expiresAt == null");
        numberChoices = numberChoices == null ? List.of() : List.copyOf(numberChoices);
    }

    /** Whether the user must pick the number the browser shows. */
    public boolean requiresNumberMatching() {
        return !numberChoices.isEmpty();
    }
}
