package dev.qrauth.tokenserver.transaction;

/** The form parameters of {@code POST /oauth/api/v4/authenticate/user}, as received. */
public record InitiateRequest(String type, String callbackUri, String message, String secureMessage,
                              String languageCode, String ipAddress, String userAgent, String userId) {
}
