package dev.qrauth.tokenserver;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Also the place that registers the embedded PostgreSQL for every test of this module. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class HealthTest {

    @Test
    void reportsItselfLive() {
        given().when().get("/q/health/live")
                .then().statusCode(200)
                .body("status", equalTo("UP"));
    }

    @Test
    void readinessIncludesTheDatabase() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Database connections health check"));
    }

    @Test
    void exposesPrometheusMetricsAndOpenApiToTheAdmin() {
        TestApi.admin().when().get("/q/metrics").then().statusCode(200);
        TestApi.admin().when().get("/q/openapi").then().statusCode(200)
                .body(containsString("/oauth/api/v4/authenticate/user"));
        TestApi.admin().when().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void metricsOpenApiAndSwaggerUiAreRefusedWithoutTheAdminsCredentials() {
        for (String path : new String[] {"/q/metrics", "/q/openapi", "/q/openapi.json", "/q/swagger-ui/",
                "/q/swagger-ui/index.html", "/q/./metrics", "/q/health/../metrics"}) {
            given().when().get(path).then().statusCode(401)
                    .header("WWW-Authenticate", containsString("Basic"))
                    .body("error", equalTo("unauthorized"))
                    .body(not(containsString("qrauth_")));
            given().auth().preemptive().basic("admin", "wrong").when().get(path).then().statusCode(401);
            given().auth().preemptive().basic("root", TestApi.ADMIN_PASSWORD).when().get(path).then().statusCode(401);
        }
    }
}
