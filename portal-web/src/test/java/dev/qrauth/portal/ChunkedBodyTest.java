package dev.qrauth.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.testkit.LogCapture;
import dev.qrauth.testkit.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A chunked body (no Content-Length) over 64 KiB gets the 413 page, as a declared one does, and
 * leaves at most one log line behind: no ERROR, no stack trace.
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
    @ValueSource(strings = {"/logout", "/login/complete", "/callbacks/mobile-auth"})
    void aChunkedBodyOverTheLimitGetsThe413PageAndNoStackTrace(String path) throws IOException {
        logs.clear();
        RawHttp.Response response = postChunked(path, Map.of("Content-Type", "application/x-www-form-urlencoded"),
                ("csrf=" + "x".repeat(200 * 1024)).getBytes(StandardCharsets.US_ASCII));
        assertThat(response.status()).as(response.headers().toString()).isEqualTo(413);
        assertThat(response.header("Content-Type")).startsWith("text/html");
        assertThat(response.text()).contains("too large", "</html>").doesNotContain("Exception", "\tat ");
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
        // The signature covers the raw bytes: a 204 means every byte arrived as sent.
        byte[] body = Callbacks.body(UUID.randomUUID(), "CONFIRMED");
        byte[] padded = new byte[body.length + 20_000];
        System.arraycopy(body, 0, padded, 0, body.length - 1);
        java.util.Arrays.fill(padded, body.length - 1, padded.length - 1, (byte) ' ');
        padded[padded.length - 1] = '}';
        String signature = Callbacks.signature(padded, Instant.now());
        RawHttp.Response response = postChunked(Callbacks.PATH,
                Map.of("Content-Type", "application/json", "X-Signature", signature), padded);
        assertThat(response.status()).as(response.headers() + response.text()).isEqualTo(204);
    }
}
