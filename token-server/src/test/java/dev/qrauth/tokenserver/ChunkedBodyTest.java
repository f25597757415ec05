package dev.qrauth.tokenserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.http.BasicCredentials;
import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.testkit.LogCapture;
import dev.qrauth.testkit.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A chunked body (no Content-Length) over 64 KiB gets the 413 of its API with its error body,
 * as a declared one does, and leaves at most one log line behind: no ERROR, no stack trace.
 */
@QuarkusTest
class ChunkedBodyTest {

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    /** POSTs {@code body} chunked to this server, with {@code headers}, and reads its answer. */
    static RawHttp.Response postChunked(String path, Map<String, String> headers, byte[] body) throws IOException {
        return RawHttp.send(RestAssured.port, RawHttp.chunkedRequest("POST", path, headers, body), Duration.ofSeconds(10));
    }

    @ParameterizedTest
    @CsvSource({
            "/device/api/v1/devices,application/json,,error,REQUEST_TOO_LARGE",
            "/oauth/api/v4/authenticate/user,application/x-www-form-urlencoded,portal,error_code,9003",
            "/admin/api/v1/users,application/json,admin,error,request_too_large"})
    void aChunkedBodyOverTheLimitGetsTheApisTooLargeAnswerAndNoStackTrace(String path, String type, String who,
                                                                         String field, String code) throws IOException {
        String authorization = who == null ? null
                : (who.equals("admin") ? new BasicCredentials("admin", TestApi.ADMIN_PASSWORD) : portalCredentials()).header();
        logs.clear();
        RawHttp.Response response = postChunked(path, headers(type, authorization),
                "x".repeat(200 * 1024).getBytes(StandardCharsets.US_ASCII));
        assertThat(response.status()).as(response.headers().toString()).isEqualTo(413);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        Map<?, ?> body = ProtocolJson.read(response.body(), Map.class);
        assertThat(String.valueOf(body.get(field))).isEqualTo(code);
        assertThat(response.text()).doesNotContain("Exception", "\tat ");
        // Anything logged for this request has been logged by now: the answer came after it.
        List<LogRecord> records = logs.records();
        assertThat(records).as("log records").hasSizeLessThanOrEqualTo(1)
                .allSatisfy(record -> {
                    assertThat(record.getLevel().intValue()).isLessThan(Level.SEVERE.intValue());
                    assertThat(record.getThrown()).isNull();
                });
    }

    @org.junit.jupiter.api.Test
    void aChunkedBodyUnderTheLimitIsReadAsUsual() throws IOException {
        String name = "chunked phone " + "x".repeat(90);
        RawHttp.Response device = postChunked("/device/api/v1/devices", headers("application/json", null),
                ("{\"name\":\"" + name.substring(0, 100) + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(device.status()).as(device.text()).isEqualTo(201);
        assertThat(device.text()).contains("device_id");

        TestPortal portal = TestPortal.create();
        String form = "type=" + portal.loginType + "&callback_uri="
                + java.net.URLEncoder.encode(TestPortal.CALLBACK, StandardCharsets.UTF_8)
                + "&message=" + "Log+in+".repeat(20) + "&user_agent=" + "x".repeat(500)
                + "&secure_message=" + "y".repeat(8000);
        RawHttp.Response started = postChunked("/oauth/api/v4/authenticate/user", headers("application/x-www-form-urlencoded",
                new BasicCredentials(portal.client.clientId(), portal.client.secret()).header()),
                form.getBytes(StandardCharsets.US_ASCII));
        assertThat(started.status()).as(started.text()).isEqualTo(200);
        assertThat(started.text()).contains("transaction_id", "otp");
    }

    private static Map<String, String> headers(String contentType, String authorization) {
        return authorization == null ? Map.of("Content-Type", contentType)
                : Map.of("Content-Type", contentType, "Authorization", authorization);
    }

    private static BasicCredentials portalCredentials() {
        TestApi.Client client = TestApi.createClient();
        return new BasicCredentials(client.clientId(), client.secret());
    }

    /**
     * The JDK's HTTP client asks to upgrade a plain-HTTP connection to HTTP/2 ("Upgrade: h2c")
     * unless told otherwise, as the SDK, the test kit and many portals' clients do: such requests,
     * with and without a body, are served as any other.
     */
    @org.junit.jupiter.api.Test
    void requestsUpgradedToHttp2AreServed() throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_2).build();
        String admin = new BasicCredentials("admin", TestApi.ADMIN_PASSWORD).header();
        java.net.URI base = java.net.URI.create("http://127.0.0.1:" + RestAssured.port);
        java.net.http.HttpResponse<String> read = client.send(java.net.http.HttpRequest.newBuilder(
                        base.resolve("/admin/api/v1/audit")).header("Authorization", admin).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        java.net.http.HttpResponse<String> created = client.send(java.net.http.HttpRequest.newBuilder(
                        base.resolve("/admin/api/v1/users")).header("Authorization", admin)
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                "{\"user_id\":\"" + TestApi.unique("h2c") + "\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(logs.records()).noneMatch(record -> record.getLevel().intValue() >= Level.SEVERE.intValue());
    }
}
