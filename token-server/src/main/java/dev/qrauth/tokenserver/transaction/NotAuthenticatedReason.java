package dev.qrauth.tokenserver.transaction;

/** The {@code not_authenticated_reason.reason} values of the result, with their descriptions. */
public enum NotAuthenticatedReason {
    PENDING("pending", "The user has not answered yet"),
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
