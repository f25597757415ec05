package dev.qrauth.portal;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** A portal set up without {@code portal.operator.password} (as the tests' default profile is) has no operator page. */
@QuarkusTest
class OperatorPageOffTest {

    @Test
    void withoutTheSettingTheOperatorPageDoesNotExist() {
        Response anonymous = given().get("/operator/duress");
        Response withCredentials = given().auth().preemptive().basic("operator", "any-password").get("/operator/duress");

        for (Response response : new Response[] {anonymous, withCredentials}) {
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.header("WWW-Authenticate")).isNull();
            assertThat(response.asString()).contains("Page not found");
        }
    }
}
