package dev.qrauth.protocol.otp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Writes and strictly reads the OTP of {@code docs/PROTOCOL.md} ("The OTP"): standard base64
 * of the UTF-8 JSON {@code {"transaction_id":"<uuid>","otp":"<code>"}}.
 *
 * <p>{@link #decode(String)} is total: for any input, including {@code null}, it returns a
 * result and never throws. It accepts exactly the texts {@link #encode(OtpPayload)} produces, so
 * an accepted text always re-encodes to itself. Thread-safe.
 */
public final class OtpCodec {

    /** Longest OTP text looked at (1 KiB); longer input is refused before decoding. */
    public static final int MAX_OTP_LENGTH = 1024;
    /** The JSON member holding the transaction id. */
    public static final String TRANSACTION_ID_FIELD = "transaction_id";
    /** The JSON member holding the one-time code. */
    public static final String CODE_FIELD = "otp";

    private static final int UUID_LENGTH = 36;
    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final JsonFactory JSON = new JsonFactory();

    private OtpCodec() {
    }

    /** The OTP text for {@code payload}. */
    public static String encode(OtpPayload payload) {
        Objects.requireNonNull(payload, "payload == null");
        // Both values are restricted to characters that JSON strings carry unescaped.
        String json = "{\"" + TRANSACTION_ID_FIELD + "\":\"" + payload.transactionId()
                + "\",\"" + CODE_FIELD + "\":\"" + payload.code() + "\"}";
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads {@code otp}, or says which rule it breaks. Never throws. */
    public static OtpDecoding decode(String otp) {
        if (otp == null || otp.isEmpty()) {
            return reject(OtpRejection.EMPTY);
        }
        if (otp.length() > MAX_OTP_LENGTH) {
            return reject(OtpRejection.TOO_LARGE);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(otp);
        } catch (IllegalArgumentException notBase64) {
            return reject(OtpRejection.NOT_BASE64);
        }
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            return reject(OtpRejection.NOT_UTF8);
        }
        ParsedJson parsed = ParsedJson.parse(json);
        if (parsed.rejection != null) {
            return reject(parsed.rejection);
        }
        return validate(parsed.members, otp);
    }

    private static OtpDecoding validate(List<Member> members, String otp) {
        Set<String> names = new HashSet<>();
        for (Member member : members) {
            if (!names.add(member.name)) {
                return reject(OtpRejection.DUPLICATE_FIELD);
            }
        }
        for (Member member : members) {
            if (!member.name.equals(TRANSACTION_ID_FIELD) && !member.name.equals(CODE_FIELD)) {
                return reject(OtpRejection.UNKNOWN_FIELD);
            }
        }
        if (!names.contains(TRANSACTION_ID_FIELD) || !names.contains(CODE_FIELD)) {
            return reject(OtpRejection.MISSING_FIELD);
        }
        for (Member member : members) {
            if (member.value == null) {
                return reject(OtpRejection.WRONG_FIELD_TYPE);
            }
        }
        String transactionId = valueOf(members, TRANSACTION_ID_FIELD);
        String code = valueOf(members, CODE_FIELD);
        if (transactionId.length() > UUID_LENGTH || code.length() > OtpCode.MAX_LENGTH) {
            return reject(OtpRejection.FIELD_TOO_LONG);
        }
        if (!CANONICAL_UUID.matcher(transactionId).matches()) {
            return reject(OtpRejection.INVALID_TRANSACTION_ID);
        }
        if (!OtpCode.hasOnlyBase64UrlCharacters(code)) {
            return reject(OtpRejection.INVALID_CODE_CHARACTERS);
        }
        if (code.length() < OtpCode.MIN_LENGTH) {
            return reject(OtpRejection.CODE_TOO_SHORT);
        }
        OtpPayload payload = new OtpPayload(UUID.fromString(transactionId), code);
        // Key order, whitespace, escapes and base64 padding all have other spellings that the
        // steps above accept; refusing them keeps exactly one text per payload.
        if (!encode(payload).equals(otp)) {
            return reject(OtpRejection.NOT_CANONICAL);
        }
        return new OtpDecoding.Accepted(payload);
    }

    private static String valueOf(List<Member> members, String name) {
        for (Member member : members) {
            if (member.name.equals(name)) {
                return member.value;
            }
        }
        throw new IllegalStateException("checked present: " + name);
    }

    private static OtpDecoding reject(OtpRejection reason) {
        return new OtpDecoding.Rejected(reason);
    }

    /** One member of the top-level object; {@code value} is null when it is not a JSON string. */
    private record Member(String name, String value) {
    }

    /** The members of a JSON object, or why the text is not one. */
    private static final class ParsedJson {
        final List<Member> members;
        final OtpRejection rejection;

        private ParsedJson(List<Member> members, OtpRejection rejection) {
            this.members = members;
            this.rejection = rejection;
        }

        static ParsedJson parse(String json) {
            List<Member> members = new ArrayList<>();
            try (JsonParser parser = JSON.createParser(json)) {
                JsonToken first = parser.nextToken();
                if (first == null) {
                    return new ParsedJson(null, OtpRejection.NOT_JSON);
                }
                boolean isObject = first == JsonToken.START_OBJECT;
                if (isObject) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String name = parser.currentName();
                        JsonToken value = parser.nextToken();
                        members.add(new Member(name, value == JsonToken.VALUE_STRING ? parser.getText() : null));
                        parser.skipChildren();
                    }
                    if (parser.currentToken() != JsonToken.END_OBJECT) {
                        return new ParsedJson(null, OtpRejection.NOT_JSON);
                    }
                } else {
                    parser.skipChildren();
                }
                if (parser.nextToken() != null) {
                    // Trailing content after the first value: not one JSON document.
                    return new ParsedJson(null, OtpRejection.NOT_JSON);
                }
                return isObject
                        ? new ParsedJson(members, null)
                        : new ParsedJson(null, OtpRejection.NOT_AN_OBJECT);
            } catch (IOException | RuntimeException malformed) {
                return new ParsedJson(null, OtpRejection.NOT_JSON);
            }
        }
    }
}
