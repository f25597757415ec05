package dev.qrauth.tokenserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.message.MobileAuthAnswer;
import dev.qrauth.protocol.message.MobileAuthMessage;
import dev.qrauth.protocol.pgp.PgpVerification;
import dev.qrauth.tokenserver.security.Secrets;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The short code a person types instead of scanning (docs/PROTOCOL.md, "The short code" and
 * "Fetch by short code"): it leads to the same request as the OTP, once, under the same
 * budget of failed fetches, and is stored only as a keyed hash.
 */
@QuarkusTest
class ShortCodeTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aTypedShortCodeFetchesTheRequestAndTheApprovalCompletesTheLogin() {
        TestDevice phone = TestDevice.enrolled();
        TestPortal portal = TestPortal.create();
        Response started = portal.initiate();
        String shortCode = started.path("short_code");
        assertThat(shortCode).matches("[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}");

        // As someone types it on a phone: lower case, a space where the dash was.
        MobileAuthMessage message = fetch(phone, shortCode.toLowerCase(Locale.ROOT).replaceFirst("-", " "));
        assertThat(message.transactionId().toString()).isEqualTo(started.path("transaction_id"));
        assertThat(message.userId()).isEqualTo(phone.userId());
        assertThat(message.message()).isEqualTo("Log in to Example");

