package dev.qrauth.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.qrcode.QRCodeWriter;
import dev.qrauth.adminclient.AuditQuery;
import dev.qrauth.sdk.MobileAuthRequest;
import dev.qrauth.sdk.SdkErrorCode;
import dev.qrauth.sdk.SdkException;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The virtual phone against a real token server: each answer lands, each failure comes back as the SDK's code. */
class VirtualPhoneTest {

    static final java.util.List<String> FOUR_EYES_GROUP = java.util.List.of(newUser(), newUser(), newUser());

    @RegisterExtension
    static QrAuthExtension qrauth = new QrAuthExtension(TestTokenServer.builder().portalName("Example Bank")
            .type(AuthType.LOGIN).type(AuthType.APPROVAL)
            .type(AuthType.of("coded", 120).withProximity("warn").withReverseCode())
            .type(AuthType.of("four-eyes", 120).withRequiredApprovals(2, FOUR_EYES_GROUP)));

    private final PortalCalls portal = new PortalCalls(qrauth.server());

    @Test
    void approvingAnOtpConfirmsTheTransactionAndReturnsWhatThePhoneShowed(VirtualPhone phone) {
        String user = newUser();
        phone.enroll(user);
        Map<String, Object> started = portal.start("login");

        MobileAuthRequest shown = phone.approve((String) started.get("otp"));

        assertThat(shown.portalName()).isEqualTo("Example Bank");
        assertThat(shown.message()).isEqualTo("Log in");
        assertThat(shown.type()).isEqualTo("login");
        Map<String, Object> result = portal.result(started.get("transaction_id"));
        assertThat(result.get("status")).isEqualTo("CONFIRMED");
        assertThat(result.get("user_id")).isEqualTo(user);
    }

    @Test
    void aReverseCodeTypeIsCompletedWithTheCodeThePhoneShowed(VirtualPhone phone) {
        phone.enroll(newUser());
        Map<String, Object> started = portal.start("coded");

        MobileAuthRequest shown = phone.approve((String) started.get("otp"));

        assertThat(shown.proximity()).isNotNull();
        String code = phone.lastReverseCode().orElseThrow();
        assertThat(code).matches("\\d{6}");
        assertThat(portal.result(started.get("transaction_id"))).containsEntry("status", "SCANNED")
                .containsEntry("awaiting_reverse_code", true);
        assertThat(portal.submitReverseCode(started.get("transaction_id"), code)).containsEntry("status", "CONFIRMED");

        phone.approve((String) portal.start("login").get("otp"));
        assertThat(phone.lastReverseCode()).isEmpty();
    }

    @Test
    void aFourEyesTypeIsConfirmedByTheSecondOfItsGroupsPhones() {
        VirtualPhone first = qrauth.server().newPhone().enroll(FOUR_EYES_GROUP.get(0));
        VirtualPhone second = qrauth.server().newPhone().enroll(FOUR_EYES_GROUP.get(2));
        Map<String, Object> started = portal.start("four-eyes");
        String otp = (String) started.get("otp");

        assertThat(first.approve(otp).approvals().approvedBy()).isEmpty();
        assertThat(portal.result(started.get("transaction_id"))).containsEntry("status", "SCANNED");
        MobileAuthRequest shown = second.approve(otp);

        assertThat(shown.approvals().approvedBy()).containsExactly(FOUR_EYES_GROUP.get(0));
        assertThat(portal.result(started.get("transaction_id"))).containsEntry("status", "CONFIRMED")
                .containsEntry("approvers", java.util.List.of(FOUR_EYES_GROUP.get(0), FOUR_EYES_GROUP.get(2)));
    }

