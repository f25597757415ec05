package dev.qrauth.portal;

import static io.restassured.RestAssured.given;

import dev.qrauth.protocol.callback.CallbackSignature;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/** Sends callbacks to the portal the way the token server does. */
final class Callbacks {

    static final String SIGNING_SECRET = "test-callback-signing-secret";
    static final String PATH = "/callbacks/mobile-auth";

    private Callbacks() {
    }

    static byte[] body(UUID transactionId, String status) {
        return ("{\"callback_uri\":\"http://127.0.0.1:8080/callbacks/mobile-auth\",\"transaction_id\":\""
                + transactionId + "\",\"status\":\"" + status + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    static String signature(byte[] body, Instant at) {
        return CallbackSignature.sign(SIGNING_SECRET, at, body);
    }

    /** A correctly signed callback, as the token server sends it now. */
    static Response send(UUID transactionId, String status) {
        byte[] body = body(transactionId, status);
        return send(body, signature(body, Instant.now()));
    }

    static Response send(byte[] body, String signature) {
        var request = given().contentType("application/json").body(body);
        if (signature != null) {
            request.header(CallbackSignature.HEADER, signature);
        }
        return request.post(PATH);
    }
}
