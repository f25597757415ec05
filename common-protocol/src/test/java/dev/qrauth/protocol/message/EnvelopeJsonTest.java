package dev.qrauth.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qrauth.protocol.error.DeviceError;
import dev.qrauth.protocol.error.DeviceErrorCode;
import dev.qrauth.protocol.error.InvalidClientError;
import dev.qrauth.protocol.error.PortalError;
import dev.qrauth.protocol.error.PortalErrorCode;
import dev.qrauth.protocol.json.ProtocolFormatException;
import dev.qrauth.protocol.json.ProtocolJson;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class EnvelopeJsonTest {

    static final SecureRandom RANDOM = new SecureRandom();
    static final UUID ID = UUID.fromString("6f1c2a9e-3b7d-4c1e-9a55-0d2f8b7e4c10");
    static final String NONCE = Nonce.generate(RANDOM);

    static MobileAuthMessage message(List<Integer> choices) {
        return new MobileAuthMessage(MobileAuthMessage.VERSION, ID, "alice", "login", "Log in to Example",
                "From Firefox on Linux", "Example Portal",
                new RequestContext("Firefox 140", "Linux", "192.0.2.10", null),
                Instant.parse("2026-11-28T14:05:00Z"), NONCE, choices);
    }

    static String json(Object value) {
        return new String(ProtocolJson.write(value), StandardCharsets.UTF_8);
    }

    static <T> T read(String json, Class<T> type) {
        return ProtocolJson.read(json.getBytes(StandardCharsets.UTF_8), type);
    }

    @Nested
    class MobileAuthMessages {
        @Test
        void roundTripWithTheDocumentedMemberNames() {
            MobileAuthMessage message = message(List.of(17, 42, 86));
            String json = json(message);
            assertThat(json).contains("\"transaction_id\":\"" + ID + "\"", "\"secure_message\"",
                    "\"portal_name\":\"Example Portal\"", "\"expires_at\":\"2026-11-28T14:05:00Z\"",
                    "\"number_choices\":[17,42,86]", "\"ip_address\":\"192.0.2.10\"", "\"os\":\"Linux\"");
            assertThat(read(json, MobileAuthMessage.class)).isEqualTo(message);
        }

        @Test
        void absentOptionalMembersAreLeftOut() {
            String json = json(message(null));
            assertThat(json).doesNotContain("number_choices", "location");
            assertThat(read(json, MobileAuthMessage.class).requiresNumberMatching()).isFalse();
        }

        @Test
        void numberChoicesMustBeThreeDistinctTwoDigitNumbers() {
            assertThatThrownBy(() -> message(List.of(17, 42))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> message(List.of(17, 17, 42))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> message(List.of(7, 42, 86))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> message(List.of(17, 42, 100))).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void aMalformedNonceIsRefused() {
            String json = json(message(null)).replace(NONCE, "short");
            assertThatThrownBy(() -> read(json, MobileAuthMessage.class)).isInstanceOf(ProtocolFormatException.class);
        }

        @Test
        void anOverlongMessageIsRefused() {
            String json = json(message(null)).replace("Log in to Example", "x".repeat(MobileAuthMessage.MAX_MESSAGE_LENGTH + 1));
            assertThatThrownBy(() -> read(json, MobileAuthMessage.class)).isInstanceOf(ProtocolFormatException.class);
        }

        @Test
        void aMissingRequiredMemberIsRefused() {
            String json = json(message(null)).replace("\"portal_name\":\"Example Portal\",", "");
            assertThatThrownBy(() -> read(json, MobileAuthMessage.class)).isInstanceOf(ProtocolFormatException.class);
        }

        @Test
        void unknownMembersFromANewerPeerAreIgnored() {
            String json = json(message(null)).replaceFirst("\\{", "{\"added_in_v2\":{\"x\":1},");
            assertThat(read(json, MobileAuthMessage.class)).isEqualTo(message(null));
        }

        @Test
        void duplicateMembersAreRefused() {
            String json = json(message(null)).replaceFirst("\\{", "{\"user_id\":\"mallory\",");
            assertThatThrownBy(() -> read(json, MobileAuthMessage.class)).isInstanceOf(ProtocolFormatException.class);
        }

        @Test
        void theFormatErrorDoesNotEchoTheInput() {
            assertThatThrownBy(() -> read("{\"user_id\": \"secret-value\"", MobileAuthMessage.class))
                    .isInstanceOf(ProtocolFormatException.class)
                    .hasMessageNotContaining("secret-value");
        }
    }

    @Nested
    class Answers {
        @Test
        void confirmationEchoesTheNonceAndCarriesTheNumber() {
            MobileAuthAnswer answer = MobileAuthAnswer.confirm(message(List.of(17, 42, 86)), 42);
            String json = json(answer);
            assertThat(json).contains("\"decision\":\"confirmed\"", "\"chosen_number\":42", "\"nonce\":\"" + NONCE + "\"")
                    .doesNotContain("deny_reason");
            assertThat(read(json, MobileAuthAnswer.class)).isEqualTo(answer);
        }

        @Test
        void fraudIsADenialWithAReason() {
            MobileAuthAnswer answer = MobileAuthAnswer.deny(message(null), DenyReason.FRAUD);
            assertThat(json(answer)).contains("\"decision\":\"denied\"", "\"deny_reason\":\"fraud\"");
            assertThat(read(json(answer), MobileAuthAnswer.class)).isEqualTo(answer);
        }

        @Test
        void aDenyReasonOnAConfirmationIsRefused() {
            assertThatThrownBy(() -> new MobileAuthAnswer(1, ID, NONCE, AnswerDecision.CONFIRMED, DenyReason.FRAUD, null))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void unknownWireValuesParseAsUnrecognized() {
            String json = json(MobileAuthAnswer.deny(message(null), DenyReason.FRAUD))
                    .replace("\"denied\"", "\"maybe\"").replace("\"fraud\"", "\"phishing\"");
            assertThatThrownBy(() -> read(json, MobileAuthAnswer.class))
                    .as("a deny reason only goes with a denial, and 'maybe' is not one")
                    .isInstanceOf(ProtocolFormatException.class);
            String onlyDecision = json(MobileAuthAnswer.confirm(message(null), null)).replace("\"confirmed\"", "\"maybe\"");
            assertThat(read(onlyDecision, MobileAuthAnswer.class).decision()).isEqualTo(AnswerDecision.UNRECOGNIZED);
            String onlyReason = json(MobileAuthAnswer.deny(message(null), DenyReason.FRAUD)).replace("\"fraud\"", "\"phishing\"");
            assertThat(read(onlyReason, MobileAuthAnswer.class).denyReason()).isEqualTo(DenyReason.UNRECOGNIZED);
        }
    }

    @Nested
    class OtherEnvelopes {
        @Test
        void sealedMessageAndEnrollmentRoundTrip() {
            SealedMessage sealed = new SealedMessage(ID, "wcDMA0...");
            assertThat(json(sealed)).isEqualTo("{\"transaction_id\":\"" + ID + "\",\"message\":\"wcDMA0...\"}");
            assertThat(read(json(sealed), SealedMessage.class)).isEqualTo(sealed);
            EnrollmentRequest request = new EnrollmentRequest("-----BEGIN PGP PUBLIC KEY BLOCK-----");
            assertThat(read(json(request), EnrollmentRequest.class)).isEqualTo(request);
            EnrollmentResponse response = new EnrollmentResponse("-----BEGIN PGP PUBLIC KEY BLOCK-----", "AB12");
            assertThat(json(response)).contains("\"server_certificate\"", "\"device_key_fingerprint\":\"AB12\"");
            assertThat(read(json(response), EnrollmentResponse.class)).isEqualTo(response);
        }

        @Test
        void emptyRequiredStringsAreRefused() {
            assertThatThrownBy(() -> new EnrollmentRequest("")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> read("{\"transaction_id\":\"" + ID + "\"}", SealedMessage.class))
                    .isInstanceOf(ProtocolFormatException.class);
        }
    }

    @Nested
    class ErrorBodies {
        @Test
        void portalErrorCarriesTheOneginiNumberAsAStringWithADescription() {
            assertThat(json(PortalError.of(PortalErrorCode.MESSAGE_TOO_LONG))).isEqualTo(
                    "{\"error_code\":\"1005\",\"description\":\"Message too long\",\"error_message\":\"Message too long\"}");
            PortalError onegini = read("{\"error_code\":\"3004\",\"description\":\"Invalid transaction id\"}", PortalError.class);
            assertThat(onegini.errorCode()).isEqualTo(3004);
            assertThat(onegini.errorMessage()).isEqualTo("Invalid transaction id");
            assertThat(read("{\"error_code\":4242,\"error_message\":\"new\"}", PortalError.class).description())
                    .as("the body of an earlier qrauth server").isEqualTo("new");
        }

        @Test
        void theResultsTimestampIsEpochMilliseconds() {
            java.time.Instant sent = java.time.Instant.ofEpochMilli(1402390451564L);
            dev.qrauth.protocol.portal.TransactionResult result = new dev.qrauth.protocol.portal.TransactionResult(
                    ID, "https://www.myportal.com/callback", sent, "myDummyUser", true, "otp",
                    null, TransactionStatus.CONFIRMED, sent.plusSeconds(120));
            assertThat(json(result)).contains("\"timestamp\":1402390451564");
            assertThat(read(json(result), dev.qrauth.protocol.portal.TransactionResult.class).timestamp()).isEqualTo(sent);
        }

        @Test
        void invalidClientIsTheOAuthShape() {
            assertThat(json(InvalidClientError.invalidClient("Bad credentials")))
                    .isEqualTo("{\"error\":\"invalid_client\",\"error_description\":\"Bad credentials\"}");
        }

        @Test
        void deviceErrorCarriesRemainingAttemptsOnlyForAWrongPin() {
            assertThat(json(DeviceError.invalidPin(2)))
                    .isEqualTo("{\"error\":\"INVALID_PIN\",\"error_message\":\"Wrong PIN\",\"remaining_attempts\":2}");
            assertThat(json(DeviceError.of(DeviceErrorCode.NOT_FOUND, "Not found")))
                    .isEqualTo("{\"error\":\"NOT_FOUND\",\"error_message\":\"Not found\"}");
        }

        @Test
        void aDeviceErrorCodeFromANewerServerParses() {
            DeviceError error = read("{\"error\":\"QUANTUM_FLUX\",\"error_message\":\"?\"}", DeviceError.class);
            assertThat(error.error()).isEqualTo(DeviceErrorCode.UNRECOGNIZED);
        }
    }
}
