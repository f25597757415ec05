package dev.qrauth.adminclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.qrauth.protocol.admin.AuditPage;
import dev.qrauth.protocol.admin.ClientChange;
import dev.qrauth.protocol.admin.CreatedClient;
import dev.qrauth.protocol.admin.IssuedActivationCode;
import dev.qrauth.protocol.admin.MobileAuthTypeView;
import dev.qrauth.protocol.admin.NewClient;
import dev.qrauth.protocol.admin.SecretRotation;
import dev.qrauth.protocol.admin.UserView;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class AdminClientTest {

    private static final String PASSWORD = "pass:word with colon";
    private static final UUID DEVICE = UUID.fromString("6f1c2a9e-3b7d-4c1e-9a55-0d2f8b7e4c10");

    private final FakeAdminApi server = new FakeAdminApi();
    private final AdminClient admin = AdminClient.builder(server.url(), "admin", PASSWORD)
            .requestTimeout(Duration.ofSeconds(10)).build();

    @AfterEach
    void stop() {
        server.close();
    }

    @Nested
    class Calls {

        @Test
        void aTypeIsSentAsTheServersJsonWithTheAdminsBasicCredentials() {
            server.answer(201, "{\"name\":\"login\",\"method\":\"OTP\",\"time_to_live_seconds\":120,"
                    + "\"default_message\":\"Log in\",\"number_matching\":false,\"max_message_length\":512,"
                    + "\"proximity\":\"off\",\"reverse_code\":false,\"default_messages\":{}}");

            MobileAuthTypeView created = admin.createType(MobileAuthTypeView.otp("login", 120).withDefaultMessage("Log in"));

            FakeAdminApi.Request request = server.last();
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.rawPathAndQuery()).isEqualTo("/admin/api/v1/mobile-auth-types");
            assertThat(request.authorization()).isEqualTo("Basic " + Base64.getEncoder()
                    .encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
            assertThat(request.contentType()).isEqualTo("application/json");
            assertThat(request.body()).isEqualTo(
                    "{\"name\":\"login\",\"method\":\"OTP\",\"time_to_live_seconds\":120,\"default_message\":\"Log in\"}");
            assertThat(created.maxMessageLength()).isEqualTo(512);
            assertThat(created.proximity()).isEqualTo("off");
        }

        @Test
        void aNewClientAnswersItsSecretsTypedAndKeepsThemOutOfItsText() {
            server.answer(201, "{\"client_id\":\"c1\",\"client_secret\":\"s1\",\"callback_signing_secret\":\"k1\"}");

            CreatedClient created = admin.createClient(
                    NewClient.of("shop", "The Shop", List.of("http://127.0.0.1:9/cb")).withCallbackOnScan(true));

            assertThat(server.last().body()).isEqualTo("{\"name\":\"shop\",\"display_name\":\"The Shop\","
                    + "\"callback_uris\":[\"http://127.0.0.1:9/cb\"],\"callback_on_scan\":true}");
            assertThat(created).isEqualTo(new CreatedClient("c1", "s1", "k1"));
            assertThat(created.toString()).doesNotContain("s1", "k1");
        }

        @Test
        void aChangeSendsOnlyTheMembersItWasGiven() {
            server.answer(200, "{\"client_id\":\"c1\",\"name\":\"shop\",\"display_name\":\"The Shop\","
                    + "\"callback_uris\":[],\"callback_username\":null,\"callback_on_scan\":false,\"enabled\":false,"
                    + "\"rotation_overlap_until\":null,\"created_at\":\"2026-12-01T10:00:00Z\",\"updated_at\":null}");

            assertThat(admin.changeClient("c1", new ClientChange().withEnabled(false)).enabled()).isFalse();

            assertThat(server.last().method()).isEqualTo("PATCH");
            assertThat(server.last().rawPathAndQuery()).isEqualTo("/admin/api/v1/clients/c1");
            assertThat(server.last().body()).isEqualTo("{\"enabled\":false}");
        }

        @Test
        void aRotationSendsItsOverlapInWholeSecondsOrNothing() {
            server.answer(201, "{\"client_id\":\"c1\",\"client_secret\":\"s2\",\"callback_signing_secret\":\"k2\","
                    + "\"rotation_overlap_until\":\"2026-12-02T10:00:00Z\"}").answer(201,
                    "{\"client_id\":\"c1\",\"client_secret\":\"s3\",\"callback_signing_secret\":\"k3\"}");

            assertThat(admin.rotateSecrets("c1", SecretRotation.withOverlap(Duration.ofHours(1))).rotationOverlapUntil())
                    .isEqualTo(Instant.parse("2026-12-02T10:00:00Z"));
            assertThat(server.last().body()).isEqualTo("{\"overlap_seconds\":3600}");
            assertThat(admin.rotateSecrets("c1", SecretRotation.withDefaultOverlap()).clientSecret()).isEqualTo("s3");
            assertThat(server.last().body()).isEqualTo("{}");
        }

        @Test
        void anActivationCodeForAnExistingUserIsIssuedAfterTheConflict() {
            server.answer(409, "{\"error\":\"conflict\",\"error_message\":\"A user with that id exists\"}")
                    .answer(201, "{\"user_id\":\"a b/c\",\"activation_code\":\"CODE\",\"expires_at\":\"2026-12-02T10:00:00Z\"}");

            IssuedActivationCode issued = admin.activationCode("a b/c");

            assertThat(issued.activationCode()).isEqualTo("CODE");
            assertThat(server.received()).extracting(FakeAdminApi.Request::rawPathAndQuery)
                    .containsExactly("/admin/api/v1/users", "/admin/api/v1/users/a%20b%2Fc/activation-codes");
            assertThat(server.received().get(0).body()).isEqualTo("{\"user_id\":\"a b/c\"}");
        }

        @Test
        void aRefusalOtherThanAConflictIsNotAnsweredWithAnotherCode() {
            server.answer(400, "{\"error\":\"invalid_request\",\"error_message\":\"user_id must be 1 to 255 characters\"}");

            assertThatThrownBy(() -> admin.activationCode(""))
                    .isInstanceOf(AdminRefusedException.class).hasMessageContaining("invalid_request");
            assertThat(server.received()).hasSize(1);
        }

        @Test
        void aUserIsReadWithItsDevices() {
            server.answer(200, "{\"user_id\":\"alice\",\"created_at\":\"2026-12-01T10:00:00Z\",\"devices\":[{\"device_id\":\""
                    + DEVICE + "\",\"name\":\"phone\",\"registered_at\":\"2026-12-01T10:01:00Z\",\"mobile_auth_enrolled\":true,"
                    + "\"device_key_fingerprint\":\"AB\",\"failed_pin_attempts\":0}]}");

            UserView user = admin.user("alice");

            assertThat(user.devices()).singleElement().satisfies(device -> {
                assertThat(device.deviceId()).isEqualTo(DEVICE);
                assertThat(device.mobileAuthEnrolled()).isTrue();
            });
        }

        @Test
        void deletionsAnswerNothingAndNameTheirTarget() {
            server.answer(204, "").answer(204, "").answer(204, "");

            admin.deleteDevice(DEVICE);
            admin.removeUserFromDevice("alice", DEVICE);
            admin.deleteType("..");

            assertThat(server.received()).extracting(r -> r.method() + " " + r.rawPathAndQuery()).containsExactly(
                    "DELETE /admin/api/v1/devices/" + DEVICE,
                    "DELETE /admin/api/v1/users/alice/devices/" + DEVICE,
                    "DELETE /admin/api/v1/mobile-auth-types/%2E%2E");
        }

        @Test
        void theAuditQueryBecomesItsParameters() {
            server.answer(200, "{\"events\":[{\"id\":7,\"occurred_at\":\"2026-12-01T10:00:00Z\",\"event_type\":\"USER_CREATED\","
                    + "\"actor\":\"admin\",\"user_id\":\"alice\"}],\"next_cursor\":\"abc\"}");

            AuditPage page = admin.audit(AuditQuery.all().types("DEVICE_REGISTERED", "DEVICE_DEREGISTERED")
                    .userId("a&b").limit(1000));

            assertThat(server.last().rawPathAndQuery()).isEqualTo(
                    "/admin/api/v1/audit?type=DEVICE_REGISTERED%2CDEVICE_DEREGISTERED&user_id=a%26b&limit=1000");
            assertThat(page.events()).singleElement().extracting(AuditPage.Entry::eventType).isEqualTo("USER_CREATED");
            assertThat(page.nextCursor()).isEqualTo("abc");
        }

        @Test
        void aListIsReadAsOne() {
            server.answer(200, "[{\"name\":\"a\",\"method\":\"OTP\",\"time_to_live_seconds\":60},"
                    + "{\"name\":\"b\",\"method\":\"OTP\",\"time_to_live_seconds\":90}]");

            assertThat(admin.types()).extracting(MobileAuthTypeView::name).containsExactly("a", "b");
        }
    }

    @Nested
    class Failures {

        @Test
        void aRefusalCarriesItsStatusAndTheErrorBody() {
            server.answer(404, "{\"error\":\"not_found\",\"error_message\":\"No such user\"}");

            AdminRefusedException refusal = catchThrowableOfType(AdminRefusedException.class, () -> admin.user("bob"));

            assertThat(refusal.status()).isEqualTo(404);
            assertThat(refusal.error()).contains("not_found");
            assertThat(refusal.errorMessage()).isEqualTo("No such user");
            assertThat(refusal).hasMessage("the token server refused to read user bob: HTTP 404 not_found: No such user");
            assertThat(refusal.getMessage()).doesNotContain(PASSWORD);
        }

        @Test
        void aRateLimitSaysHowLongToWait() {
            server.answer(429, "{\"error\":\"rate_limited\",\"error_message\":\"Too many failed authentications\"}",
                    Map.of("Retry-After", "7"));

            AdminRefusedException refusal = catchThrowableOfType(AdminRefusedException.class, admin::clients);

            assertThat(refusal.retryAfter()).contains(Duration.ofSeconds(7));
            assertThat(refusal.error()).contains("rate_limited");
        }

        @Test
        void aRefusalWithoutTheErrorBodyKeepsTheStartOfWhatCameSafeToLog() {
            server.answer(502, "<html>\r\nBad gateway\u202e" + "x".repeat(1000) + "</html>");

            AdminRefusedException refusal = catchThrowableOfType(AdminRefusedException.class, admin::users);

            assertThat(refusal.status()).isEqualTo(502);
            assertThat(refusal.error()).isEmpty();
            assertThat(refusal.errorMessage()).startsWith("<html>??Bad gateway?").hasSizeLessThan(310);
            assertThat(refusal.retryAfter()).isEmpty();
        }

        @Test
        void anotherSuccessStatusIsNotTakenForTheAnswer() {
            server.answer(200, "{}");

            UnexpectedAdminAnswerException unexpected = catchThrowableOfType(UnexpectedAdminAnswerException.class,
                    () -> admin.createUser("alice"));

            assertThat(unexpected.status()).isEqualTo(200);
            assertThat(unexpected).hasMessageContaining("instead of 201");
        }

        @Test
        void anUnreadableAnswerIsReportedAsSuch() {
            server.answer(200, "<html>not json</html>").answer(200, "null");

            assertThatThrownBy(() -> admin.user("alice")).isInstanceOf(UnexpectedAdminAnswerException.class)
                    .hasMessageContaining("unreadable UserView");
            assertThatThrownBy(() -> admin.user("alice")).isInstanceOf(UnexpectedAdminAnswerException.class)
                    .hasMessageContaining("with null");
        }

        @Test
        void aServerThatIsNotThereIsUnreachableNotATimeout() throws Exception {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            AdminClient nowhere = AdminClient.builder(URI.create("http://127.0.0.1:" + port), "admin", PASSWORD).build();

            AdminUnreachableException unreachable = catchThrowableOfType(AdminUnreachableException.class, nowhere::types);

            assertThat(unreachable.isTimeout()).isFalse();
            assertThat(unreachable.status()).isZero();
        }

        @Test
        void aServerThatDoesNotAnswerInTimeIsATimeout() {
            server.stall();
            AdminClient impatient = AdminClient.builder(server.url(), "admin", PASSWORD)
                    .requestTimeout(Duration.ofMillis(300)).build();

            AdminUnreachableException slow = catchThrowableOfType(AdminUnreachableException.class, impatient::types);

            assertThat(slow.isTimeout()).isTrue();
            assertThat(slow).hasMessageContaining("did not answer in time");
        }

        @Test
        void theBuilderRefusesWhatBasicOrTheApiCannotCarry() {
            assertThatThrownBy(() -> AdminClient.builder(URI.create("ftp://127.0.0.1"), "admin", PASSWORD))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> AdminClient.builder(server.url(), "ad:min", PASSWORD))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> AdminClient.builder(server.url(), "admin", PASSWORD).requestTimeout(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
