package dev.qrauth.portal.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jboss.resteasy.reactive.RestForm;
import org.junit.jupiter.api.Test;

/**
 * A form the framework cannot read is the client's mistake (400); a failure of the portal's own
 * code is the portal's (500), whatever it throws and whatever its message says.
 */
@QuarkusTest
class ErrorPagesTest {

    /** Pages of this test only: each fails as the portal's own code might. */
    @Path("/error-pages-test")
    public static class Failing {

        @POST
        @Path("/argument")
        @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
        public String argument(@RestForm String value) {
            // Worded as the framework words a broken encoding: the words must not matter.
            throw new IllegalArgumentException("Failed to decode " + value);
        }

        @POST
        @Path("/io")
        @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
        public String io(@RestForm String value) throws IOException {
            throw new IOException("Connection terminated parsing multipart request");
        }
    }

    @Test
    void brokenPercentEncodingInAFormIsA400() {
        for (String body : new String[] {"csrf=%ZZ", "csrf=%", "csrf=%4", "%ZZ=x"}) {
            given().contentType("application/x-www-form-urlencoded").body(body).post("/login/complete")
                    .then().statusCode(400).contentType(containsString("text/html"))
                    .body(containsString("could not be read"));
        }
    }

    @Test
    void aMultipartBodyThatIsNotOneIsA400() {
        given().contentType("multipart/form-data; boundary=x").body("{\"csrf\":1}".getBytes(StandardCharsets.UTF_8))
                .post("/logout").then().statusCode(400).body(containsString("could not be read"));
        given().contentType("multipart/form-data; boundary=x")
                .body("--x\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nunfinished".getBytes(StandardCharsets.UTF_8))
                .post("/login/complete").then().statusCode(400).body(containsString("could not be read"));
    }

    @Test
    void thePortalsOwnArgumentFailureOnAReadFormIsA500WhateverItSays() {
        given().contentType("application/x-www-form-urlencoded").body("value=x").post("/error-pages-test/argument")
                .then().statusCode(500).contentType(containsString("text/html"))
                .body(containsString("Something went wrong"), not(containsString("Failed to decode")));
    }

    @Test
    void thePortalsOwnIoFailureOnAReadFormIsA500() {
        given().contentType("application/x-www-form-urlencoded").body("value=x").post("/error-pages-test/io")
                .then().statusCode(500).body(containsString("Something went wrong"),
                        not(containsString("Connection terminated")));
    }
}