    @Test
    void aQrImageIsReadLikeTheCameraWould(VirtualPhone phone) throws Exception {
        phone.enroll(newUser());
        Map<String, Object> started = portal.start("login");
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        MatrixToImageWriter.writeToStream(new QRCodeWriter().encode((String) started.get("otp"),
                BarcodeFormat.QR_CODE, 300, 300), "PNG", png);

        phone.approve(png.toByteArray());

        assertThat(portal.result(started.get("transaction_id")).get("status")).isEqualTo("CONFIRMED");
    }

    @Test
    void anImageWithoutAQrCodeIsRefusedBeforeAnythingIsSent(VirtualPhone phone) throws Exception {
        phone.enroll(newUser());
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(50, 50, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "PNG", png);

        assertThatThrownBy(() -> phone.approve(png.toByteArray()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("No QR code");
        assertThatThrownBy(() -> phone.approve(new byte[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Not a PNG");
    }

    @Test
    void denyingRejectsAndReportingFraudSaysSo(VirtualPhone phone) {
        phone.enroll(newUser());
        Map<String, Object> denied = portal.start("login");
        Map<String, Object> reported = portal.start("login");

        phone.deny((String) denied.get("otp"));
        phone.reportFraud((String) reported.get("otp"));

        assertThat(portal.result(denied.get("transaction_id"))).containsEntry("status", "REJECTED")
                .extractingByKey("not_authenticated_reason").asString().contains("not_accepted");
        assertThat(portal.result(reported.get("transaction_id"))).containsEntry("status", "REJECTED")
                .containsEntry("fraud_reported", true)
                .extractingByKey("not_authenticated_reason").asString().contains("not_accepted");
    }

    @Test
    void numberMatchingPicksTheBrowsersNumberByItself(VirtualPhone phone) {
        phone.enroll(newUser());
        Map<String, Object> started = portal.start("approval");

        MobileAuthRequest shown = phone.approve((String) started.get("otp"));

        assertThat(shown.numberChoices()).hasSize(3).contains(((Number) started.get("binding_code")).intValue());
        assertThat(portal.result(started.get("transaction_id")).get("status")).isEqualTo("CONFIRMED");
    }

    @Test
    void theRightNumberGivenExplicitlyConfirms(VirtualPhone phone) {
        phone.enroll(newUser());
        Map<String, Object> started = portal.start("approval");

        phone.approve((String) started.get("otp"), ((Number) started.get("binding_code")).intValue());

        assertThat(portal.result(started.get("transaction_id")).get("status")).isEqualTo("CONFIRMED");
    }

    @Test
    void aNumberThePhoneDoesNotOfferIsRefusedAndTheRequestDenied(VirtualPhone phone) {
        phone.enroll(newUser());
        Map<String, Object> started = portal.start("approval");

        assertThatThrownBy(() -> phone.approve((String) started.get("otp"), -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not among the phone's choices");
        assertThat(portal.result(started.get("transaction_id")).get("status")).isEqualTo("REJECTED");
    }

    @Test
    void approveNextTakesTheRequestTheTestStartedWithoutSeeingIt(VirtualPhone phone) {
        String user = newUser();
        phone.enroll(newUser()).enroll(user);
        Map<String, Object> first = portal.start("approval");
        Map<String, Object> second = portal.start("login");

        MobileAuthRequest answeredFirst = phone.approveNext(user);
        MobileAuthRequest answeredSecond = phone.approveNext(user);

        assertThat(answeredFirst.transactionId().toString()).isEqualTo(first.get("transaction_id"));
        assertThat(answeredSecond.transactionId().toString()).isEqualTo(second.get("transaction_id"));
        assertThat(portal.result(first.get("transaction_id"))).containsEntry("status", "CONFIRMED").containsEntry("user_id", user);
        assertThat(portal.result(second.get("transaction_id"))).containsEntry("status", "CONFIRMED").containsEntry("user_id", user);
    }

    @Test
    void denyNextRejectsTheNextRequest(VirtualPhone phone) {
        String user = newUser();
        phone.enroll(user);
        Map<String, Object> started = portal.start("login");

        phone.denyNext(user);

        assertThat(portal.result(started.get("transaction_id")).get("status")).isEqualTo("REJECTED");
    }

    @Test
    void aCodeAnsweredBeforeComesBackAsAlreadyHandled(VirtualPhone phone) {
        phone.enroll(newUser());
        String otp = (String) portal.start("login").get("otp");
        phone.approve(otp);

        assertThatThrownBy(() -> phone.approve(otp)).isInstanceOfSatisfying(SdkException.class,
                error -> assertThat(error.code()).isEqualTo(SdkErrorCode.ALREADY_HANDLED));
    }

    @Test
    void textThatIsNotAnOtpComesBackAsNotHandleable(VirtualPhone phone) {
        phone.enroll(newUser());

        assertThatThrownBy(() -> phone.approve("https://example.invalid/not-an-otp"))
                .isInstanceOfSatisfying(SdkException.class,
                        error -> assertThat(error.code()).isEqualTo(SdkErrorCode.NOT_HANDLEABLE));
    }

    @Test
    void twoPhonesOfOneUserEachAnswer(VirtualPhone phone, TestTokenServer server) {
        String user = newUser();
        phone.enroll(user);
        // Another phone of the same user is fine; the first one keeps working.
        VirtualPhone second = server.newPhone().enroll(user);
        Map<String, Object> started = portal.start("login");

        second.approve((String) started.get("otp"));

        assertThat(portal.result(started.get("transaction_id")).get("status")).isEqualTo("CONFIRMED");
        assertThat(phone.users()).containsExactly(user);
        Map<String, Object> again = portal.start("login");
        phone.approve((String) again.get("otp"));
        assertThat(portal.result(again.get("transaction_id")).get("status")).isEqualTo("CONFIRMED");
    }

    @Test
    void aPhoneBuiltForAServerEnrollsWithAGivenCodeAndTimesItsApprovalWithoutLoggingInAgain(TestTokenServer server) {
        String user = newUser();
        String activationCode = server.admin().createUser(user).activationCode();
        VirtualPhone phone = VirtualPhone.builder(server.directUrl()).httpClient(HttpClient.newHttpClient())
                .answerTimeout(Duration.ofSeconds(10)).build().enroll(user, activationCode);
        PortalCalls unwatched = portal.direct();
        Map<String, Object> first = unwatched.start("login");
        Map<String, Object> second = unwatched.start("login");

        long before = System.nanoTime();
        VirtualPhone.Answered answered = phone.approveTimed((String) first.get("otp"));
        long after = System.nanoTime();
        phone.approve((String) second.get("otp"));

        assertThat(answered.request().transactionId().toString()).isEqualTo(first.get("transaction_id"));
        assertThat(answered.shownNanos()).isBetween(before, answered.acceptedNanos());
        assertThat(answered.acceptedNanos()).isLessThanOrEqualTo(after);
        assertThat(unwatched.result(first.get("transaction_id"))).containsEntry("status", "CONFIRMED")
                .containsEntry("user_id", user);
        assertThat(unwatched.result(second.get("transaction_id"))).containsEntry("status", "CONFIRMED");
        // The PIN was entered once, when enrolling: the answers cost the fetch and the answer only.
        assertThat(server.admin().audit(AuditQuery.all().userId(user).types("PIN_ACCEPTED")).events()).hasSize(1);
    }

    @Test
    void aPhoneBuiltWithoutTheKitsAdminOrRecorderSaysWhatToDoInstead(TestTokenServer server) {
        VirtualPhone phone = VirtualPhone.builder(server.directUrl()).build();

        assertThatThrownBy(() -> phone.enroll(newUser())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("enroll(userId, activationCode)");
        String user = newUser();
        phone.enroll(user, server.admin().createUser(user).activationCode());
        assertThatThrownBy(() -> phone.approveNext(user)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("by their OTP");
    }

    private static String newUser() {
        return "user-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
