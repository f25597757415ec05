package dev.qrauth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.testkit.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Slow clients and oversized bodies are cut off, and meanwhile everyone else is served. */
@Tag("faults")
class SlowClientsFaultTest {

    static final int SLOW_CONNECTIONS = 300;
    /** Shorter than the shipped 30 s, so the test need not wait that long; the mechanism is the same. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);

    @Test
    void stalledConnectionsAreClosedAndDoNotSlowAnyoneElse() throws Exception {
        try (TokenServerProcess server = TokenServerProcess.start("quarkus.http.idle-timeout=" + IDLE_TIMEOUT.toSeconds() + "s")) {
            FaultFlows.Client client = FaultFlows.client(server, "http://127.0.0.1:9/callbacks");
            FaultFlows.type(server, "login", 120);
            String transaction = FaultFlows.initiate(server, client, "login", client.callbackUri()).string("transaction_id");

            // Three kinds of stall: half a request line, headers without their end, a body that never comes.
            List<Socket> slow = new ArrayList<>();
            String[] stalls = {
                "POST /oauth/api/v4/authenticate/us",
                "GET /admin/api/v1/audit HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ",
                "POST /device/api/v1/devices HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 1000\r\n\r\n{\"na"};
            for (int i = 0; i < SLOW_CONNECTIONS; i++) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.uri.getPort());
                socket.getOutputStream().write(stalls[i % stalls.length].getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                slow.add(socket);
            }
            Instant stalled = Instant.now();

            // Meanwhile, authenticated requests are served as usual.
            long slowest = 0;
            for (int i = 0; i < 50; i++) {
                long began = System.nanoTime();
                assertThat(FaultFlows.status(server, client, transaction)).isEqualTo("PENDING");
                slowest = Math.max(slowest, (System.nanoTime() - began) / 1_000_000);
            }
            assertThat(slowest).as("slowest of 50 requests beside %d stalled connections, ms", SLOW_CONNECTIONS)
                    .isLessThan(2_000);

            // And every stalled connection is closed by the server soon after the idle timeout.
            Instant deadline = stalled.plus(IDLE_TIMEOUT).plusSeconds(10);
            long longest = 0;
            for (Socket socket : slow) {
                try (socket) {
                    assertThat(closedBy(socket, deadline)).as("a stalled connection was closed").isTrue();
                }
                longest = Math.max(longest, Duration.between(stalled, Instant.now()).toMillis());
            }
            Figures.record("slow-clients", "stalled_connections=" + SLOW_CONNECTIONS + " idle_timeout_s=" + IDLE_TIMEOUT.toSeconds()
                    + " slowest_other_request_ms=" + slowest + " all_stalled_closed_within_ms=" + longest);
        }
    }

    @Test
    void oversizedBodiesAreRefusedAtOnceWithTheApisErrorBody() throws Exception {
        try (TokenServerProcess server = TokenServerProcess.start()) {
            byte[] huge = new byte[1024 * 1024];
            Arrays.fill(huge, (byte) 'a');
            long slowest = 0;
            for (String path : List.of("/oauth/api/v4/authenticate/user", "/device/api/v1/devices", "/admin/api/v1/clients")) {
                long began = System.nanoTime();
                RawHttp.Response response = RawHttp.send(server.uri.getPort(),
                        RawHttp.request("POST", path, Map.of("Content-Type", "application/json"), huge), Duration.ofSeconds(10));
                slowest = Math.max(slowest, (System.nanoTime() - began) / 1_000_000);
                assertThat(response.status()).as(path).isEqualTo(413);
                assertThat(ProtocolJson.read(response.body(), Map.class)).as(path).isNotEmpty();
            }
            // A length that announces more than the limit is refused before any of the body is sent.
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.uri.getPort())) {
                socket.setSoTimeout(5_000);
                socket.getOutputStream().write(("POST /device/api/v1/devices HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 104857600\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                byte[] head = new byte[12];
                int read = socket.getInputStream().readNBytes(head, 0, head.length);
                assertThat(new String(head, 0, read, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 413");
            }
            Figures.record("oversized-bodies", "body_bytes=" + huge.length + " slowest_refusal_ms=" + slowest);
        }
    }

    /** Whether the server closed {@code socket} (end of stream or reset) before {@code deadline}. */
    private static boolean closedBy(Socket socket, Instant deadline) throws IOException {
        InputStream in = socket.getInputStream();
        while (Instant.now().isBefore(deadline)) {
            socket.setSoTimeout((int) Math.max(1, Duration.between(Instant.now(), deadline).toMillis()));
            try {
                if (in.read() < 0) {
                    return true;
                }
                // An error response before closing is fine; keep reading to the end.
            } catch (SocketTimeoutException e) {
                return false;
            } catch (SocketException reset) {
                return true;
            }
        }
        return false;
    }
}
