package dev.qrauth.portalclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.qrauth.protocol.error.PortalErrorCode;
import dev.qrauth.protocol.message.TransactionStatus;
import dev.qrauth.protocol.portal.AuthenticationStarted;
import dev.qrauth.protocol.portal.AvailableTypes;
import dev.qrauth.protocol.portal.TransactionFrame;
import dev.qrauth.protocol.portal.TransactionResult;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PortalClientTest {

    private static final String CLIENT_ID = "portal";
    private static final String CLIENT_SECRET = "s3cret:with colon";
    private static final URI CALLBACK = URI.create("https://portal.example/callbacks/mobile-auth");
    private static final UUID TX = UUID.fromString("6f1c2a9e-3b7d-4c1e-9a55-0d2f8b7e4c10");

    private final StubTokenServer server = new StubTokenServer();
    private final PortalClient client = PortalClient.builder(server.url(), CLIENT_ID, CLIENT_SECRET)
            .connectTimeout(Duration.ofSeconds(5))
            .requestTimeout(Duration.ofSeconds(10))
            .build();

    @AfterEach
    void stop() {
        server.close();
    }

    private static String started() {
        return "{\"transaction_id\":\"" + TX + "\",\"auth_method\":\"otp\",\"time_to_live\":120000,"
                + "\"otp\":\"the-otp\",\"expires_at\":\"2026-11-28T14:02:00Z\",\"binding_code\":47,"
                + "\"short_code\":\"K7QM-4XRT-9BHN-3PWZ\"}";
    }

    private static String result(UUID id, String status) {
        return "{\"transaction_id\":\"" + id + "\",\"callback_uri\":\"" + CALLBACK + "\",\"timestamp\":1795874400000,"
                + "\"user_id\":\"alice\",\"is_authenticated\":" + status.equals("CONFIRMED") + ","
                + "\"authentication_method\":\"otp\",\"status\":\"" + status + "\",\"expires_at\":\"2026-11-28T14:02:00Z\"}";
    }

    private static String error(int code, String description) {
        return "{\"error_code\":\"" + code + "\",\"description\":\"" + description + "\",\"error_message\":\""
                + description + "\"}";
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        Arrays.stream(body.split("&")).map(pair -> pair.split("=", 2)).forEach(pair -> form.put(
                URLDecoder.decode(pair[0], StandardCharsets.UTF_8), URLDecoder.decode(pair[1], StandardCharsets.UTF_8)));
        return form;
    }

    private AuthenticationRequest login() {
        return AuthenticationRequest.builder("login", CALLBACK).message("Log in to Example").build();
    }

    private TokenServerRefusedException refusalOf(Runnable call) {
        return catchThrowableOfType(TokenServerRefusedException.class, call::run);
    }

    @Nested
    class Authenticate {

        @Test
        void sendsTheFormWithTheClientsBasicCredentialsAndReturnsTheTransaction() {
            server.answer(200, started());

            AuthenticationStarted started = client.authenticate(AuthenticationRequest.builder("login", CALLBACK)
                    .message("Log in to Example").secureMessage("Details").languageCode("nl-NL")
                    .browser("203.0.113.7", "Firefox on Linux").expectedUserId("alice").build());

            assertThat(started.transactionId()).isEqualTo(TX);
            assertThat(started.otp()).isEqualTo("the-otp");
            assertThat(started.timeToLive()).isEqualTo(120000);
            assertThat(started.expiresAt()).isEqualTo(Instant.parse("2026-11-28T14:02:00Z"));
            assertThat(started.bindingCode()).isEqualTo(47);
            assertThat(started.shortCode()).isEqualTo("K7QM-4XRT-9BHN-3PWZ");
            StubTokenServer.Received sent = server.last();
            assertThat(sent.method()).isEqualTo("POST");
            assertThat(sent.rawPath()).isEqualTo("/oauth/api/v4/authenticate/user");
            assertThat(sent.header("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                    .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8)));
            assertThat(sent.header("Accept")).isEqualTo("application/json");
            assertThat(sent.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
            assertThat(form(sent.body())).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "type", "login", "callback_uri", CALLBACK.toString(), "message", "Log in to Example",
                    "secure_message", "Details", "language_code", "nl-NL", "ip_address", "203.0.113.7",
                    "user_agent", "Firefox on Linux", "expected_user_id", "alice"));
        }

        @Test
        void sendsTheApproversOfAFourEyesRequestCommaSeparated() {
            server.answer(200, started());

            client.authenticate(AuthenticationRequest.builder("payment", CALLBACK)
                    .approvers(java.util.List.of("alice", "bob")).build());

            assertThat(form(server.last().body())).containsEntry("approvers", "alice,bob");
            assertThatThrownBy(() -> AuthenticationRequest.builder("payment", CALLBACK)
                    .approvers(java.util.List.of("alice", "bob,carol")))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void sendsNoOptionalParameterThatWasNotGivenAndNoBlankUserAgent() {
            server.answer(200, started());

            client.authenticate(AuthenticationRequest.builder("login", CALLBACK).browser(null, "  ").build());

            assertThat(form(server.last().body())).containsOnlyKeys("type", "callback_uri");
        }

        @Test
        void cutsALongUserAgentToWhatTheServerTakesWithoutSplittingASurrogatePair() {
            server.answer(200, started());
            String userAgent = "a".repeat(511) + "\uD83D\uDE00" + "b".repeat(100);

            client.authenticate(AuthenticationRequest.builder("login", CALLBACK).browser(null, userAgent).build());

            assertThat(form(server.last().body()).get("user_agent")).isEqualTo("a".repeat(511));
        }

        @Test
        void aRefusedCallbackUriNamesTheParameter() {
            server.answer(400, error(1003, "callback_uri is not in this client's allow-list"));

            TokenServerRefusedException e = refusalOf(() -> client.authenticate(login()));

            assertThat(e.status()).isEqualTo(400);
            assertThat(e.errorCode()).isEqualTo(1003);
            assertThat(e.knownCode()).contains(PortalErrorCode.INVALID_PARAMETER);
            assertThat(e.refusedParameter()).contains("callback_uri");
            assertThat(e.description()).isEqualTo("callback_uri is not in this client's allow-list");
            assertThat(e.getMessage()).contains("1003").contains("callback_uri is not in this client's allow-list");
        }

        @Test
        void aGeneralInvalidParameterNamesNoParameter() {
            server.answer(400, error(1003, "Invalid or missing parameter"));

            assertThat(refusalOf(() -> client.authenticate(login())).refusedParameter()).isEmpty();
        }

        @Test
        void aMessageTooLongIs1005() {
            server.answer(400, error(1005, "message is too long"));

            TokenServerRefusedException e = refusalOf(() -> client.authenticate(login()));

            assertThat(e.errorCode()).isEqualTo(1005);
            assertThat(e.knownCode()).contains(PortalErrorCode.MESSAGE_TOO_LONG);
            assertThat(e.refusedParameter()).isEmpty();
        }

        @Test
        void anUnknownTypeIs3005() {
            server.answer(404, error(3005, "Mobile authentication type not found"));

            TokenServerRefusedException e = refusalOf(() -> client.authenticate(login()));

            assertThat(e.status()).isEqualTo(404);
            assertThat(e.knownCode()).contains(PortalErrorCode.TYPE_NOT_FOUND);
        }

        @Test
        void aCodeFromANewerServerIsKeptAsANumberSentAsNumberOrString() {
            server.answer(400, "{\"error_code\":9876,\"description\":\"something new\"}");

            TokenServerRefusedException e = refusalOf(() -> client.authenticate(login()));

            assertThat(e.errorCode()).isEqualTo(9876);
            assertThat(e.knownCode()).isEmpty();
        }

        @Test
        void aRateLimitCarriesItsRetryAfter() {
            server.answer(429, error(9002, "Too many requests")).header("Retry-After", "7");

            TokenServerRefusedException e = refusalOf(() -> client.authenticate(login()));

            assertThat(e.knownCode()).contains(PortalErrorCode.RATE_LIMITED);
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
        }

        @Test
        void aRateLimitWithoutRetryAfterStillAsksForAWait() {
            server.answer(429, error(9002, "Too many requests"));

            assertThat(refusalOf(() -> client.authenticate(login())).retryAfter()).contains(Duration.ofSeconds(1));
        }

        @Test
        void aRefusedClientCarriesTheOAuthError() {
            server.answer(401, "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}")
                    .header("WWW-Authenticate", "Basic");

            TokenServerRefusedException e = refusalOf(() -> client.authenticate(login()));

            assertThat(e.status()).isEqualTo(401);
            assertThat(e.errorCode()).isZero();
            assertThat(e.oauthError()).contains("invalid_client");
            assertThat(e.description()).isEqualTo("Client authentication failed");
            assertThat(e.retryAfter()).isEmpty();
        }

        @Test
        void anErrorPageFromSomethingElseIsARefusalWithoutCodeAndItsTextMadeSafeForALog() {
            server.answer(502, "<html>Bad gateway\r\nInjected: line</html>" + "x".repeat(1000));

            TokenServerRefusedException e = refusalOf(() -> client.authenticate(login()));

            assertThat(e.status()).isEqualTo(502);
            assertThat(e.errorCode()).isZero();
            assertThat(e.oauthError()).isEmpty();
            assertThat(e.description()).startsWith("<html>Bad gateway??Injected").hasSize(300);
            assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r");
        }

        @Test
        void aRedirectIsNotFollowed() {
            server.answer(302, "").header("Location", "http://127.0.0.1:1/elsewhere");

            assertThat(refusalOf(() -> client.authenticate(login())).status()).isEqualTo(302);
        }

        @Test
        void anUnreadableSuccessIsAnUnexpectedAnswer() {
            server.answer(200, "{\"transaction_id\":");

            assertThatThrownBy(() -> client.authenticate(login())).isInstanceOf(UnexpectedAnswerException.class)
                    .hasMessageContaining("unreadable");
        }

        @Test
        void aSuccessWithoutAnOtpIsAnUnexpectedAnswer() {
            server.answer(200, "{\"transaction_id\":\"" + TX + "\",\"auth_method\":\"otp\",\"time_to_live\":1}");

            assertThatThrownBy(() -> client.authenticate(login())).isInstanceOf(UnexpectedAnswerException.class);
        }

        @Test
        void aJsonNullIsAnUnexpectedAnswer() {
            server.answer(200, "null");

            assertThatThrownBy(() -> client.authenticate(login())).isInstanceOf(UnexpectedAnswerException.class);
        }
    }

    @Nested
    class Result {

        @Test
        void readsTheTransaction() {
            server.answer(200, result(TX, "CONFIRMED"));

            TransactionResult result = client.result(TX);

            assertThat(server.last().method()).isEqualTo("GET");
            assertThat(server.last().rawPath()).isEqualTo("/oauth/api/v4/authenticate/transaction/" + TX);
            assertThat(result.status()).isEqualTo(TransactionStatus.CONFIRMED);
            assertThat(result.isAuthenticated()).isTrue();
            assertThat(result.userId()).isEqualTo("alice");
            assertThat(result.timestamp()).isEqualTo(Instant.ofEpochMilli(1795874400000L));
        }

        @Test
        void readsTheApproversOfAFourEyesTransaction() {
            server.answer(200, "{\"transaction_id\":\"" + TX + "\",\"callback_uri\":\"" + CALLBACK + "\","
                    + "\"timestamp\":1795874400000,\"user_id\":\"alice\",\"is_authenticated\":true,"
                    + "\"authentication_method\":\"OTP\",\"status\":\"CONFIRMED\",\"required_approvals\":2,"
                    + "\"approvers\":[\"alice\",\"bob\"]}");

            TransactionResult result = client.result(TX);

            assertThat(result.requiredApprovals()).isEqualTo(2);
            assertThat(result.approvers()).containsExactly("alice", "bob");
        }

        @Test
        void anUnknownTransactionIs3004() {
            server.answer(404, error(3004, "Invalid transaction id"));

            TokenServerRefusedException e = refusalOf(() -> client.result(TX));

            assertThat(e.status()).isEqualTo(404);
            assertThat(e.knownCode()).contains(PortalErrorCode.TRANSACTION_NOT_FOUND);
        }

        @Test
        void aResultForAnotherTransactionIsAnUnexpectedAnswer() {
            server.answer(200, result(UUID.randomUUID(), "CONFIRMED"));

            assertThatThrownBy(() -> client.result(TX)).isInstanceOf(UnexpectedAnswerException.class)
                    .hasMessageContaining("another transaction");
        }

        @Test
        void aResultWithoutStatusIsAnUnexpectedAnswer() {
            server.answer(200, "{\"transaction_id\":\"" + TX + "\",\"is_authenticated\":false}");

            assertThatThrownBy(() -> client.result(TX)).isInstanceOf(UnexpectedAnswerException.class);
        }

        @Test
        void aResultThatIsNotJsonIsAnUnexpectedAnswer() {
            server.answer(200, "<html>login here</html>");

            UnexpectedAnswerException e = catchThrowableOfType(UnexpectedAnswerException.class, () -> client.result(TX));

            assertThat(e.status()).isEqualTo(200);
        }

        @Test
        void aDatabaseOutageCarriesItsRetryAfter() {
            server.answer(503, error(9005, "Service temporarily unavailable")).header("Retry-After", "5");

            TokenServerRefusedException e = refusalOf(() -> client.result(TX));

            assertThat(e.knownCode()).contains(PortalErrorCode.SERVICE_UNAVAILABLE);
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(5));
        }
    }

    @Nested
    class Receipt {

        String receipt(UUID transactionId) {
            return "{\"transaction_id\":\"" + transactionId + "\",\"seq\":2,\"statement\":\"e30=\","
                    + "\"device_signature\":\"AQI=\",\"device_certificate_fingerprint\":\"ABCD\","
                    + "\"entry\":\"e30=\",\"server_signature\":\"AwQ=\"}";
        }

        @Test
        void readsTheReceiptWithTheClientsCredentials() {
            server.answer(200, receipt(TX));

            dev.qrauth.protocol.receipt.ReceiptRecord receipt = client.receipt(TX);

            assertThat(server.last().rawPath()).isEqualTo("/oauth/api/v4/authenticate/transaction/" + TX + "/receipt");
            assertThat(receipt.seq()).isEqualTo(2);
            assertThat(receipt.deviceCertificateFingerprint()).isEqualTo("ABCD");
            assertThat(receipt.serverSignatureBytes()).containsExactly(3, 4);
        }

        @Test
        void noReceiptIs3004() {
            server.answer(404, error(3004, "No receipt for this transaction"));

            assertThat(refusalOf(() -> client.receipt(TX)).knownCode()).contains(PortalErrorCode.TRANSACTION_NOT_FOUND);
        }

        @Test
        void anotherTransactionsReceiptIsAnUnexpectedAnswer() {
            server.answer(200, receipt(UUID.randomUUID()));

            assertThatThrownBy(() -> client.receipt(TX)).isInstanceOf(UnexpectedAnswerException.class);
        }

        String receiptOf(String userId) {
            byte[] statement = dev.qrauth.protocol.json.ProtocolJson.write(new dev.qrauth.protocol.receipt.ReceiptStatement(
                    1, TX, userId, UUID.randomUUID(), "Example Portal", "four-eyes", "Approve the payment", null, null,
                    dev.qrauth.protocol.message.AnswerDecision.CONFIRMED, null, java.time.Instant.now()));
            return "{\"transaction_id\":\"" + TX + "\",\"seq\":2,\"statement\":\""
                    + java.util.Base64.getEncoder().encodeToString(statement) + "\",\"device_signature\":\"AQI=\","
                    + "\"device_certificate_fingerprint\":\"ABCD\",\"entry\":\"e30=\",\"server_signature\":\"AwQ=\"}";
        }

        @Test
        void readsOneApproversReceiptByUserIdAndChecksItIsTheirs() {
            server.answer(200, receiptOf("bob smith"));

            dev.qrauth.protocol.receipt.ReceiptRecord receipt = client.receipt(TX, "bob smith");

            assertThat(server.last().rawPath()).isEqualTo("/oauth/api/v4/authenticate/transaction/" + TX + "/receipt");
            assertThat(server.last().rawQuery()).isEqualTo("user_id=bob+smith");
            assertThat(receipt.parsedStatement().userId()).isEqualTo("bob smith");

            server.answer(200, receiptOf("alice"));
            assertThatThrownBy(() -> client.receipt(TX, "bob smith")).isInstanceOf(UnexpectedAnswerException.class)
                    .hasMessageContaining("another user's receipt");
        }

        @Test
        void aReceiptWithoutItsSignaturesIsAnUnexpectedAnswer() {
            server.answer(200, "{\"transaction_id\":\"" + TX + "\",\"seq\":1,\"statement\":\"e30=\"}");

            assertThatThrownBy(() -> client.receipt(TX)).isInstanceOf(UnexpectedAnswerException.class);
        }
    }

    @Nested
    class Frame {

        @Test
        void readsTheCurrentFrameWithTheClientsCredentials() {
            server.answer(200, "{\"otp\":\"frame-otp\",\"frame\":3,\"rotation_seconds\":10,\"status\":\"PENDING\"}");

            TransactionFrame frame = client.frame(TX);

            assertThat(server.last().method()).isEqualTo("GET");
            assertThat(server.last().rawPath()).isEqualTo("/oauth/api/v4/authenticate/transaction/" + TX + "/frame");
            assertThat(server.last().header("Authorization")).startsWith("Basic ");
            assertThat(frame.otp()).isEqualTo("frame-otp");
            assertThat(frame.frame()).isEqualTo(3);
            assertThat(frame.rotationSeconds()).isEqualTo(10);
            assertThat(frame.isPending()).isTrue();
            assertThat(frame.toString()).doesNotContain("frame-otp");
        }

        @Test
        void aTransactionThatMovedOnAnswersItsStatusWithoutAnOtp() {
            server.answer(200, "{\"frame\":2,\"rotation_seconds\":10,\"status\":\"SCANNED\"}");

            TransactionFrame frame = client.frame(TX);

            assertThat(frame.isPending()).isFalse();
            assertThat(frame.status()).isEqualTo(TransactionStatus.SCANNED);
            assertThat(frame.otp()).isNull();
        }

        @Test
        void aTypeThatDoesNotRotateIs9004() {
            server.answer(404, error(9004, "The transaction's type does not rotate its code"));

            TokenServerRefusedException e = refusalOf(() -> client.frame(TX));

            assertThat(e.status()).isEqualTo(404);
            assertThat(e.knownCode()).contains(PortalErrorCode.NOT_FOUND);
        }

        @Test
        void anUnknownTransactionIs3004() {
            server.answer(404, error(3004, "Invalid transaction id"));

            assertThat(refusalOf(() -> client.frame(TX)).knownCode()).contains(PortalErrorCode.TRANSACTION_NOT_FOUND);
        }

        @Test
        void aPendingFrameWithoutAnOtpIsAnUnexpectedAnswer() {
            server.answer(200, "{\"frame\":2,\"rotation_seconds\":10,\"status\":\"PENDING\"}");

            assertThatThrownBy(() -> client.frame(TX)).isInstanceOf(UnexpectedAnswerException.class);
        }

        @Test
        void aFrameWithoutStatusIsAnUnexpectedAnswer() {
            server.answer(200, "{\"otp\":\"frame-otp\",\"frame\":2,\"rotation_seconds\":10}");

            assertThatThrownBy(() -> client.frame(TX)).isInstanceOf(UnexpectedAnswerException.class);
        }

        @Test
        void aFrameThatIsNotJsonIsAnUnexpectedAnswer() {
            server.answer(200, "<html>login here</html>");

            assertThatThrownBy(() -> client.frame(TX)).isInstanceOf(UnexpectedAnswerException.class);
        }
    }

    @Nested
    class ReverseCode {

        @Test
        void submitsTheCodeAndReturnsTheResultAfterIt() {
            server.answer(200, result(TX, "CONFIRMED"));

            TransactionResult result = client.submitReverseCode(TX, "123 456");

            assertThat(server.last().method()).isEqualTo("POST");
            assertThat(server.last().rawPath()).isEqualTo("/oauth/api/v4/authenticate/transaction/" + TX + "/reverse-code");
            assertThat(form(server.last().body())).isEqualTo(Map.of("code", "123 456"));
            assertThat(result.status()).isEqualTo(TransactionStatus.CONFIRMED);
        }

        @Test
        void aTransactionNotWaitingForACodeIs9001() {
            server.answer(409, error(9001, "Transaction is no longer pending"));

            TokenServerRefusedException e = refusalOf(() -> client.submitReverseCode(TX, "123456"));

            assertThat(e.status()).isEqualTo(409);
            assertThat(e.knownCode()).contains(PortalErrorCode.TRANSACTION_NOT_PENDING);
        }

        @Test
        void aCodeThatIsNotSixDigitsIs1003NamingTheCode() {
            server.answer(400, error(1003, "code must be six digits"));

            assertThat(refusalOf(() -> client.submitReverseCode(TX, "12")).refusedParameter()).contains("code");
        }
    }

    @Nested
    class Cancel {

        @Test
        void aCancelledTransactionIsTrue() {
            server.answer(204, "");

            assertThat(client.cancel(TX)).isTrue();
            assertThat(server.last().method()).isEqualTo("DELETE");
            assertThat(server.last().rawPath()).isEqualTo("/oauth/api/v4/authenticate/transaction/" + TX);
        }

        @Test
        void aTransactionThatHadAlreadyEndedIsFalse() {
            server.answer(409, error(9001, "Transaction is no longer pending"));

            assertThat(client.cancel(TX)).isFalse();
        }

        @Test
        void anUnknownTransactionIs3004() {
            server.answer(404, error(3004, "Invalid transaction id"));

            assertThat(refusalOf(() -> client.cancel(TX)).errorCode()).isEqualTo(3004);
        }

        @Test
        void anyOtherSuccessIsAnUnexpectedAnswer() {
            server.answer(200, "{}");

            assertThatThrownBy(() -> client.cancel(TX)).isInstanceOf(UnexpectedAnswerException.class);
        }
    }

    @Nested
    class Availability {

        @Test
        void readsTheTypesOfAUserWithTheUserIdAsOnePathSegment() {
            server.answer(200, "{\"enabled\":[{\"type\":\"approval\",\"method\":\"OTP\"},{\"type\":\"login\",\"method\":\"OTP\"}]}");

            AvailableTypes.ForUser types = client.availableTypes("ann/o'hara smith");

            assertThat(server.last().method()).isEqualTo("GET");
            assertThat(server.last().rawPath())
                    .isEqualTo("/oauth/api/v4/authenticate/user/ann%2Fo%27hara%20smith/enabled");
            assertThat(types.enabled()).containsExactly(new AvailableTypes.Type("approval", "OTP"),
                    new AvailableTypes.Type("login", "OTP"));
        }

        @Test
        void aUserIdThatIsADotSegmentStaysOneSegment() {
            server.answer(200, "{\"enabled\":[]}");

            client.availableTypes("..");

            assertThat(server.last().rawPath()).isEqualTo("/oauth/api/v4/authenticate/user/%2E%2E/enabled");
        }

        @Test
        void mobileAuthenticationIsAvailableExactlyWhenSomeTypeIs() {
            server.answer(200, "{\"enabled\":[{\"type\":\"login\",\"method\":\"OTP\"}]}");
            assertThat(client.isMobileAuthenticationAvailable("alice")).isTrue();

            server.answer(200, "{\"enabled\":[]}");
            assertThat(client.isMobileAuthenticationAvailable("alice")).isFalse();
        }

        @Test
        void readsTheTypesOfAUserOnADevice() {
            server.answer(200, "{\"enabled\":[\"approval\",\"login\"]}");
            String device = UUID.randomUUID().toString();

            AvailableTypes.ForDevice types = client.availableTypes("alice", device);

            assertThat(server.last().rawPath())
                    .isEqualTo("/oauth/api/v4/authenticate/user/alice/device/" + device + "/enabled");
            assertThat(types.enabled()).isEqualTo(List.of("approval", "login"));
        }

        @Test
        void aBodyOfAnotherShapeIsAnUnexpectedAnswer() {
            server.answer(200, "{\"enabled\":\"login\"}");

            assertThatThrownBy(() -> client.availableTypes("alice")).isInstanceOf(UnexpectedAnswerException.class);
        }

        @Test
        void aRefusedClientIsARefusal() {
            server.answer(401, "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}");

            assertThat(refusalOf(() -> client.availableTypes("alice")).oauthError()).contains("invalid_client");
        }
    }

    @Nested
    class DisableMobileAuthentication {

        @Test
        void postsToTheUsersDeviceWithoutABody() {
            server.answer(204, "");
            String device = UUID.randomUUID().toString();

            client.disableMobileAuthentication("alice", device);

            StubTokenServer.Received sent = server.last();
            assertThat(sent.method()).isEqualTo("POST");
            assertThat(sent.rawPath())
                    .isEqualTo("/oauth/api/v4/users/alice/devices/" + device + "/disableMobileAuthentication");
            assertThat(sent.body()).isEmpty();
            assertThat(sent.header("Authorization")).startsWith("Basic ");
        }

        @Test
        void aRefusedClientIsARefusal() {
            server.answer(401, "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}");

            TokenServerRefusedException e = refusalOf(() -> client.disableMobileAuthentication("alice", "d"));

            assertThat(e.status()).isEqualTo(401);
            assertThat(e.oauthError()).contains("invalid_client");
        }
    }

    @Nested
    class CallbackUriCheck {

        @Test
        void postsTheUriAsAFormAndReturnsOnNoContent() {
            server.answer(204, "");

            client.checkCallbackUri(CALLBACK);

            StubTokenServer.Received sent = server.last();
            assertThat(sent.method()).isEqualTo("POST");
            assertThat(sent.rawPath()).isEqualTo("/oauth/api/v4/authenticate/callback-uri");
            assertThat(sent.header("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                    .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8)));
            assertThat(sent.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
            assertThat(form(sent.body())).isEqualTo(Map.of("callback_uri", CALLBACK.toString()));
        }

        @Test
        void aRefusedUriIs1003NamingTheCallbackUri() {
            server.answer(400, error(1003, "callback_uri is not in this client's allow-list"));

            TokenServerRefusedException e = refusalOf(() -> client.checkCallbackUri(CALLBACK));

            assertThat(e.status()).isEqualTo(400);
            assertThat(e.knownCode()).contains(PortalErrorCode.INVALID_PARAMETER);
            assertThat(e.refusedParameter()).contains("callback_uri");
            assertThat(e.description()).isEqualTo("callback_uri is not in this client's allow-list");
            assertThat(e.getMessage()).contains(CALLBACK.toString()).contains("1003");
        }

        @Test
        void aTokenServerWithoutTheCheckIsA404Refusal() {
            server.answer(404, error(9004, "No such resource"));

            TokenServerRefusedException e = refusalOf(() -> client.checkCallbackUri(CALLBACK));

            assertThat(e.status()).isEqualTo(404);
            assertThat(e.refusedParameter()).isEmpty();
        }

        @Test
        void aRefusedClientIsARefusal() {
            server.answer(401, "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}");

            assertThat(refusalOf(() -> client.checkCallbackUri(CALLBACK)).oauthError()).contains("invalid_client");
        }

        @Test
        void anyOtherSuccessIsAnUnexpectedAnswer() {
            server.answer(200, "{}");

            assertThatThrownBy(() -> client.checkCallbackUri(CALLBACK)).isInstanceOf(UnexpectedAnswerException.class);
        }
    }

    @Nested
    class NoAnswer {

        private PortalClient impatient() {
            return PortalClient.builder(server.url(), CLIENT_ID, CLIENT_SECRET)
                    .requestTimeout(Duration.ofMillis(300)).build();
        }

        @Test
        void aServerThatNeverAnswersIsATimeout() {
            server.stallBeforeHeaders();

            TokenServerUnreachableException e = catchThrowableOfType(TokenServerUnreachableException.class,
                    () -> impatient().result(TX));

            assertThat(e.isTimeout()).isTrue();
            assertThat(e.status()).isZero();
        }

        @Test
        void aBodyThatStopsHalfwayIsATimeout() {
            server.answer(200, result(TX, "CONFIRMED")).stallInBody();

            TokenServerUnreachableException e = catchThrowableOfType(TokenServerUnreachableException.class,
                    () -> impatient().result(TX));

            assertThat(e.isTimeout()).isTrue();
        }

        @Test
        void aServerThatIsNotThereIsUnreachableButNoTimeout() throws Exception {
            URI closed;
            try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
            }
            PortalClient nowhere = PortalClient.builder(closed, CLIENT_ID, CLIENT_SECRET).build();

            TokenServerUnreachableException e = catchThrowableOfType(TokenServerUnreachableException.class,
                    () -> nowhere.cancel(TX));

            assertThat(e.isTimeout()).isFalse();
            assertThat(e.getMessage()).doesNotContain(CLIENT_SECRET);
        }
    }

    @Nested
    class Configuration {

        @Test
        void aBaseUrlWithATrailingSlashGivesTheSamePaths() {
            server.answer(204, "");
            PortalClient slashed = PortalClient.builder(URI.create(server.url() + "/"), CLIENT_ID, CLIENT_SECRET).build();

            slashed.cancel(TX);

            assertThat(server.last().rawPath()).isEqualTo("/oauth/api/v4/authenticate/transaction/" + TX);
        }

        @Test
        void refusesWhatCannotWork() {
            assertThatThrownBy(() -> PortalClient.builder(URI.create("ftp://tokens.example"), "id", "secret"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> PortalClient.builder(server.url(), "id:with-colon", "secret"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> PortalClient.builder(server.url(), "id", "secret").requestTimeout(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> PortalClient.builder(server.url(), "id", "secret")
                    .connectTimeout(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
