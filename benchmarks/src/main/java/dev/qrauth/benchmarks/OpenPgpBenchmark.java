package dev.qrauth.benchmarks;

import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.message.MobileAuthMessage;
import dev.qrauth.protocol.message.Nonce;
import dev.qrauth.protocol.message.RequestContext;
import dev.qrauth.protocol.pgp.OpenPgp;
import dev.qrauth.protocol.pgp.PgpCertificate;
import dev.qrauth.protocol.pgp.PgpKey;
import dev.qrauth.protocol.pgp.PgpVerification;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The OpenPGP work of one flow: the server encrypts and signs the mobile-auth message (step 6),
 * the device decrypts and verifies it (step 7); the answer (steps 9 and 10) costs the same two
 * operations the other way round. The payload is a realistic {@link MobileAuthMessage}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class OpenPgpBenchmark {

    private OpenPgp pgp;
    private PgpKey server;
    private PgpKey device;
    private List<PgpCertificate> trustedServer;
    private byte[] plaintext;
    private byte[] sealed;

    @Setup
    public void setUp() {
        pgp = OpenPgp.withDefaultPolicy();
        server = pgp.generateKey("token-server");
        device = pgp.generateKey("device");
        trustedServer = List.of(server.certificate());
        MobileAuthMessage message = new MobileAuthMessage(MobileAuthMessage.VERSION, UUID.randomUUID(), "alice",
                "login", "Log in to Example Portal", null, "Example Portal",
                new RequestContext("Firefox 140", "Linux", "192.0.2.10", null),
                Instant.now().plusSeconds(120), Nonce.generate(new SecureRandom()), List.of(17, 42, 86));
        plaintext = ProtocolJson.write(message);
        sealed = pgp.encryptAndSign(plaintext, device.certificate(), server);
        if (!(pgp.decryptAndVerify(sealed, device, trustedServer) instanceof PgpVerification.Verified)) {
            throw new IllegalStateException("the benchmark's message does not verify");
        }
    }

    @Benchmark
    public byte[] encryptAndSign() {
        return pgp.encryptAndSign(plaintext, device.certificate(), server);
    }

    @Benchmark
    public PgpVerification decryptAndVerify() {
        return pgp.decryptAndVerify(sealed, device, trustedServer);
    }
}
