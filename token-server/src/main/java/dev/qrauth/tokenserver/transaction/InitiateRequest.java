package dev.qrauth.tokenserver.transaction;

/**
 * The form parameters of {@code POST /oauth/api/v4/authenticate/user}, as received.
 * {@code expectedUserId} is qrauth's addition: the only user whose phone may fetch the request;
 * so is {@code approvers}, the comma-separated group of a four-eyes type's transaction.
 */
public record InitiateRequest(String type, String callbackUri, String message, String secureMessage,
                              String languageCode, String ipAddress, String userAgent, String userId,
                              String expectedUserId, String approvers) {

    /** An initiation that names no approver group. */
    public InitiateRequest(String type, String callbackUri, String message, String secureMessage,
                           String languageCode, String ipAddress, String userAgent, String userId,
                           String expectedUserId) {
        this(type, callbackUri, message, secureMessage, languageCode, ipAddress, userAgent, userId, expectedUserId,
                null);
    }
}
