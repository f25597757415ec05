package dev.qrauth.protocol.otp;

/**
 * Why {@link OtpCodec#decode(String)} refused a text. Each reason names the first rule of
 * {@code docs/PROTOCOL.md} ("The OTP", decoding steps) that the text broke; the steps run in
 * the order of this enum.
 */
public enum OtpRejection {
    /** Step 1: null or empty. */
    EMPTY,
    /** Step 2: longer than {@link OtpCodec#MAX_OTP_LENGTH} characters. */
    TOO_LARGE,
    /** Step 3: not standard base64. */
    NOT_BASE64,
    /** Step 4: the decoded bytes are not valid UTF-8. */
    NOT_UTF8,
    /** Step 5: the text is not one well-formed JSON value. */
    NOT_JSON,
    /** Step 6: the JSON value is not an object. */
    NOT_AN_OBJECT,
    /** Step 7: a member name appears twice. */
    DUPLICATE_FIELD,
    /** Step 8: a member other than {@code transaction_id} and {@code otp}. */
    UNKNOWN_FIELD,
    /** Step 9: {@code transaction_id} or {@code otp} is absent. */
    MISSING_FIELD,
    /** Step 10: a member's value is not a JSON string. */
    WRONG_FIELD_TYPE,
    /** Step 11: a member's value is longer than its maximum. */
    FIELD_TOO_LONG,
    /** Step 12: {@code transaction_id} is not a lowercase, hyphenated UUID. */
    INVALID_TRANSACTION_ID,
    /** Step 13: {@code otp} has a character outside the base64url alphabet. */
    INVALID_CODE_CHARACTERS,
    /** Step 14: {@code otp} carries fewer than 128 bits. */
    CODE_TOO_SHORT,
    /** Step 15: well-formed, but not byte for byte what {@link OtpCodec#encode} writes. */
    NOT_CANONICAL
}
