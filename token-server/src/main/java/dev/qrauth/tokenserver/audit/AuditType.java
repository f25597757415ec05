package dev.qrauth.tokenserver.audit;

/** What happened. The names are stable: they appear in the admin API's audit listing. */
public enum AuditType {
    CLIENT_CREATED,
    CLIENT_DELETED,
    MOBILE_AUTH_TYPE_CREATED,
    MOBILE_AUTH_TYPE_DELETED,
    USER_CREATED,
    ACTIVATION_CODE_ISSUED,
    DEVICE_REGISTERED,
    DEVICE_DEREGISTERED,
    USER_REGISTERED,
    USER_DEREGISTERED,
    PIN_ACCEPTED,
    PIN_REJECTED,
    PIN_LOCKOUT,
    USER_LOGGED_OUT,
    MOBILE_AUTH_ENROLLED,
    MOBILE_AUTH_DISENROLLED
}
