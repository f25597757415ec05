package dev.qrauth.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a bare loopback socket, for tests that send what no well-behaved client would:
 * raw bytes in the target, broken headers, lying lengths, a chunked body that never ends in time.
 * One request per connection ({@code Connection: close}).
 */
public final class RawHttp {

    /**
     * A parsed answer: the status (0 when the server closed without answering), the headers
     * (names in lower case, the last value of each) and the body, de-chunked.
     */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        /** The value of header {@code name} (any case), or null. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private RawHttp() {
    }

    /** A request with {@code Content-Length} when there is a body; {@code target} is sent as given. */
    public static byte[] request(String method, String target, Map<String, String> headers, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder head = head(method, target, headers);
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        out.writeBytes(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    /** A request whose body is sent chunked ({@code Transfer-Encoding: chunked}), in chunks of 8 KiB. */
    public static byte[] chunkedRequest(String method, String target, Map<String, String> headers, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder head = head(method, target, headers).append("Transfer-Encoding: chunked\r\n\r\n");
        out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        for (int sent = 0; sent < body.length; sent += 8192) {
            int length = Math.min(8192, body.length - sent);
            out.writeBytes((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, sent, length);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /**
     * Sends {@code request} to {@code port} on the loopback address and reads the answer: up to
     * its declared length, its last chunk, or the end of the connection. A server may answer
     * before it has read the whole request (a body over its limit): that answer is read too.
     */
    public static Response send(int port, byte[] request, Duration timeout) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException refusedWhileSending) {
                // The server answered and closed before taking everything; read what it said.
            }
            return read(socket.getInputStream());
        }
    }

    private static StringBuilder head(String method, String target, Map<String, String> headers) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nConnection: close\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        return head;
    }

    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                all.write(buffer, 0, n);
                if (isComplete(all.toByteArray())) {
                    break;
                }
            }
        } catch (SocketException reset) {
            // A reset after (or instead of) the answer: keep what arrived.
        }
        byte[] bytes = all.toByteArray();
        int headEnd = indexOf(bytes, 0, "\r\n\r\n");
        if (headEnd < 0) {
            return new Response(0, Map.of(), bytes);
        }
        String[] lines = new String(bytes, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body = Arrays.copyOfRange(bytes, headEnd + 4, bytes.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Response(status, headers, body);
    }

    /** Whether {@code bytes} hold a whole answer: its head and the body its head announces. */
    private static boolean isComplete(byte[] bytes) {
        int headEnd = indexOf(bytes, 0, "\r\n\r\n");
        if (headEnd < 0) {
            return false;
        }
        String head = new String(bytes, 0, headEnd, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        int lengthAt = head.indexOf("\r\ncontent-length:");
        if (lengthAt >= 0) {
            int length = Integer.parseInt(head.substring(lengthAt + 17).split("\r\n")[0].trim());
            return bytes.length >= headEnd + 4 + length;
        }
        if (head.contains("\r\ntransfer-encoding: chunked")) {
            return indexOf(bytes, headEnd + 4, "\r\n0\r\n\r\n") >= 0 || indexOf(bytes, headEnd + 4, "0\r\n\r\n") == headEnd + 4;
        }
        return false;
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < chunked.length) {
            int lineEnd = indexOf(chunked, at, "\r\n");
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";")[0].trim(), 16);
            at = lineEnd + 2;
            if (size == 0) {
                break;
            }
            out.write(chunked, at, Math.min(size, chunked.length - at));
            at += size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] data, int from, String text) {
        byte[] pattern = text.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
