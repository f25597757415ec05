package dev.qrauth.protocol.callback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.callback.CallbackSignature.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CallbackSignatureTest {

    static final String SECRET = "cbs_example_secret";
    static final Instant SENT = Instant.ofEpochSecond(1764338400L);
    static final byte[] BODY = ("{\"callback_uri\":\"https://portal.example/callbacks/mobile-auth\","
            + "\"transaction_id\":\"6f1c2a9e-3b7d-4c1e-9a55-0d2f8b7e4c10\",\"status\":\"CONFIRMED\"}")
            .getBytes(StandardCharsets.UTF_8);
    /** Computed independently of this code (Python's hmac module), as docs/PROTOCOL.md shows. */
    static final String DOCUMENTED_HEADER =
            "t=1764338400,v1=6c0c975e6acde46f87b9435cfb9a92cbdc89a315fad01654310a0d0ba5cc5e87";

    static Outcome verifyAt(Instant now, String secret, String header, byte[] body) {
        return CallbackSignature.verify(secret, header, body, now, CallbackSignature.DEFAULT_TOLERANCE);
    }

    @Test
    void signsTheDocumentedExample() {
        assertThat(CallbackSignature.sign(SECRET, SENT, BODY)).isEqualTo(DOCUMENTED_HEADER);
    }

    @Test
    void theDocumentedExampleVerifies() {
        assertThat(verifyAt(SENT.plusSeconds(3), SECRET, DOCUMENTED_HEADER, BODY)).isEqualTo(Outcome.VALID);
    }

    @Test
    void aWrongSecretFails() {
        assertThat(verifyAt(SENT, "another_secret", DOCUMENTED_HEADER, BODY)).isEqualTo(Outcome.MISMATCH);
    }

    @Test
    void aChangedBodyFails() {
        byte[] changed = new String(BODY, StandardCharsets.UTF_8).replace("CONFIRMED", "REJECTED")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(verifyAt(SENT, SECRET, DOCUMENTED_HEADER, changed)).isEqualTo(Outcome.MISMATCH);
    }

    @Test
    void aChangedTimestampFails() {
        String moved = DOCUMENTED_HEADER.replace("t=1764338400", "t=1764338401");
        assertThat(verifyAt(SENT, SECRET, moved, BODY)).isEqualTo(Outcome.MISMATCH);
    }

    @Test
    void timestampsOutsideTheWindowAreStaleEitherWay() {
        Duration tolerance = CallbackSignature.DEFAULT_TOLERANCE;
        assertThat(verifyAt(SENT.plus(tolerance), SECRET, DOCUMENTED_HEADER, BODY)).isEqualTo(Outcome.VALID);
        assertThat(verifyAt(SENT.plus(tolerance).plusSeconds(1), SECRET, DOCUMENTED_HEADER, BODY))
                .isEqualTo(Outcome.STALE_TIMESTAMP);
        assertThat(verifyAt(SENT.minus(tolerance).minusSeconds(1), SECRET, DOCUMENTED_HEADER, BODY))
                .isEqualTo(Outcome.STALE_TIMESTAMP);
    }

    @Test
    void aMissingHeaderIsMissing() {
        assertThat(verifyAt(SENT, SECRET, null, BODY)).isEqualTo(Outcome.MISSING);
        assertThat(verifyAt(SENT, SECRET, " ", BODY)).isEqualTo(Outcome.MISSING);
    }

    @Test
    void malformedHeadersAreMalformed() {
        for (String header : new String[] {
                "v1=6c0c975e6acde46f87b9435cfb9a92cbdc89a315fad01654310a0d0ba5cc5e87",
                "t=1764338400",
                "t=abc,v1=6c0c975e6acde46f87b9435cfb9a92cbdc89a315fad01654310a0d0ba5cc5e87",
                "t=-1764338400,v1=6c0c975e6acde46f87b9435cfb9a92cbdc89a315fad01654310a0d0ba5cc5e87",
                "t=1764338400,v1=zz0c975e6acde46f87b9435cfb9a92cbdc89a315fad01654310a0d0ba5cc5e87",
                "t=1764338400,v1=6c0c",
                "t=99999999999999999999,v1=6c0c975e6acde46f87b9435cfb9a92cbdc89a315fad01654310a0d0ba5cc5e87",
                DOCUMENTED_HEADER + ",x=" + "a".repeat(300)}) {
            assertThat(verifyAt(SENT, SECRET, header, BODY)).as(header).isEqualTo(Outcome.MALFORMED);
        }
    }

    @Test
    void extraItemsAndSpacesAreTolerated() {
        String header = "t=1764338400, v0=ignored, v1=6c0c975e6acde46f87b9435cfb9a92cbdc89a315fad01654310a0d0ba5cc5e87";
        assertThat(verifyAt(SENT, SECRET, header, BODY)).isEqualTo(Outcome.VALID);
    }

    @Test
    void duringARotationEitherSecretVerifiesTheHeaderSignedWithBoth() {
        String header = CallbackSignature.sign(java.util.List.of(SECRET, "the_new_secret"), SENT, BODY);
        assertThat(header).isEqualTo(DOCUMENTED_HEADER + ",v1="
                + CallbackSignature.sign("the_new_secret", SENT, BODY).substring("t=1764338400,v1=".length()));
        assertThat(verifyAt(SENT, SECRET, header, BODY)).isEqualTo(Outcome.VALID);
        assertThat(verifyAt(SENT, "the_new_secret", header, BODY)).isEqualTo(Outcome.VALID);
        assertThat(verifyAt(SENT, "a_third_secret", header, BODY)).isEqualTo(Outcome.MISMATCH);
    }

    @Test
    void anIllFormedSecondSignatureIsMalformed() {
        assertThat(verifyAt(SENT, SECRET, DOCUMENTED_HEADER + ",v1=6c0c", BODY)).isEqualTo(Outcome.MALFORMED);
    }
}
