package dev.qrauth.portalclient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.portalclient.CallbackVerification.Verdict;
import dev.qrauth.protocol.callback.CallbackSignature;
import dev.qrauth.protocol.message.TransactionStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CallbackVerifierTest {

    /** The worked example of docs/PROTOCOL.md, "Callback signature". */
    private static final String SECRET = "cbs_example_secret";
    private static final Instant SENT = Instant.ofEpochSecond(1764338400);
    private static final byte[] BODY = ("{\"callback_uri\":\"https://portal.example/callbacks/mobile-auth\","
            + "\"transaction_id\":\"6f1c2a9e-3b7d-4c1e-9a55-0d2f8b7e4c10\",\"status\":\"CONFIRMED\"}")
            .getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE =
            "t=1764338400,v1=6c0c975e6acde46f87b9435cfb9a92cbdc89a315fad01654310a0d0ba5cc5e87";

    private static CallbackVerifier verifierAt(Instant now) {
        return CallbackVerifier.builder(SECRET).clock(Clock.fixed(now, ZoneOffset.UTC)).build();
    }

    private final CallbackVerifier verifier = verifierAt(SENT.plusSeconds(3));

    @Nested
    class Signature {

        @Test
        void theSpecsExampleIsAcceptedWithItsNotification() {
            CallbackVerification checked = verifier.verify(null, SIGNATURE, BODY);

            assertThat(checked.verdict()).isEqualTo(Verdict.ACCEPTED);
            assertThat(checked.isAccepted()).isTrue();
            assertThat(checked.httpStatus()).isEqualTo(204);
            assertThat(checked.notification().transactionId())
                    .isEqualTo(UUID.fromString("6f1c2a9e-3b7d-4c1e-9a55-0d2f8b7e4c10"));
            assertThat(checked.notification().status()).isEqualTo(TransactionStatus.CONFIRMED);
        }

        @Test
        void aBodyChangedByOneByteIsAMismatch() {
            byte[] tampered = new String(BODY, StandardCharsets.UTF_8).replace("CONFIRMED", "CONFIRMEd")
                    .getBytes(StandardCharsets.UTF_8);

            CallbackVerification checked = verifier.verify(null, SIGNATURE, tampered);

            assertThat(checked.verdict()).isEqualTo(Verdict.SIGNATURE_MISMATCH);
            assertThat(checked.isAccepted()).isFalse();
            assertThat(checked.notification()).isNull();
            assertThat(checked.httpStatus()).isEqualTo(401);
        }

        @Test
        void aSignatureWithAnotherSecretIsAMismatch() {
            String other = CallbackSignature.sign("another-secret", SENT, BODY);

            assertThat(verifier.verify(null, other, BODY).verdict()).isEqualTo(Verdict.SIGNATURE_MISMATCH);
        }

        @Test
        void aVerifierHoldingAnotherSecretRefusesTheRightSignature() {
            CallbackVerifier wrongKey = CallbackVerifier.builder("not-the-secret")
                    .clock(Clock.fixed(SENT, ZoneOffset.UTC)).build();

            assertThat(wrongKey.verify(null, SIGNATURE, BODY).verdict()).isEqualTo(Verdict.SIGNATURE_MISMATCH);
        }

        @Test
        void duringARotationEitherSecretIsAccepted() {
            String both = CallbackSignature.sign(List.of("replaced-secret", SECRET), SENT, BODY);

            assertThat(verifier.verify(null, both, BODY).verdict()).isEqualTo(Verdict.ACCEPTED);
        }

        @Test
        void aSignatureOlderOrNewerThanTheToleranceIsStale() {
            assertThat(verifierAt(SENT.plus(Duration.ofMinutes(5)).plusSeconds(1)).verify(null, SIGNATURE, BODY)
                    .verdict()).isEqualTo(Verdict.SIGNATURE_STALE);
            assertThat(verifierAt(SENT.minus(Duration.ofMinutes(5)).minusSeconds(1)).verify(null, SIGNATURE, BODY)
                    .verdict()).isEqualTo(Verdict.SIGNATURE_STALE);
            assertThat(verifierAt(SENT.plus(Duration.ofMinutes(5))).verify(null, SIGNATURE, BODY).verdict())
                    .isEqualTo(Verdict.ACCEPTED);
        }

        @Test
        void theToleranceCanBeNarrowed() {
            CallbackVerifier strict = CallbackVerifier.builder(SECRET).tolerance(Duration.ofSeconds(1))
                    .clock(Clock.fixed(SENT.plusSeconds(2), ZoneOffset.UTC)).build();

            assertThat(strict.verify(null, SIGNATURE, BODY).verdict()).isEqualTo(Verdict.SIGNATURE_STALE);
        }

        @Test
        void aMissingSignatureIsRefused() {
            assertThat(verifier.verify(null, null, BODY).verdict()).isEqualTo(Verdict.SIGNATURE_MISSING);
            assertThat(verifier.verify(null, " ", BODY).verdict()).isEqualTo(Verdict.SIGNATURE_MISSING);
        }

        @Test
        void aMalformedSignatureIsRefused() {
            assertThat(verifier.verify(null, "t=1764338400,v1=abc", BODY).verdict())
                    .isEqualTo(Verdict.SIGNATURE_MALFORMED);
            assertThat(verifier.verify(null, "v1=" + "0".repeat(64), BODY).verdict())
                    .isEqualTo(Verdict.SIGNATURE_MALFORMED);
        }
    }

    @Nested
    class Credentials {

        private final CallbackVerifier withCredentials = CallbackVerifier.builder(SECRET).credentials("tokens", "pa55")
                .clock(Clock.fixed(SENT, ZoneOffset.UTC)).build();

        private String basic(String user, String password) {
            return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }

        @Test
        void theRightCredentialsAndSignatureAreAccepted() {
            assertThat(withCredentials.verify(basic("tokens", "pa55"), SIGNATURE, BODY).verdict())
                    .isEqualTo(Verdict.ACCEPTED);
        }

        @Test
        void missingOrWrongCredentialsAreRefusedEvenWithAValidSignature() {
            assertThat(withCredentials.verify(null, SIGNATURE, BODY).verdict()).isEqualTo(Verdict.WRONG_CREDENTIALS);
            CallbackVerification wrong = withCredentials.verify(basic("tokens", "guess"), SIGNATURE, BODY);
            assertThat(wrong.verdict()).isEqualTo(Verdict.WRONG_CREDENTIALS);
            assertThat(wrong.httpStatus()).isEqualTo(401);
        }

        @Test
        void withoutConfiguredCredentialsAnyAuthorizationIsIgnored() {
            assertThat(verifier.verify(basic("x", "y"), SIGNATURE, BODY).verdict()).isEqualTo(Verdict.ACCEPTED);
        }
    }

    @Nested
    class Body {

        private CallbackVerification signed(String body) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            return verifier.verify(null, CallbackSignature.sign(SECRET, SENT, bytes), bytes);
        }

        @Test
        void aSignedBodyThatIsNotJsonIsUnreadable() {
            CallbackVerification checked = signed("{\"transaction_id\":");

            assertThat(checked.verdict()).isEqualTo(Verdict.UNREADABLE_BODY);
            assertThat(checked.httpStatus()).isEqualTo(400);
        }

        @Test
        void aSignedBodyWithoutATransactionIsUnreadable() {
            assertThat(signed("{\"callback_uri\":\"https://portal.example/cb\"}").verdict())
                    .isEqualTo(Verdict.UNREADABLE_BODY);
            assertThat(signed("null").verdict()).isEqualTo(Verdict.UNREADABLE_BODY);
        }

        @Test
        void aStatusFromANewerServerStillParses() {
            CallbackVerification checked = signed("{\"transaction_id\":\"" + UUID.randomUUID()
                    + "\",\"status\":\"SOMETHING_NEW\",\"extra\":1}");

            assertThat(checked.verdict()).isEqualTo(Verdict.ACCEPTED);
        }
    }
}
