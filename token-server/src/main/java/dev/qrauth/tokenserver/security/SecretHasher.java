package dev.qrauth.tokenserver.security;

import dev.qrauth.tokenserver.TokenServerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The slow, salted hash for PINs and secrets: Argon2id, stored as a PHC string
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}) so that parameters can change without
 * invalidating stored hashes.
 *
 * <p>Work is bounded by two semaphores, so a burst cannot exhaust memory, and so that PINs have
 * hashing capacity of their own: the credential pool serves client, device and admin secrets,
 * which anyone can present for any id; the PIN pool serves PINs, which only an authenticated
 * device can send. Wrong secrets queueing for the credential pool never delay a PIN login.
 */
@ApplicationScoped
public class SecretHasher {

    /** Which capacity a hash runs on. */
    enum Pool {
        PIN, CREDENTIAL
    }

    /** The Argon2id computation itself; a seam for tests that need to hold a hash in progress. */
    @FunctionalInterface
    interface Derivation {
        byte[] derive(byte[] secret, byte[] salt, int memoryKib, int iterations, int lanes);
    }

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    /** The shortest salt Argon2 accepts. */
    private static final int MIN_SALT_BYTES = 8;
    private static final Set<String> PARAMETER_NAMES = Set.of("m", "t", "p");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    private final int memoryKib;
    private final int iterations;
    private final Derivation derivation;
    private final Semaphore pinPermits;
    private final Semaphore credentialPermits;
    private final Counter pinVerifications;
    private final Counter credentialVerifications;

    @Inject
    public SecretHasher(TokenServerConfig config, MeterRegistry registry) {
        // PINs may use every core; secrets, nearly always answered from VerifiedSecrets when
        // right, get half of them, so that a flood of wrong ones leaves CPU for PIN logins too.
        this(config.hashing().argon2MemoryKib(), config.hashing().argon2Iterations(),
                Math.max(2, Runtime.getRuntime().availableProcessors()),
                Math.max(1, Runtime.getRuntime().availableProcessors() / 2), SecretHasher::argon2id, registry);
    }

    public SecretHasher(int memoryKib, int iterations) {
        this(memoryKib, iterations, 2, 1, SecretHasher::argon2id, new SimpleMeterRegistry());
    }

    SecretHasher(int memoryKib, int iterations, int pinPermits, int credentialPermits, Derivation derivation,
                 MeterRegistry registry) {
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.derivation = derivation;
        this.pinPermits = new Semaphore(pinPermits, true);
        this.credentialPermits = new Semaphore(credentialPermits, true);
        this.pinVerifications = verifications(registry, Pool.PIN);
        this.credentialVerifications = verifications(registry, Pool.CREDENTIAL);
    }

    private static Counter verifications(MeterRegistry registry, Pool pool) {
        return Counter.builder("qrauth.hashing.verifications").tag("pool", pool.name().toLowerCase())
                .description("Argon2id verifications run, by capacity pool (credential: client, device and admin "
                        + "secrets; pin: PINs)")
                .register(registry);
    }

    /** A new hash of a client, device or admin secret. */
    public String hash(String secret) {
        return hash(secret, Pool.CREDENTIAL);
    }

    /** A new hash of a PIN. */
    public String hashPin(String pin) {
        return hash(pin, Pool.PIN);
    }

    /** Whether the client, device or admin {@code secret} matches {@code phc}; false for a malformed stored value. */
    public boolean verify(String secret, String phc) {
        return verify(secret, phc, Pool.CREDENTIAL);
    }

    /** Whether {@code pin} matches {@code phc}, on the PIN pool; false for a malformed stored value. */
    public boolean verifyPin(String pin, String phc) {
        return verify(pin, phc, Pool.PIN);
    }

    private String hash(String secret, Pool pool) {
        byte[] salt = new byte[SALT_BYTES];
        Secrets.random().nextBytes(salt);
        byte[] hash = argon2(pool, secret, salt, memoryKib, iterations, 1);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=1$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    private boolean verify(String secret, String phc, Pool pool) {
        Optional<StoredHash> stored = StoredHash.parse(phc);
        if (stored.isEmpty()) {
            return false;
        }
        StoredHash hash = stored.get();
        (pool == Pool.PIN ? pinVerifications : credentialVerifications).increment();
        byte[] actual = argon2(pool, secret, hash.salt(), hash.memoryKib(), hash.iterations(), hash.lanes());
        return MessageDigest.isEqual(hash.expected(), actual);
    }

    /**
     * A stored PHC string, read: its parameters, salt and hash. Anything else, whether from an
     * older format, a damaged row or a hand-edited one, reads as empty, so a malformed value is a
     * failed verification and never an exception: a wrong answer to one login, not a broken
     * request. Parameters Argon2 itself refuses (no lanes, no iterations, less memory than the
     * lanes need, a salt under {@value #MIN_SALT_BYTES} bytes) are malformed too, and are refused
     * before any hashing work is spent on them.
     */
    record StoredHash(int memoryKib, int iterations, int lanes, byte[] salt, byte[] expected) {

        static Optional<StoredHash> parse(String phc) {
            if (phc == null) {
                return Optional.empty();
            }
            String[] parts = phc.split("\\$", -1);
            // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
            if (parts.length != 6 || !parts[0].isEmpty() || !"argon2id".equals(parts[1]) || !"v=19".equals(parts[2])) {
                return Optional.empty();
            }
            Map<String, Integer> parameters = new HashMap<>();
            for (String parameter : parts[3].split(",", -1)) {
                String[] pair = parameter.split("=", 2);
                if (pair.length != 2 || !PARAMETER_NAMES.contains(pair[0]) || !pair[1].matches("[0-9]{1,9}")
                        || parameters.put(pair[0], Integer.parseInt(pair[1])) != null) {
                    return Optional.empty();
                }
            }
            if (parameters.size() != PARAMETER_NAMES.size()) {
                return Optional.empty();
            }
            int memory = parameters.get("m");
            int time = parameters.get("t");
            int lanes = parameters.get("p");
            byte[] salt;
            byte[] expected;
            try {
                salt = B64_DECODER.decode(parts[4]);
                expected = B64_DECODER.decode(parts[5]);
            } catch (IllegalArgumentException notBase64) {
                return Optional.empty();
            }
            if (lanes < 1 || time < 1 || memory < 8 * lanes || salt.length < MIN_SALT_BYTES || expected.length == 0) {
                return Optional.empty();
            }
            return Optional.of(new StoredHash(memory, time, lanes, salt, expected));
        }
    }

    private byte[] argon2(Pool pool, String secret, byte[] salt, int memory, int time, int lanes) {
        Semaphore permits = pool == Pool.PIN ? pinPermits : credentialPermits;
        permits.acquireUninterruptibly();
        try {
            return derivation.derive(secret.getBytes(StandardCharsets.UTF_8), salt, memory, time, lanes);
        } finally {
            permits.release();
        }
    }

    static byte[] argon2id(byte[] secret, byte[] salt, int memory, int time, int lanes) {
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
        generator.generateBytes(secret, out);
        return out;
    }
}
