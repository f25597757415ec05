package dev.qrauth.tokenserver.transaction;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a MaxMind DB (format 2.0) city database with one IPv4 network, so that tests can
 * exercise the real reader without shipping a third-party database.
 */
public final class TinyCityDatabase {

    private TinyCityDatabase() {
    }

    /** Writes {@code network}/{@code prefix} -> city and country names (English) to {@code file}. */
    public static Path write(Path file, String network, int prefix, String city, String country) throws IOException {
        byte[] address = InetAddress.getByName(network).getAddress();
        int nodeCount = prefix;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int dataPointer = nodeCount + 16;
        for (int depth = 0; depth < prefix; depth++) {
            int bit = (address[depth / 8] >> (7 - depth % 8)) & 1;
            int next = depth == prefix - 1 ? dataPointer : depth + 1;
            int left = bit == 0 ? next : nodeCount;
            int right = bit == 1 ? next : nodeCount;
            writeRecord(out, left);
            writeRecord(out, right);
        }
        out.write(new byte[16]);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("city", Map.of("names", Map.of("en", city)));
        data.put("country", Map.of("names", Map.of("en", country)));
        encode(out, data);
        out.write(new byte[] {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF});
        out.write("MaxMind.com".getBytes(StandardCharsets.US_ASCII));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("binary_format_major_version", new Uint(5, 2));
        metadata.put("binary_format_minor_version", new Uint(5, 0));
        metadata.put("build_epoch", new Uint(9, 1_764_000_000L));
        metadata.put("database_type", "GeoLite2-City");
        metadata.put("description", Map.of("en", "qrauth test database"));
        metadata.put("ip_version", new Uint(5, 4));
        metadata.put("languages", List.of("en"));
        metadata.put("node_count", new Uint(6, nodeCount));
        metadata.put("record_size", new Uint(5, 24));
        encode(out, metadata);
        return Files.write(file, out.toByteArray());
    }

    private record Uint(int type, long value) {
    }

    private static void writeRecord(ByteArrayOutputStream out, int value) {
        out.write((value >> 16) & 0xFF);
        out.write((value >> 8) & 0xFF);
        out.write(value & 0xFF);
    }

    private static void encode(ByteArrayOutputStream out, Object value) throws IOException {
        if (value instanceof String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            control(out, 2, bytes.length);
            out.write(bytes);
        } else if (value instanceof Map<?, ?> map) {
            control(out, 7, map.size());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                encode(out, entry.getKey());
                encode(out, entry.getValue());
            }
        } else if (value instanceof List<?> list) {
            control(out, 11, list.size());
            for (Object item : list) {
                encode(out, item);
            }
        } else if (value instanceof Uint uint) {
            int length = 0;
            for (long rest = uint.value(); rest != 0; rest >>>= 8) {
                length++;
            }
            control(out, uint.type(), length);
            for (int i = length - 1; i >= 0; i--) {
                out.write((int) (uint.value() >>> (8 * i)) & 0xFF);
            }
        } else {
            throw new IllegalArgumentException("cannot encode " + value);
        }
    }

    private static void control(ByteArrayOutputStream out, int type, int size) {
        if (size >= 29) {
            throw new IllegalArgumentException("sizes over 28 are not needed here");
        }
        if (type <= 7) {
            out.write((type << 5) | size);
        } else {
            out.write(size);
            out.write(type - 7);
        }
    }
}
