package dev.qrauth.portal;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Every refusal comes with something to read: a page for people, a JSON body for the token server. */
@QuarkusTest
class RefusalPagesTest {

    @Test
    void anUnknownPageGetsA404Page() {
        given().get("/no-such-page").then().statusCode(404)
                .contentType(containsString("text/html")).body(containsString("Page not found"), containsString("</html>"));
        given().get("/challenge/nope/status").then().statusCode(404).body(containsString("Page not found"));
    }

    @Test
    void aWrongMethodGetsA405Page() {
        given().delete("/login").then().statusCode(405).contentType(containsString("text/html"))
                .body(containsString("</html>"));
    }

    @Test
    void aFormWithBrokenEncodingIsA400NotAFailure() {
        given().contentType("application/x-www-form-urlencoded").body("csrf=%ZZ").post("/login/complete")
                .then().statusCode(400).contentType(containsString("text/html")).body(containsString("could not be read"));
        given().contentType("multipart/form-data; boundary=x").body("{\"csrf\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/logout")
                .then().statusCode(400).body(containsString("could not be read"));
    }

    @Test
    void aBodyOverTheLimitGetsA413PageBeforeAnythingReadsIt() {
        given().contentType("application/x-www-form-urlencoded").body("csrf=" + "x".repeat(70 * 1024)).post("/logout")
                .then().statusCode(413).contentType(containsString("text/html")).body(containsString("too large"));
    }

    @Test
    void aRefusedCallbackSaysWhyInJson() {
        given().contentType("application/json").body("{}").post("/callbacks/mobile-auth")
                .then().statusCode(401).contentType(containsString("application/json"))
                .body("error", equalTo("invalid_signature"));
    }
}
