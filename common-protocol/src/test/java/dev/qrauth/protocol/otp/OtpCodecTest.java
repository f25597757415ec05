package dev.qrauth.protocol.otp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The decoding steps of docs/PROTOCOL.md "The OTP", one nested group per step. */
class OtpCodecTest {

    static final String ID = "6f1c2a9e-3b7d-4c1e-9a55-0d2f8b7e4c10";
    static final String CODE = "q3Jv0dX2yT9KfL8mN4pR7sW1uZ6aB5cE0hG3jI2kM9o";

    static String b64(String json) {
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static String json(String id, String code) {
        return "{\"transaction_id\":\"" + id + "\",\"otp\":\"" + code + "\"}";
    }

    static OtpRejection rejectionOf(String otp) {
        OtpDecoding decoding = OtpCodec.decode(otp);
        assertThat(decoding).isInstanceOf(OtpDecoding.Rejected.class);
        return ((OtpDecoding.Rejected) decoding).reason();
    }

    @Test
    void encodesTheDocumentedExample() {
        String otp = OtpCodec.encode(new OtpPayload(UUID.fromString(ID), CODE));
        assertThat(new String(Base64.getDecoder().decode(otp), StandardCharsets.UTF_8))
                .isEqualTo(json(ID, CODE));
        assertThat(otp).isEqualTo(b64(json(ID, CODE)));
    }

    @Test
    void decodesWhatItEncodes() {
        OtpPayload payload = new OtpPayload(UUID.randomUUID(), OtpCode.generate(new SecureRandom()));
        assertThat(OtpCodec.decode(OtpCodec.encode(payload)))
                .isEqualTo(new OtpDecoding.Accepted(payload));
    }

    @Test
    void generatedCodesCarry256BitsAndDiffer() {
        SecureRandom random = new SecureRandom();
        String first = OtpCode.generate(random);
        assertThat(first).hasSize(OtpCode.GENERATED_LENGTH);
        assertThat(Base64.getUrlDecoder().decode(first)).hasSize(OtpCode.GENERATED_BYTES);
        assertThat(OtpCode.generate(random)).isNotEqualTo(first);
    }

    @Test
    void payloadRefusesMalformedCodesAndHidesTheCode() {
        assertThatThrownBy(() -> new OtpPayload(UUID.randomUUID(), "short"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new OtpPayload(UUID.fromString(ID), CODE).toString()).doesNotContain(CODE);
    }

    @Nested
    class Step1Empty {
        @Test
        void nullAndEmptyAreRejected() {
            assertThat(rejectionOf(null)).isEqualTo(OtpRejection.EMPTY);
            assertThat(rejectionOf("")).isEqualTo(OtpRejection.EMPTY);
        }
    }

    @Nested
    class Step2Size {
        @Test
        void moreThanOneKibibyteIsRejectedBeforeDecoding() {
            String padded = json(ID, CODE).replace("}", " ".repeat(OtpCodec.MAX_OTP_LENGTH) + "}");
            assertThat(rejectionOf(b64(padded))).isEqualTo(OtpRejection.TOO_LARGE);
            assertThat(rejectionOf("!".repeat(OtpCodec.MAX_OTP_LENGTH + 1))).isEqualTo(OtpRejection.TOO_LARGE);
        }

        @Test
        void exactlyTheLimitIsLookedAt() {
            assertThat(rejectionOf("!".repeat(OtpCodec.MAX_OTP_LENGTH))).isEqualTo(OtpRejection.NOT_BASE64);
        }
    }

    @Nested
    class Step3Base64 {
        @Test
        void nonBase64CharactersAreRejected() {
            assertThat(rejectionOf("not base64!")).isEqualTo(OtpRejection.NOT_BASE64);
            assertThat(rejectionOf(b64(json(ID, CODE)).replace('+', '-').replace('/', '_') + "*"))
                    .isEqualTo(OtpRejection.NOT_BASE64);
        }

        @Test
        void aBrokenLengthIsRejected() {
            assertThat(rejectionOf("QUJDR")).isEqualTo(OtpRejection.NOT_BASE64);
        }
    }

    @Nested
    class Step4Utf8 {
        @Test
        void invalidUtf8IsRejected() {
            byte[] bytes = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
            assertThat(rejectionOf(Base64.getEncoder().encodeToString(bytes))).isEqualTo(OtpRejection.NOT_UTF8);
        }
    }

    @Nested
    class Step5Json {
        @Test
        void textThatIsNotJsonIsRejected() {
            assertThat(rejectionOf(b64("hello"))).isEqualTo(OtpRejection.NOT_JSON);
            assertThat(rejectionOf(b64("{\"transaction_id\":"))).isEqualTo(OtpRejection.NOT_JSON);
            assertThat(rejectionOf(b64("   "))).isEqualTo(OtpRejection.NOT_JSON);
        }

        @Test
        void trailingContentIsRejected() {
            assertThat(rejectionOf(b64(json(ID, CODE) + "{}"))).isEqualTo(OtpRejection.NOT_JSON);
        }

        @Test
        void aSyntaxErrorAfterAWrongFieldIsStillNotJson() {
            assertThat(rejectionOf(b64("{\"transaction_id\":1,\"otp\":"))).isEqualTo(OtpRejection.NOT_JSON);
        }
    }

    @Nested
    class Step6Object {
        @Test
        void otherJsonValuesAreRejected() {
            assertThat(rejectionOf(b64("[\"" + ID + "\"]"))).isEqualTo(OtpRejection.NOT_AN_OBJECT);
            assertThat(rejectionOf(b64("\"" + ID + "\""))).isEqualTo(OtpRejection.NOT_AN_OBJECT);
            assertThat(rejectionOf(b64("42"))).isEqualTo(OtpRejection.NOT_AN_OBJECT);
        }
    }

    @Nested
    class Step7Duplicates {
        @Test
        void aRepeatedMemberIsRejected() {
            String twice = "{\"transaction_id\":\"" + ID + "\",\"otp\":\"" + CODE + "\",\"otp\":\"" + CODE + "\"}";
            assertThat(rejectionOf(b64(twice))).isEqualTo(OtpRejection.DUPLICATE_FIELD);
        }
    }

    @Nested
    class Step8UnknownFields {
        @Test
        void anExtraMemberIsRejected() {
            String extra = json(ID, CODE).replace("}", ",\"user_id\":\"alice\"}");
            assertThat(rejectionOf(b64(extra))).isEqualTo(OtpRejection.UNKNOWN_FIELD);
        }
    }

    @Nested
    class Step9MissingFields {
        @Test
        void eachRequiredMemberMustBePresent() {
            assertThat(rejectionOf(b64("{\"otp\":\"" + CODE + "\"}"))).isEqualTo(OtpRejection.MISSING_FIELD);
            assertThat(rejectionOf(b64("{\"transaction_id\":\"" + ID + "\"}"))).isEqualTo(OtpRejection.MISSING_FIELD);
            assertThat(rejectionOf(b64("{}"))).isEqualTo(OtpRejection.MISSING_FIELD);
        }
    }

    @Nested
    class Step10Types {
        @Test
        void nonStringValuesAreRejected() {
            assertThat(rejectionOf(b64("{\"transaction_id\":42,\"otp\":\"" + CODE + "\"}")))
                    .isEqualTo(OtpRejection.WRONG_FIELD_TYPE);
            assertThat(rejectionOf(b64("{\"transaction_id\":\"" + ID + "\",\"otp\":null}")))
                    .isEqualTo(OtpRejection.WRONG_FIELD_TYPE);
            assertThat(rejectionOf(b64("{\"transaction_id\":\"" + ID + "\",\"otp\":{\"a\":[1]}}")))
                    .isEqualTo(OtpRejection.WRONG_FIELD_TYPE);
        }
    }

    @Nested
    class Step11Lengths {
        @Test
        void overlongValuesAreRejected() {
            assertThat(rejectionOf(b64(json(ID + "0", CODE)))).isEqualTo(OtpRejection.FIELD_TOO_LONG);
            assertThat(rejectionOf(b64(json(ID, "a".repeat(OtpCode.MAX_LENGTH + 1)))))
                    .isEqualTo(OtpRejection.FIELD_TOO_LONG);
        }

        @Test
        void theLongestCodeIsAccepted() {
            String longest = "a".repeat(OtpCode.MAX_LENGTH);
            assertThat(OtpCodec.decode(b64(json(ID, longest))).isAccepted()).isTrue();
        }
    }

    @Nested
    class Step12TransactionId {
        @Test
        void onlyLowercaseHyphenatedUuidsAreAccepted() {
            assertThat(rejectionOf(b64(json(ID.toUpperCase(), CODE)))).isEqualTo(OtpRejection.INVALID_TRANSACTION_ID);
            assertThat(rejectionOf(b64(json("1-1-1-1-1", CODE)))).isEqualTo(OtpRejection.INVALID_TRANSACTION_ID);
            assertThat(rejectionOf(b64(json(ID.replace("-", ""), CODE)))).isEqualTo(OtpRejection.INVALID_TRANSACTION_ID);
            assertThat(rejectionOf(b64(json("", CODE)))).isEqualTo(OtpRejection.INVALID_TRANSACTION_ID);
        }
    }

    @Nested
    class Step13CodeAlphabet {
        @Test
        void charactersOutsideBase64UrlAreRejected() {
            assertThat(rejectionOf(b64(json(ID, CODE.substring(1) + "+")))).isEqualTo(OtpRejection.INVALID_CODE_CHARACTERS);
            assertThat(rejectionOf(b64(json(ID, CODE.substring(1) + "=")))).isEqualTo(OtpRejection.INVALID_CODE_CHARACTERS);
            assertThat(rejectionOf(b64(json(ID, CODE.substring(1) + "é")))).isEqualTo(OtpRejection.INVALID_CODE_CHARACTERS);
        }
    }

    @Nested
    class Step14CodeStrength {
        @Test
        void fewerThan128BitsAreRejected() {
            String twentyOne = CODE.substring(0, OtpCode.MIN_LENGTH - 1);
            assertThat(rejectionOf(b64(json(ID, twentyOne)))).isEqualTo(OtpRejection.CODE_TOO_SHORT);
            assertThat(rejectionOf(b64(json(ID, "")))).isEqualTo(OtpRejection.CODE_TOO_SHORT);
        }

        @Test
        void twentyTwoCharactersAreEnough() {
            String twentyTwo = CODE.substring(0, OtpCode.MIN_LENGTH);
            assertThat(OtpCodec.decode(b64(json(ID, twentyTwo))).isAccepted()).isTrue();
        }
    }

    @Nested
    class Step15Canonical {
        @Test
        void otherKeyOrderIsRejected() {
            String swapped = "{\"otp\":\"" + CODE + "\",\"transaction_id\":\"" + ID + "\"}";
            assertThat(rejectionOf(b64(swapped))).isEqualTo(OtpRejection.NOT_CANONICAL);
        }

        @Test
        void whitespaceIsRejected() {
            assertThat(rejectionOf(b64(json(ID, CODE).replace(",", ", ")))).isEqualTo(OtpRejection.NOT_CANONICAL);
            assertThat(rejectionOf(b64(json(ID, CODE) + "\n"))).isEqualTo(OtpRejection.NOT_CANONICAL);
        }

        @Test
        void escapedCharactersAreRejected() {
            String escaped = json(ID, CODE).replace("\"otp\"", "\"\\u006ftp\"");
            assertThat(rejectionOf(b64(escaped))).isEqualTo(OtpRejection.NOT_CANONICAL);
        }

        @Test
        void missingBase64PaddingIsRejected() {
            String canonical = b64(json(ID, CODE));
            assertThat(canonical).endsWith("==");
            assertThat(rejectionOf(canonical.replace("=", ""))).isEqualTo(OtpRejection.NOT_CANONICAL);
        }
    }
}
