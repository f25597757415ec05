package dev.qrauth.tokenserver.transaction;

/**
 * Why a transaction ended without authentication, as stored. The result sends these as its
 * {@code not_authenticated_reason.reason}, except {@link #FRAUD_REPORTED}, which reads
 * {@code not_accepted} there with the {@code fraud_reported} flag.
 */
public enum NotAuthenticatedReason {
    NOT_ACCEPTED("not_accepted", "The user denied the request"),
    FRAUD_REPORTED("fraud_reported", "The user denied the request and reported it as not theirs"),
    INVALID_ANSWER("invalid_answer", "The answer did not match the request, such as a wrong number"),
    EXPIRED("expired", "Nobody answered before the transaction expired"),
    CANCELLED("cancelled", "The portal cancelled the transaction");

    public final String wireName;
    public final String description;

    NotAuthenticatedReason(String wireName, String description) {
        this.wireName = wireName;
        this.description = description;
    }

    static NotAuthenticatedReason fromWire(String wireName) {
        for (NotAuthenticatedReason reason : values()) {
            if (reason.wireName.equals(wireName)) {
                return reason;
            }
        }
        throw new IllegalArgumentException("unknown reason " + wireName);
    }
}
