package dev.qrauth.tokenserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.message.MobileAuthAnswer;
import dev.qrauth.protocol.message.MobileAuthMessage;
import dev.qrauth.protocol.message.SealedMessage;
import dev.qrauth.protocol.pgp.PgpCertificate;
import dev.qrauth.protocol.pgp.PgpKey;
import dev.qrauth.protocol.pgp.PgpVerification;
import dev.qrauth.protocol.receipt.ReceiptStatement;
import dev.qrauth.protocol.receipt.SignedReceipt;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A phone in tests: an enrolled user with a session, speaking the device protocol by hand. Like
 * the SDK it signs a receipt of every answer to a message it fetched ({@link #answerRaw}).
 */
public final class TestDevice {

    public final TestApi.Registered registered;
    public final PgpKey key;
    public final PgpCertificate serverCertificate;
    public final String accessToken;
    private final Map<UUID, MobileAuthMessage> shown;

    private TestDevice(TestApi.Registered registered, PgpKey key, PgpCertificate serverCertificate, String accessToken,
                       Map<UUID, MobileAuthMessage> shown) {
        this.registered = registered;
        this.key = key;
        this.serverCertificate = serverCertificate;
        this.accessToken = accessToken;
        this.shown = shown;
    }

    public static TestDevice enrolled() {
        TestApi.Registered registered = TestApi.registerUser();
        String token = registered.login();
        PgpKey key = TestApi.PGP.generateKey("device");
        String serverCertificate = registered.session(token)
                .body(Map.of("device_certificate", key.certificate().toArmoredString()))
                .put("/device/api/v1/users/{u}/mobile-auth/enrollment", registered.userId())
                .then().statusCode(200).extract().path("server_certificate");
        return new TestDevice(registered, key, TestApi.PGP.readCertificate(serverCertificate), token,
                new ConcurrentHashMap<>());
    }

    /** The same phone, user and key, acting with another session of the user (a duress session, say). */
    public TestDevice withSession(String otherAccessToken) {
        return new TestDevice(registered, key, serverCertificate, otherAccessToken, shown);
    }

    public String userId() {
        return registered.userId();
    }

    public Response fetchRaw(String otp) {
        return registered.session(accessToken).body(Map.of("otp", otp))
                .post("/device/api/v1/users/{u}/mobile-auth/otp", userId());
    }

    /** Fetches, checks the server's signature and decrypts: the message as the phone shows it. */
    public MobileAuthMessage fetch(String otp) {
        Response response = fetchRaw(otp);
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        byte[] sealed = Base64.getDecoder().decode((String) response.path("message"));
        PgpVerification verification = TestApi.PGP.decryptAndVerify(sealed, key, List.of(serverCertificate));
        assertThat(verification).isInstanceOf(PgpVerification.Verified.class);
        MobileAuthMessage message = ProtocolJson.read(((PgpVerification.Verified) verification).payload(),
                MobileAuthMessage.class);
        shown.put(message.transactionId(), message);
        return message;
    }

    public UUID deviceId() {
        return UUID.fromString(registered.device().deviceId());
    }

    /** The receipt the SDK signs of {@code answer} to {@code message}: {@code statement} as signed. */
    public SignedReceipt receipt(ReceiptStatement statement) {
        byte[] bytes = ProtocolJson.write(statement);
        return SignedReceipt.of(bytes, TestApi.PGP.signDetached(bytes, key));
    }

    /** The statement of {@code answer} to the message this phone fetched for it. */
    public ReceiptStatement statement(MobileAuthAnswer answer) {
        return ReceiptStatement.of(shown.get(answer.transactionId()), deviceId(), answer.decision(),
                answer.denyReason(), Instant.now());
    }

    /** {@code answer} as sent, without a receipt, as a phone from before receipts sends it. */
    public Response answerWithoutReceipt(MobileAuthAnswer answer) {
        return sendSealed(answer.transactionId().toString(), new SealedMessage(answer.transactionId(), seal(answer, key)));
    }

    /** Seals {@code answer} the way the SDK does: to the server, signed by {@code signer}. */
    public String seal(MobileAuthAnswer answer, PgpKey signer) {
        return Base64.getEncoder().encodeToString(
                TestApi.PGP.encryptAndSign(ProtocolJson.write(answer), serverCertificate, signer));
    }

    /** Sends {@code answer}, with a receipt when it has none and this phone fetched its message. */
    public Response answerRaw(MobileAuthAnswer answer) {
        if (answer.receipt() == null && shown.containsKey(answer.transactionId())) {
            answer = answer.withReceipt(receipt(statement(answer)));
        }
        return sendSealed(answer.transactionId().toString(), new SealedMessage(answer.transactionId(), seal(answer, key)));
    }

    public Response sendSealed(String transactionId, SealedMessage sealed) {
        return registered.session(accessToken).body(sealed)
                .post("/device/api/v1/users/{u}/mobile-auth/transactions/{t}/answer", userId(), transactionId);
    }
}
