package dev.qrauth.tokenserver;

import static dev.qrauth.tokenserver.TestApi.admin;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Garbage gets a 4xx with the documented body of its API: never a 500, a trace or a class name. */
@QuarkusTest
class BadInputTest {

    static void assertCleanRefusal(Response response, int status, String bodyField) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/json");
        String body = response.asString();
        assertThat((Object) response.path(bodyField)).isNotNull();
        assertThat(body).doesNotContain("Exception", "dev.qrauth", "com.fasterxml", "at org.", "\tat ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"name\":", "not json", "{\"name\":\"x\"}}", "\u0000"})
    void malformedJsonIsRefusedOnEachApi(String body) {
        assertCleanRefusal(given().contentType(ContentType.JSON).body(body).post("/device/api/v1/devices"), 400, "error");
        assertCleanRefusal(admin().body(body).post("/admin/api/v1/users"), 400, "error");
    }

    @Test
    void wrongTypesAndUnknownMembersAreRefused() {
        assertCleanRefusal(given().contentType(ContentType.JSON).body("{\"name\":[1,2]}").post("/device/api/v1/devices"),
                400, "error");
        assertCleanRefusal(given().contentType(ContentType.JSON).body("{\"name\":\"p\",\"admin\":true}")
                .post("/device/api/v1/devices"), 400, "error");
        assertCleanRefusal(admin().body("{\"user_id\":{\"$ne\":1}}").post("/admin/api/v1/users"), 400, "error");
        assertCleanRefusal(admin().body("{\"user_id\":\"u\",\"role\":\"root\"}").post("/admin/api/v1/users"), 400, "error");
    }

    @Test
    void bodiesOver64KibAreRefusedBeforeAnyoneReadsThem() {
        String big = "{\"name\":\"" + "x".repeat(70 * 1024) + "\"}";
        Response device = given().contentType(ContentType.JSON).body(big).post("/device/api/v1/devices");
        assertCleanRefusal(device, 413, "error");
        assertThat((String) device.path("error")).isEqualTo("REQUEST_TOO_LARGE");
        Response portal = given().contentType(ContentType.URLENC).body("type=" + "x".repeat(70 * 1024))
                .post("/oauth/api/v4/users/u/devices/d/disableMobileAuthentication");
        assertCleanRefusal(portal, 413, "error_code");
        assertThat((String) portal.path("error_code")).isEqualTo("9003");
        assertCleanRefusal(admin().body(big).post("/admin/api/v1/users"), 413, "error");
    }

    @Test
    void aBodyJustUnderTheLimitIsRead() {
        String almost = "{\"name\":\"" + "x".repeat(60 * 1024) + "\"}";
        Response response = given().contentType(ContentType.JSON).body(almost).post("/device/api/v1/devices");
        assertCleanRefusal(response, 400, "error");
        assertThat((String) response.path("error")).isEqualTo("INVALID_REQUEST");
    }

    @Test
    void unknownPathsMethodsAndMediaTypesAreRefusedInTheApisShape() {
        assertCleanRefusal(given().get("/device/api/v1/nothing-here"), 404, "error");
        assertCleanRefusal(given().get("/oauth/api/v4/nothing-here"), 404, "error_code");
        assertCleanRefusal(admin().get("/admin/api/v1/nothing-here"), 404, "error");
        assertCleanRefusal(given().get("/device/api/v1/devices"), 405, "error");
        assertCleanRefusal(given().contentType(ContentType.XML).body("<a/>").post("/device/api/v1/devices"), 415, "error");
        assertCleanRefusal(given().get("/../../etc/passwd"), 404, "error");
    }

    @Test
    void anEmptyBodyIsInvalid() {
        assertCleanRefusal(given().contentType(ContentType.JSON).post("/device/api/v1/devices"), 400, "error");
        assertCleanRefusal(admin().post("/admin/api/v1/clients"), 400, "error");
    }

    @Test
    void aNulCharacterThatWouldReachTheDatabaseIsRefused() {
        assertCleanRefusal(admin().urlEncodingEnabled(false).get("/admin/api/v1/clients/%00"), 400, "error");
        assertCleanRefusal(admin().urlEncodingEnabled(false).delete("/admin/api/v1/clients/%00"), 400, "error");
    }

    @Test
    void formsWithBrokenEncodingOrAnotherMediaTypeAreRefused() {
        TestPortal portal = TestPortal.create();
        assertCleanRefusal(portal.form().body("type=%ZZ").post("/oauth/api/v4/authenticate/user"), 400, "error_code");
        assertCleanRefusal(portal.form().contentType("multipart/form-data; boundary=x").body("{\"type\":\"login\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/oauth/api/v4/authenticate/user"), 415, "error_code");
    }
}
