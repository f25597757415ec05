package dev.qrauth.sdk;

import dev.qrauth.protocol.message.Approvals;
import dev.qrauth.protocol.message.Proximity;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A verified mobile-auth request, as the app shows it to the user: who asks (the portal's
 * name), why (message, secure message), from where (context, and how close the phone is to
 * that browser), until when, and for number matching the numbers to choose from. Immutable.
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
 * @param proximity     how close this phone is to the browser, or null when the type does not check;
 *                      show {@link Proximity#description()}, as a warning unless {@link Proximity#isNear()}
 * @param approvals     for a four-eyes request, how many users must approve and who already did; else null
 *                      ({@code docs/PROTOCOL.md}, "Four-eyes approval"): show who approved before
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
        List<Integer> numberChoices,
        Proximity proximity,
        Approvals approvals) {

    public MobileAuthRequest {
        Objects.requireNonNull(userProfile, "userProfile == null");
        Objects.requireNonNull(type, "type == null");
        Objects.requireNonNull(message, "message == null");
        Objects.requireNonNull(transactionId, "transactionId == null");
        Objects.requireNonNull(portalName, "portalName == null");
        Objects.requireNonNull(expiresAt, "expiresAt == null");
        numberChoices = numberChoices == null ? List.of() : List.copyOf(numberChoices);
    }

    /** A request one phone approves. */
    public MobileAuthRequest(UserProfile userProfile, String type, String message, UUID transactionId,
                             String secureMessage, String portalName, String browser, String operatingSystem,
                             String ipAddress, String location, Instant expiresAt, List<Integer> numberChoices,
                             Proximity proximity) {
        this(userProfile, type, message, transactionId, secureMessage, portalName, browser, operatingSystem,
                ipAddress, location, expiresAt, numberChoices, proximity, null);
    }

    /** A request without a proximity check. */
    public MobileAuthRequest(UserProfile userProfile, String type, String message, UUID transactionId,
                             String secureMessage, String portalName, String browser, String operatingSystem,
                             String ipAddress, String location, Instant expiresAt, List<Integer> numberChoices) {
        this(userProfile, type, message, transactionId, secureMessage, portalName, browser, operatingSystem,
                ipAddress, location, expiresAt, numberChoices, null, null);
    }

    /**
     * Whether the app should warn: the server checked and the phone is not on the browser's
     * network, so the QR code may have been relayed from someone else's login.
     */
    public boolean isFarFromBrowser() {
        return proximity != null && !proximity.isNear();
    }

    /**
     * Whether several users must approve (four-eyes): an approval from this phone then completes
     * the request only if it is the last one needed ({@link MobileAuthInfo#awaitsOtherApprovers()}).
     */
    public boolean isFourEyes() {
        return approvals != null;
    }

    /** Whether the user must pick the number the browser shows. */
    public boolean requiresNumberMatching() {
        return !numberChoices.isEmpty();
    }
}
