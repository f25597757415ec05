package dev.qrauth.tokenserver;

import static dev.qrauth.tokenserver.TestApi.admin;
import static dev.qrauth.tokenserver.TestApi.unique;

import dev.qrauth.protocol.message.MobileAuthAnswer;
import dev.qrauth.protocol.message.MobileAuthMessage;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A portal in tests: its own API client and mobile-auth types. */
public final class TestPortal {

    public static final String CALLBACK = "https://portal.example/callbacks/mobile-auth";

    public final TestApi.Client client;
    public final String loginType;
    public final String matchingType;

    private TestPortal(TestApi.Client client, String loginType, String matchingType) {
        this.client = client;
        this.loginType = loginType;
        this.matchingType = matchingType;
    }

    public static TestPortal create() {
        return create(List.of(CALLBACK), null, null, false);
    }

    public static TestPortal create(List<String> callbackUris, String callbackUser, String callbackPassword,
                                    boolean callbackOnScan) {
        Map<String, Object> request = new HashMap<>(Map.of("name", unique("portal"), "display_name", "Example Portal",
                "callback_uris", callbackUris, "callback_on_scan", callbackOnScan));
        if (callbackUser != null) {
            request.put("callback_username", callbackUser);
            request.put("callback_password", callbackPassword);
        }
        Response created = admin().body(request).post("/admin/api/v1/clients").then().statusCode(201).extract().response();
        TestApi.Client client = new TestApi.Client(created.path("client_id"), created.path("client_secret"),
                created.path("callback_signing_secret"));
        String login = unique("login");
        admin().body(Map.of("name", login, "method", "OTP", "time_to_live_seconds", 120, "default_message", "Log in"))
                .post("/admin/api/v1/mobile-auth-types").then().statusCode(201);
        String matching = unique("approval");
        admin().body(Map.of("name", matching, "method", "OTP", "time_to_live_seconds", 120, "number_matching", true))
                .post("/admin/api/v1/mobile-auth-types").then().statusCode(201);
        return new TestPortal(client, login, matching);
    }

    public RequestSpecification form() {
        return client.auth().contentType(ContentType.URLENC);
    }

    public Response initiateRaw(Map<String, ?> parameters) {
        return form().formParams(parameters).post("/oauth/api/v4/authenticate/user");
    }

    /** Starts a transaction of the login type; returns the response after checking its 200. */
    public Response initiate(String type, String callbackUri) {
        return initiateRaw(Map.of("type", type, "callback_uri", callbackUri, "message", "Log in to Example",
                "ip_address", "192.0.2.10",
                "user_agent", "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"))
                .then().statusCode(200).extract().response();
    }

    public Response initiate() {
        return initiate(loginType, CALLBACK);
    }

    /**
     * Starts a login that {@code phone} fetches and answers ({@code confirm} or deny), so this
     * client reads the phone's user id in the result; returns the transaction id.
     */
    public String answeredBy(TestDevice phone, boolean confirm) {
        Response started = initiate();
        MobileAuthMessage message = phone.fetch(started.path("otp"));
        phone.answerRaw(confirm ? MobileAuthAnswer.confirm(message, null) : MobileAuthAnswer.deny(message, null))
                .then().statusCode(200);
        return started.path("transaction_id");
    }

    public Response result(String transactionId) {
        return client.auth().get("/oauth/api/v4/authenticate/transaction/{id}", transactionId);
    }
}
