package dev.qrauth.tokenserver.transaction;

/**
 * The form parameters of {@code POST /oauth/api/v4/authenticate/user}, as received.
 * {@code expectedUserId} is qrauth's addition: the only user whose phone may fetch the request.
 */
public record InitiateRequest(String type, String callbackUri, String message, String secureMessage,
                              String languageCode, String ipAddress, String userAgent, String userId,
                              String expectedUserId) {
}
