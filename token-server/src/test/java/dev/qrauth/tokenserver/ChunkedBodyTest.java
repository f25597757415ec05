package dev.qrauth.tokenserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.http.BasicCredentials;
import dev.qrauth.protocol.json.ProtocolJson;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A chunked body (no Content-Length) over 64 KiB gets the 413 of its API with its error body,
 * as a declared one does, and leaves at most one log line behind: no ERROR, no stack trace.
 */
@QuarkusTest
class ChunkedBodyTest {

    /** Every record the server logs while a test runs. */
    final List<LogRecord> logged = java.util.Collections.synchronizedList(new ArrayList<>());
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLogs() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("").removeHandler(capture);
    }

    record RawResponse(int status, String head, String body) {
    }

    /** Sends {@code body} in chunks of at most 8 KiB to 127.0.0.1 and reads whatever the server answers. */
    static RawResponse postChunked(String path, String contentType, String authorization, byte[] body) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", RestAssured.port), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: " + contentType + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n");
            if (authorization != null) {
                head.append("Authorization: ").append(authorization).append("\r\n");
            }
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            try {
                for (int sent = 0; sent < body.length; sent += 8192) {
                    int length = Math.min(8192, body.length - sent);
                    out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body, sent, length);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException refusedWhileSending) {
                // The server may answer and close before the whole body is sent; read its answer.
            }
            return read(socket.getInputStream());
        }
    }

    private static RawResponse read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                all.write(buffer, 0, n);
                String text = all.toString(StandardCharsets.UTF_8);
                int end = text.indexOf("\r\n\r\n");
                if (end > 0) {
                    String headers = text.substring(0, end).toLowerCase();
                    int lengthAt = headers.indexOf("content-length:");
                    if (lengthAt >= 0) {
                        int length = Integer.parseInt(headers.substring(lengthAt + 15).split("\r\n")[0].trim());
                        if (text.getBytes(StandardCharsets.UTF_8).length >= end + 4 + length) {
                            break;
                        }
                    }
                }
            }
        } catch (java.net.SocketException reset) {
            // A reset after the answer: keep what arrived.
        }
        String text = all.toString(StandardCharsets.UTF_8);
        assertThat(text).as("an HTTP answer").startsWith("HTTP/1.1 ");
        int end = text.indexOf("\r\n\r\n");
        return new RawResponse(Integer.parseInt(text.substring(9, 12)), text.substring(0, end), text.substring(end + 4));
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
        logged.clear();
        RawResponse response = postChunked(path, type, authorization,
                "x".repeat(200 * 1024).getBytes(StandardCharsets.US_ASCII));
        assertThat(response.status()).as(response.head()).isEqualTo(413);
        assertThat(response.head().toLowerCase()).contains("content-type: application/json");
        Map<?, ?> body = ProtocolJson.read(response.body().getBytes(StandardCharsets.UTF_8), Map.class);
        assertThat(String.valueOf(body.get(field))).isEqualTo(code);
        assertThat(response.body()).doesNotContain("Exception", "\tat ");
        // Anything logged for this request has been logged by now: the answer came after it.
        List<LogRecord> records = List.copyOf(logged);
        assertThat(records).as("log records").hasSizeLessThanOrEqualTo(1)
                .allSatisfy(record -> {
                    assertThat(record.getLevel().intValue()).isLessThan(Level.SEVERE.intValue());
                    assertThat(record.getThrown()).isNull();
                });
    }

    @org.junit.jupiter.api.Test
    void aChunkedBodyUnderTheLimitIsReadAsUsual() throws IOException {
        String name = "chunked phone " + "x".repeat(90);
        RawResponse device = postChunked("/device/api/v1/devices", "application/json", null,
                ("{\"name\":\"" + name.substring(0, 100) + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(device.status()).as(device.body()).isEqualTo(201);
        assertThat(device.body()).contains("device_id");

        TestPortal portal = TestPortal.create();
        String form = "type=" + portal.loginType + "&callback_uri="
                + java.net.URLEncoder.encode(TestPortal.CALLBACK, StandardCharsets.UTF_8)
                + "&message=" + "Log+in+".repeat(20) + "&user_agent=" + "x".repeat(500)
                + "&secure_message=" + "y".repeat(8000);
        RawResponse started = postChunked("/oauth/api/v4/authenticate/user", "application/x-www-form-urlencoded",
                new BasicCredentials(portal.client.clientId(), portal.client.secret()).header(),
                form.getBytes(StandardCharsets.US_ASCII));
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        assertThat(started.body()).contains("transaction_id", "otp");
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
        assertThat(logged).noneMatch(record -> record.getLevel().intValue() >= Level.SEVERE.intValue());
    }
}
