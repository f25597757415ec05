package dev.qrauth.tokenserver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code POST /oauth/api/v4/authenticate/callback-uri} (docs/PROTOCOL.md): the callback-URI rules
 * of an initiation by the same client, on their own. {@code 204} exactly when an initiation would
 * accept the URI, else the very body the initiation gives; nothing is started either way.
 */
@QuarkusTest
class CallbackUriCheckTest {

    static final String CHECK = "/oauth/api/v4/authenticate/callback-uri";

    @Inject
    AgroalDataSource dataSource;

    TestPortal portal;

    @BeforeEach
    void createPortal() {
        portal = TestPortal.create();
    }

    @Test
    void aListedUriIs204AndStartsNoTransaction() {
        check(portal, TestPortal.CALLBACK).then().statusCode(204)
                .header("Cache-Control", equalTo("no-cache, no-store, must-revalidate"));

        assertThat(transactionsOf(portal)).isZero();
        TestApi.admin().queryParam("client_id", portal.client.clientId()).queryParam("type", "TRANSACTION_INITIATED")
                .get("/admin/api/v1/audit").then().statusCode(200).body("events.size()", equalTo(0));
    }

    @Test
    void aUriOffTheAllowListGetsTheBodyAnInitiationGets() {
        String unlisted = "https://portal.example/callbacks/other";

        Response checked = check(portal, unlisted);

        checked.then().statusCode(400).body("error_code", equalTo("1003"))
                .body("description", equalTo("callback_uri is not in this client's allow-list"));
        assertSameRefusal(checked, initiation(portal, unlisted));
        assertThat(transactionsOf(portal)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://portal.example/callbacks/mobile-auth", "https://portal.example/a b",
            "https://user@portal.example/callbacks/mobile-auth", "https://portal.example/callbacks/mobile-auth#top",
            "/callbacks/mobile-auth", ""})
    void aMalformedUriGetsTheBodyAnInitiationGets(String malformed) {
        Response checked = check(portal, malformed);

        checked.then().statusCode(400).body("error_code", equalTo("1003"));
        assertThat((String) checked.path("description")).startsWith("callback_uri ");
        assertSameRefusal(checked, initiation(portal, malformed));
    }

    @Test
    void aUriLongerThanTheLimitGetsTheBodyAnInitiationGets() {
        String tooLong = "https://portal.example/" + "a".repeat(2048);

        Response checked = check(portal, tooLong);

        checked.then().statusCode(400).body("error_code", equalTo("1003"));
        assertSameRefusal(checked, initiation(portal, tooLong));
    }

    @Test
    void aMissingUriIs1003NamingIt() {
        Response checked = portal.form().post(CHECK);

        checked.then().statusCode(400).body("error_code", equalTo("1003"))
                .body("description", equalTo("callback_uri must be 1 to 2048 characters"));
        assertSameRefusal(checked, portal.initiateRaw(Map.of("type", portal.loginType)));
    }

    @Test
    void aClientWithoutAnAllowListMayNameAnyHttpUriAsAtInitiation() {
        TestPortal open = TestPortal.create(List.of(), null, null, false);

        check(open, "http://127.0.0.1:8080/callbacks/mobile-auth").then().statusCode(204);
        check(open, "https://elsewhere.example/cb").then().statusCode(204);
    }

    @Test
    void wrongOrMissingCredentialsAreInvalidClient() {
        given().auth().preemptive().basic(portal.client.clientId(), "wrong").contentType(ContentType.URLENC)
                .formParam("callback_uri", TestPortal.CALLBACK).post(CHECK)
                .then().statusCode(401).header("WWW-Authenticate", equalTo("Basic realm=\"qrauth portal API\""))
                .body("error", equalTo("invalid_client"));
        given().contentType(ContentType.URLENC).formParam("callback_uri", TestPortal.CALLBACK).post(CHECK)
                .then().statusCode(401).body("error", equalTo("invalid_client"));
        given().auth().preemptive().basic(TestApi.unique("nobody"), "wrong").contentType(ContentType.URLENC)
                .formParam("callback_uri", "https://evil.example/cb").post(CHECK)
                .then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void theClientMayAuthenticateInTheFormAsOnEveryFormCall() {
        given().contentType(ContentType.URLENC).formParams(Map.of("client_id", portal.client.clientId(),
                        "client_secret", portal.client.secret(), "callback_uri", TestPortal.CALLBACK))
                .post(CHECK).then().statusCode(204);
        given().contentType(ContentType.URLENC).formParams(Map.of("client_id", portal.client.clientId(),
                        "client_secret", "wrong", "callback_uri", TestPortal.CALLBACK))
                .post(CHECK).then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void aDisabledClientIsInvalidClient() {
        TestApi.admin().body(Map.of("enabled", false))
                .patch("/admin/api/v1/clients/{id}", portal.client.clientId()).then().statusCode(200);

        check(portal, TestPortal.CALLBACK).then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    private static Response check(TestPortal portal, String callbackUri) {
        return portal.form().formParam("callback_uri", callbackUri).post(CHECK);
    }

    /** An initiation that is refused for {@code callbackUri} alone: every other parameter is good. */
    private static Response initiation(TestPortal portal, String callbackUri) {
        Map<String, String> request = new HashMap<>(Map.of("type", portal.loginType, "message", "Log in"));
        request.put("callback_uri", callbackUri);
        return portal.initiateRaw(request);
    }

    private static void assertSameRefusal(Response checked, Response initiated) {
        assertThat(initiated.statusCode()).isEqualTo(400);
        assertThat(checked.statusCode()).isEqualTo(initiated.statusCode());
        assertThat(checked.contentType()).isEqualTo(initiated.contentType());
        assertThat(checked.<Map<String, Object>>path("$")).isEqualTo(initiated.<Map<String, Object>>path("$"));
    }

    private long transactionsOf(TestPortal portal) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement count = connection.prepareStatement(
                     "SELECT count(*) FROM mobile_auth_transaction WHERE client_id = ?")) {
            count.setString(1, portal.client.clientId());
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
