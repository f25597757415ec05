package dev.qrauth.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A chunked body (no Content-Length) over 64 KiB gets the 413 page, as a declared one does, and
 * leaves at most one log line behind: no ERROR, no stack trace. (The same raw client as the token
 * server's ChunkedBodyTest: the two servers share no code, test code included.)
 */
@QuarkusTest
class ChunkedBodyTest {

    /** Every record the portal logs while a test runs. */
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
    static RawResponse postChunked(String path, String contentType, String extraHeader, byte[] body) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", RestAssured.port), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: " + contentType + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n");
            if (extraHeader != null) {
                head.append(extraHeader).append("\r\n");
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
    @ValueSource(strings = {"/logout", "/login/complete", "/callbacks/mobile-auth"})
    void aChunkedBodyOverTheLimitGetsThe413PageAndNoStackTrace(String path) throws IOException {
        logged.clear();
        RawResponse response = postChunked(path, "application/x-www-form-urlencoded", null,
                ("csrf=" + "x".repeat(200 * 1024)).getBytes(StandardCharsets.US_ASCII));
        assertThat(response.status()).as(response.head()).isEqualTo(413);
        assertThat(response.head().toLowerCase()).contains("content-type: text/html");
        assertThat(response.body()).contains("too large", "</html>").doesNotContain("Exception", "\tat ");
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
        // The signature covers the raw bytes: a 204 means every byte arrived as sent.
        byte[] body = Callbacks.body(UUID.randomUUID(), "CONFIRMED");
        byte[] padded = new byte[body.length + 20_000];
        System.arraycopy(body, 0, padded, 0, body.length - 1);
        java.util.Arrays.fill(padded, body.length - 1, padded.length - 1, (byte) ' ');
        padded[padded.length - 1] = '}';
        String signature = Callbacks.signature(padded, Instant.now());
        RawResponse response = postChunked(Callbacks.PATH, "application/json",
                "X-Signature: " + signature, padded);
        assertThat(response.status()).as(response.head() + response.body()).isEqualTo(204);
    }
}
