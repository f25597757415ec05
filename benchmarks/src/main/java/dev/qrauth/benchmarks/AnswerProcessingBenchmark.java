package dev.qrauth.benchmarks;

import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.message.MobileAuthAnswer;
import dev.qrauth.protocol.message.MobileAuthMessage;
import dev.qrauth.protocol.message.Nonce;
import dev.qrauth.protocol.message.RequestContext;
import dev.qrauth.protocol.pgp.OpenPgp;
import dev.qrauth.protocol.pgp.PgpCertificate;
import dev.qrauth.protocol.pgp.PgpKey;
import dev.qrauth.protocol.pgp.PgpVerification;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
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
 * The token server's processing of one answer (flow step 9) without HTTP and database: read the
 * device's certificate as stored (armored text), base64-decode the sealed message, decrypt and
 * verify it, parse the {@link MobileAuthAnswer} and check it belongs to the request. The variant
 * with the certificate already parsed shows what caching parsed certificates would save.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class AnswerProcessingBenchmark {

    private OpenPgp pgp;
    private PgpKey server;
    private String storedDeviceCertificate;
    private PgpCertificate deviceCertificate;
    private String sealedBase64;
    private UUID transactionId;
    private String nonce;

    @Setup
    public void setUp() {
        pgp = OpenPgp.withDefaultPolicy();
        server = pgp.generateKey("token-server");
        PgpKey device = pgp.generateKey("device");
        storedDeviceCertificate = device.certificate().toArmoredString();
        deviceCertificate = pgp.readCertificate(storedDeviceCertificate);
        transactionId = UUID.randomUUID();
        nonce = Nonce.generate(new SecureRandom());
        MobileAuthMessage message = new MobileAuthMessage(MobileAuthMessage.VERSION, transactionId, "alice",
                "login", "Log in to Example Portal", null, "Example Portal",
                new RequestContext("Firefox 140", "Linux", "192.0.2.10", null),
                Instant.now().plusSeconds(120), nonce, List.of(17, 42, 86));
        byte[] answer = ProtocolJson.write(MobileAuthAnswer.confirm(message, 42));
        sealedBase64 = Base64.getEncoder().encodeToString(pgp.encryptAndSign(answer, server.certificate(), device));
        if (!(processAnswer() instanceof MobileAuthAnswer)) {
            throw new IllegalStateException("the benchmark's answer is refused");
        }
    }

    /** As the token server does it today: the stored certificate is parsed for every answer. */
    @Benchmark
    public Object processAnswer() {
        return open(pgp.readCertificate(storedDeviceCertificate));
    }

    /** The same with the device's certificate parsed once. */
    @Benchmark
    public Object processAnswerWithParsedCertificate() {
        return open(deviceCertificate);
    }

    /** Parsing the stored certificate alone. */
    @Benchmark
    public PgpCertificate readCertificate() {
        return pgp.readCertificate(storedDeviceCertificate);
    }

    private Object open(PgpCertificate certificate) {
        byte[] ciphertext = Base64.getDecoder().decode(sealedBase64);
        PgpVerification verification = pgp.decryptAndVerify(ciphertext, server, List.of(certificate));
        if (!(verification instanceof PgpVerification.Verified verified)) {
            return verification;
        }
        MobileAuthAnswer answer = ProtocolJson.read(verified.payload(), MobileAuthAnswer.class);
        return answer.transactionId().equals(transactionId) && answer.nonce().equals(nonce) ? answer : null;
    }
}
