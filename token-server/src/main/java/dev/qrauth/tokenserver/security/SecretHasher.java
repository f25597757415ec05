package dev.qrauth.tokenserver.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The slow, salted hash for PINs and secrets: Argon2id, stored as a PHC string
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}) so that parameters can change without
 * invalidating stored hashes. Work is bounded by a semaphore so a burst of logins cannot exhaust
 * memory.
 */
@ApplicationScoped
public class SecretHasher {

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    private final int memoryKib;
    private final int iterations;
    private final Semaphore permits;

    public SecretHasher(
            @ConfigProperty(name = "tokenserver.hashing.argon2-memory-kib", defaultValue = "19456") int memoryKib,
            @ConfigProperty(name = "tokenserver.hashing.argon2-iterations", defaultValue = "2") int iterations) {
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.permits = new Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors()), true);
    }

    public String hash(String secret) {
        byte[] salt = new byte[SALT_BYTES];
        Secrets.random().nextBytes(salt);
        byte[] hash = argon2(secret, salt, memoryKib, iterations, 1);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=1$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /** Whether {@code secret} matches {@code phc}; false for a malformed stored value. */
    public boolean verify(String secret, String phc) {
        String[] parts = phc.split("\\$");
        // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
        if (parts.length != 6 || !"argon2id".equals(parts[1]) || !"v=19".equals(parts[2])) {
            return false;
        }
        int memory = 0;
        int time = 0;
        int lanes = 0;
        for (String parameter : parts[3].split(",")) {
            String[] pair = parameter.split("=", 2);
            if (pair.length != 2) {
                return false;
            }
            int value = Integer.parseInt(pair[1]);
            switch (pair[0]) {
                case "m" -> memory = value;
                case "t" -> time = value;
                case "p" -> lanes = value;
                default -> {
                    return false;
                }
            }
        }
        byte[] salt = B64_DECODER.decode(parts[4]);
        byte[] expected = B64_DECODER.decode(parts[5]);
        byte[] actual = argon2(secret, salt, memory, time, lanes);
        return MessageDigest.isEqual(expected, actual);
    }

    private byte[] argon2(String secret, byte[] salt, int memory, int time, int lanes) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memory)
                .withIterations(time)
                .withParallelism(lanes)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[HASH_BYTES];
        permits.acquireUninterruptibly();
        try {
            generator.generateBytes(secret.getBytes(StandardCharsets.UTF_8), out);
        } finally {
            permits.release();
        }
        return out;
    }
}
