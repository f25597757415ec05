package dev.qrauth.protocol.otp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of the OTP codec. "Decodes to an equal payload" cannot hold for every mutation:
 * changing one character of the code can yield another well-formed OTP. What must hold is that
 * decoding never throws, that a rejection always names a reason, and that an accepted text is
 * exactly the encoding of what it decoded to, so no two texts decode to one payload.
 */
class OtpCodecPropertiesTest {

    @Provide
    Arbitrary<OtpPayload> payloads() {
        Arbitrary<UUID> ids = Arbitraries.randomValue(random -> new UUID(random.nextLong(), random.nextLong()));
        Arbitrary<String> codes = Arbitraries.strings()
                .withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
                .ofMinLength(OtpCode.MIN_LENGTH)
                .ofMaxLength(OtpCode.MAX_LENGTH);
        return Combinators.combine(ids, codes).as(OtpPayload::new);
    }

    @Property
    void encodeThenDecodeGivesThePayloadBack(@ForAll("payloads") OtpPayload payload) {
        assertThat(OtpCodec.decode(OtpCodec.encode(payload))).isEqualTo(new OtpDecoding.Accepted(payload));
    }

    @Property(tries = 2000)
    void everyByteMutationOfTheTextIsAcceptedCanonicallyOrRejected(
            @ForAll("payloads") OtpPayload payload,
            @ForAll @IntRange(min = 0, max = 10_000) int position,
            @ForAll byte replacement) {
        byte[] text = OtpCodec.encode(payload).getBytes(StandardCharsets.ISO_8859_1);
        int index = position % text.length;
        byte original = text[index];
        text[index] = replacement;
        String mutated = new String(text, StandardCharsets.ISO_8859_1);

        assertAcceptedCanonicallyOrRejected(mutated);
        if (replacement == original) {
            assertThat(OtpCodec.decode(mutated)).isEqualTo(new OtpDecoding.Accepted(payload));
        }
    }

    @Property(tries = 2000)
    void everyByteMutationOfTheJsonIsAcceptedCanonicallyOrRejected(
            @ForAll("payloads") OtpPayload payload,
            @ForAll @IntRange(min = 0, max = 10_000) int position,
            @ForAll byte replacement) {
        byte[] json = Base64.getDecoder().decode(OtpCodec.encode(payload));
        int index = position % json.length;
        byte original = json[index];
        json[index] = replacement;
        String mutated = Base64.getEncoder().encodeToString(json);

        OtpDecoding decoding = assertAcceptedCanonicallyOrRejected(mutated);
        if (replacement == original) {
            assertThat(decoding).isEqualTo(new OtpDecoding.Accepted(payload));
        } else if (decoding instanceof OtpDecoding.Accepted accepted) {
            // Only a change inside the two values can survive, and then the payload differs.
            assertThat(accepted.payload()).isNotEqualTo(payload);
        }
    }

    @Property(tries = 1000)
    void deletingOrInsertingAByteIsAcceptedCanonicallyOrRejected(
            @ForAll("payloads") OtpPayload payload,
            @ForAll @IntRange(min = 0, max = 10_000) int position,
            @ForAll byte inserted,
            @ForAll boolean insert) {
        byte[] text = OtpCodec.encode(payload).getBytes(StandardCharsets.ISO_8859_1);
        int index = position % text.length;
        byte[] mutated;
        if (insert) {
            mutated = new byte[text.length + 1];
            System.arraycopy(text, 0, mutated, 0, index);
            mutated[index] = inserted;
            System.arraycopy(text, index, mutated, index + 1, text.length - index);
        } else {
            mutated = new byte[text.length - 1];
            System.arraycopy(text, 0, mutated, 0, index);
            System.arraycopy(text, index + 1, mutated, index, text.length - index - 1);
        }
        OtpDecoding decoding = assertAcceptedCanonicallyOrRejected(new String(mutated, StandardCharsets.ISO_8859_1));
        assertThat(decoding).isNotEqualTo(new OtpDecoding.Accepted(payload));
    }

    @Property(tries = 3000)
    void arbitraryTextNeverThrows(@ForAll String text) {
        assertAcceptedCanonicallyOrRejected(text);
    }

    @Property(tries = 1000)
    void arbitraryBase64NeverThrows(@ForAll byte[] bytes) {
        assertAcceptedCanonicallyOrRejected(Base64.getEncoder().encodeToString(bytes));
        assertAcceptedCanonicallyOrRejected(Base64.getEncoder().encodeToString(Arrays.copyOf(bytes, bytes.length + 1)));
    }

    private static OtpDecoding assertAcceptedCanonicallyOrRejected(String text) {
        OtpDecoding decoding = OtpCodec.decode(text);
        assertThat(decoding).isNotNull();
        if (decoding instanceof OtpDecoding.Accepted accepted) {
            assertThat(OtpCodec.encode(accepted.payload())).isEqualTo(text);
        } else {
            assertThat(((OtpDecoding.Rejected) decoding).reason()).isNotNull();
        }
        return decoding;
    }
}
