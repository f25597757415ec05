package dev.qrauth.tokenserver.transaction;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a MaxMind DB (format 2.0) city database of a few IPv4 networks, so that tests can
 * exercise the real reader without shipping a third-party database.
 */
public final class TinyCityDatabase {

    private TinyCityDatabase() {
    }

    /** One network of a {@link #write(Path, List)} database. */
    public record Network(String address, int prefix, String city, String country) {
    }

    /** Writes {@code network}/{@code prefix} -> city and country names (English) to {@code file}. */
    public static Path write(Path file, String network, int prefix, String city, String country) throws IOException {
        return write(file, List.of(new Network(network, prefix, city, country)));
    }

    /** Writes each network -> its city and country names (English) to {@code file}. */
    public static Path write(Path file, List<Network> networks) throws IOException {
        // A binary trie over the address bits: -1 is "no data", -(i + 2) is network i's data.
        List<int[]> nodes = new ArrayList<>();
        nodes.add(new int[] {-1, -1});
        for (int i = 0; i < networks.size(); i++) {
            byte[] address = InetAddress.getByName(networks.get(i).address()).getAddress();
            int node = 0;
            for (int depth = 0; depth < networks.get(i).prefix(); depth++) {
                int bit = (address[depth / 8] >> (7 - depth % 8)) & 1;
                if (depth == networks.get(i).prefix() - 1) {
                    nodes.get(node)[bit] = -(i + 2);
                } else {
                    if (nodes.get(node)[bit] <= 0) {
                        nodes.add(new int[] {-1, -1});
                        nodes.get(node)[bit] = nodes.size() - 1;
                    }
                    node = nodes.get(node)[bit];
                }
            }
        }
        int nodeCount = nodes.size();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int[] offsets = new int[networks.size()];
        for (int i = 0; i < networks.size(); i++) {
            offsets[i] = data.size();
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("city", Map.of("names", Map.of("en", networks.get(i).city())));
            record.put("country", Map.of("names", Map.of("en", networks.get(i).country())));
            encode(data, record);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int[] node : nodes) {
            for (int record : node) {
                writeRecord(out, record == -1 ? nodeCount : record < 0 ? nodeCount + 16 + offsets[-record - 2] : record);
            }
        }
        out.write(new byte[16]);
        out.write(data.toByteArray());
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
