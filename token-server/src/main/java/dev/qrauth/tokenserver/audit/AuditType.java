package dev.qrauth.tokenserver.audit;

/** What happened. The names are stable: they appear in the admin API's audit listing. */
public enum AuditType {
    CLIENT_CREATED,
    CLIENT_DELETED,
    CLIENT_UPDATED,
    CLIENT_DISABLED,
    CLIENT_ENABLED,
    CLIENT_SECRETS_ROTATED,
    MOBILE_AUTH_TYPE_CREATED,
    MOBILE_AUTH_TYPE_DELETED,
    MOBILE_AUTH_TYPE_CHANGED,
    USER_CREATED,
    USER_DELETED,
    ACTIVATION_CODE_ISSUED,
    DEVICE_REGISTERED,
    DEVICE_DEREGISTERED,
    USER_REGISTERED,
    USER_DEREGISTERED,
    PIN_ACCEPTED,
    PIN_REJECTED,
    PIN_LOCKOUT,
    USER_LOGGED_OUT,
    /** A duress PIN set or replaced, at registration or later. */
    DURESS_PIN_SET,
    DURESS_PIN_REMOVED,
    /** A change of the duress PIN asked for under duress: answered as done, but nothing changed. */
    DURESS_PIN_CHANGE_IGNORED,
    /** An answer given under a duress PIN; its details say the decision, the type's policy and the outcome. */
    DURESS_ANSWER,
    MOBILE_AUTH_ENROLLED,
    MOBILE_AUTH_DISENROLLED,
    TRANSACTION_CONFIRMED,
    /** One approval of a four-eyes transaction that needs more ({@code docs/PROTOCOL.md}, "Four-eyes approval"). */
    FOUR_EYES_APPROVAL,
    TRANSACTION_REJECTED,
    TRANSACTION_CANCELLED,
    ANSWER_REFUSED,
    FRAUD_REPORTED,
    /** A wrong secret, or a secret for an unknown id, for an API client, a device or the admin. */
    AUTHENTICATION_FAILED,
    /** An activation code that is unknown, used, expired or another user's. */
    ACTIVATION_CODE_REFUSED,
    /** A fetch with a malformed OTP, or one naming no transaction, counted against the device's budget. */
    FETCH_REFUSED,
    /** The fetch that spent the device's budget of failed fetches: it is rate limited until the window ends. */
    FETCH_RATE_LIMITED,
    TRANSACTION_INITIATED,
    TRANSACTION_SCANNED,
    TRANSACTION_EXPIRED,
    /** A callback not delivered by its last attempt: too old, its address refused, or its client gone. */
    CALLBACK_ABANDONED
}
