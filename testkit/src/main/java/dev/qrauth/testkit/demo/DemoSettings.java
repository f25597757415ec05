package dev.qrauth.testkit.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * {@code demo.properties}: the demo's secrets (the admin password, the master key, each portal
 * port's API client) and what it knows of its phone. The file is its owner's only, and made so
 * again at each start in case a copy left it readable to others.
 */
final class DemoSettings {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final Properties values = new Properties();

    private DemoSettings(Path file) {
        this.file = file;
    }

    static DemoSettings load(Path data) throws IOException {
        DemoSettings settings = new DemoSettings(data.resolve("demo.properties"));
        if (Files.exists(settings.file)) {
            Files.setPosixFilePermissions(settings.file, PosixFilePermissions.fromString("rw-------"));
            try (InputStream in = Files.newInputStream(settings.file)) {
                settings.values.load(in);
            }
        }
        return settings;
    }

    Path file() {
        return file;
    }

    /** The value of {@code key}, or null. */
    String get(String key) {
        return values.getProperty(key);
    }

    /** Sets each pair of {@code keysAndValues} and saves the file once. */
    void set(String... keysAndValues) {
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        save();
    }

    /** The value of {@code key}; made by {@code initial} and saved at once when there is none yet. */
    String getOrCreate(String key, Supplier<String> initial) {
        String value = values.getProperty(key);
        if (value == null) {
            value = initial.get();
            set(key, value);
        }
        return value;
    }

    /** {@code n} random bytes, base64: standard with {@code padded}, else URL-safe without padding. */
    static String randomBase64(int n, boolean padded) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return padded ? Base64.getEncoder().encodeToString(bytes) : Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void save() {
        try {
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                values.store(out, "Demo secrets: the admin password, the master key and the API client. Keep private.");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