        phone.answerRaw(MobileAuthAnswer.confirm(message, null)).then().statusCode(200).body("status", equalTo("CONFIRMED"));
        portal.result(started.path("transaction_id")).then().statusCode(200)
                .body("status", equalTo("CONFIRMED")).body("user_id", equalTo(phone.userId()));
    }

    @Test
    void everyInitiationHasItsOwnShortCodeOnEitherPath() {
        // A client's first initiation takes the full path, the next ones the hot path.
        TestDevice phone = TestDevice.enrolled();
        TestPortal portal = TestPortal.create();
        java.util.Set<String> codes = new java.util.HashSet<>();
        for (int i = 0; i < 3; i++) {
            Response started = portal.initiate();
            assertThat(codes.add(started.path("short_code"))).isTrue();
            assertThat(fetch(phone, started.path("short_code")).transactionId().toString())
                    .isEqualTo(started.path("transaction_id"));
        }
    }

    @Test
    void theShortCodeIsReadWithoutCaseSpacesOrDashes() {
        TestDevice phone = TestDevice.enrolled();
        String shortCode = TestPortal.create().initiate().path("short_code");
        String bare = shortCode.replace("-", "");
        String typed = " " + bare.substring(0, 3).toLowerCase(Locale.ROOT) + " - " + bare.substring(3, 9) + "--"
                + bare.substring(9).toLowerCase(Locale.ROOT) + " ";
        fetch(phone, typed);
    }

    @Test
    void aWrongShortCodeIsRefusedAndCountedAgainstTheFetchBudget() throws Exception {
        TestDevice phone = TestDevice.enrolled();
        String shortCode = TestPortal.create().initiate().path("short_code");
        String wrong = otherCode(shortCode);

        fetchRaw(phone, wrong).then().statusCode(404).body("error", equalTo("NOT_FOUND"));
        assertThat(failedFetches(phone)).isEqualTo(1);
        fetchRaw(phone, "K7QM-4XRT-9B").then().statusCode(400).body("error", equalTo("INVALID_REQUEST"));
        assertThat(failedFetches(phone)).isEqualTo(2);

        // The budget is the OTP's (10 per window by default): spent, even the right code is refused.
        for (int i = 2; i < 10; i++) {
            fetchRaw(phone, wrong).then().statusCode(404);
        }
        Response limited = fetchRaw(phone, shortCode);
        limited.then().statusCode(429).body("error", equalTo("RATE_LIMITED"));
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 300L);
        phone.fetchRaw(TestPortal.create().initiate().path("otp")).then().statusCode(429);
        // The refusals changed nothing: another phone can still use the code.
        fetch(TestDevice.enrolled(), shortCode);
    }

    @Test
    void aShortCodeIsSingleUse() {
        TestDevice phone = TestDevice.enrolled();
        Response started = TestPortal.create().initiate();
        String shortCode = started.path("short_code");
        fetch(phone, shortCode);

        fetchRaw(phone, shortCode).then().statusCode(404).body("error", equalTo("NOT_FOUND"));
        fetchRaw(TestDevice.enrolled(), shortCode).then().statusCode(404).body("error", equalTo("NOT_FOUND"));
        // The same transaction as the OTP: that is used up too.
        phone.fetchRaw(started.path("otp")).then().statusCode(409).body("error", equalTo("ALREADY_HANDLED"));
    }

    @Test
    void aShortCodeIsUnusableOnceItsOtpWasUsed() {
        TestDevice phone = TestDevice.enrolled();
        Response started = TestPortal.create().initiate();
        phone.fetch(started.path("otp"));
        fetchRaw(TestDevice.enrolled(), started.path("short_code")).then().statusCode(404);
    }

    @Test
    void aShortCodeFetchIsAuthenticatedLikeAnOtpFetch() {
        TestDevice phone = TestDevice.enrolled();
        String shortCode = TestPortal.create().initiate().path("short_code");
        phone.registered.session("not-the-token").body(Map.of("short_code", shortCode))
                .post("/device/api/v1/users/{u}/mobile-auth/short-code", phone.userId())
                .then().statusCode(401).body("error", equalTo("USER_NOT_AUTHENTICATED"));
        phone.registered.device().auth().body(Map.of("short_code", shortCode))
                .post("/device/api/v1/users/{u}/mobile-auth/short-code", phone.userId())
                .then().statusCode(401).body("error", equalTo("USER_NOT_AUTHENTICATED"));
        fetch(phone, shortCode);
    }

    @Test
    void theShortCodeIsNotStoredInTheClear() throws Exception {
        Response started = TestPortal.create().initiate();
        String shortCode = started.path("short_code");
        String canonical = shortCode.replace("-", "");
        String row;
        String stored;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT t::text, short_code_hash FROM mobile_auth_transaction t WHERE transaction_id = ?")) {
            query.setObject(1, UUID.fromString(started.path("transaction_id")));
            try (ResultSet rows = query.executeQuery()) {
                assertThat(rows.next()).isTrue();
                row = rows.getString(1);
                stored = rows.getString(2);
            }
        }
        assertThat(stored).isNotNull().matches("[0-9a-f]{64}");
        for (String clear : List.of(shortCode, canonical, canonical.toLowerCase(Locale.ROOT))) {
            assertThat(row).doesNotContainIgnoringCase(clear);
            // Keyed: not a plain digest that a copy of the database could be searched with.
            assertThat(stored).isNotEqualTo(Secrets.sha256Hex(clear));
        }
    }

    @Test
    void aShortCodeIsUniqueAmongPendingTransactionsOnly() throws Exception {
        TestPortal portal = TestPortal.create();
        Response first = portal.initiate();
        Response second = portal.initiate();
        String copy = "UPDATE mobile_auth_transaction SET short_code_hash = (SELECT short_code_hash "
                + "FROM mobile_auth_transaction WHERE transaction_id = ?) WHERE transaction_id = ?";
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(copy)) {
            update.setObject(1, UUID.fromString(first.path("transaction_id")));
            update.setObject(2, UUID.fromString(second.path("transaction_id")));
            // Two pending transactions cannot share a code (an initiation that draws a pending one draws again) ...
            assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(java.sql.SQLException.class,
                    update::executeUpdate).getSQLState()).isEqualTo("23505");
            // ... but a used code no longer counts.
            fetch(TestDevice.enrolled(), first.path("short_code"));
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }

    private static Response fetchRaw(TestDevice phone, String shortCode) {
        return phone.registered.session(phone.accessToken).body(Map.of("short_code", shortCode))
                .post("/device/api/v1/users/{u}/mobile-auth/short-code", phone.userId());
    }

    static MobileAuthMessage fetch(TestDevice phone, String shortCode) {
        Response response = fetchRaw(phone, shortCode);
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        byte[] sealed = Base64.getDecoder().decode((String) response.path("message"));
        PgpVerification verification = TestApi.PGP.decryptAndVerify(sealed, phone.key, List.of(phone.serverCertificate));
        assertThat(verification).isInstanceOf(PgpVerification.Verified.class);
        return ProtocolJson.read(((PgpVerification.Verified) verification).payload(), MobileAuthMessage.class);
    }

    /** A well-formed code that differs from {@code code} in its last character. */
    private static String otherCode(String code) {
        char last = code.charAt(code.length() - 1);
        return code.substring(0, code.length() - 1) + (last == 'A' ? 'B' : 'A');
    }

    private int failedFetches(TestDevice phone) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT failed_fetches FROM device WHERE device_id = ?")) {
            query.setObject(1, UUID.fromString(phone.registered.device().deviceId()));
            try (ResultSet rows = query.executeQuery()) {
                assertThat(rows.next()).isTrue();
                return rows.getInt(1);
            }
        }
    }
}
