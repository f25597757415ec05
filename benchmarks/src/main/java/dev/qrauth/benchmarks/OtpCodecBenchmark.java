package dev.qrauth.benchmarks;

import dev.qrauth.protocol.otp.OtpCode;
import dev.qrauth.protocol.otp.OtpCodec;
import dev.qrauth.protocol.otp.OtpDecoding;
import dev.qrauth.protocol.otp.OtpPayload;
import java.security.SecureRandom;
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

/** Decoding a valid OTP (every fetch does it) and refusing a malformed one (what an attacker sends). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class OtpCodecBenchmark {

    private String validOtp;
    private String malformedOtp;

    @Setup
    public void setUp() {
        validOtp = OtpCodec.encode(new OtpPayload(UUID.randomUUID(), OtpCode.generate(new SecureRandom())));
        // Valid base64 of valid JSON with an extra member: rejected late, at step 8.
        malformedOtp = java.util.Base64.getEncoder().encodeToString(
                ("{\"transaction_id\":\"6f1c2a9e-3b7d-4c1e-9a55-0d2f8b7e4c10\",\"otp\":\"x\",\"extra\":1}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Benchmark
    public OtpDecoding decodeValid() {
        return OtpCodec.decode(validOtp);
    }

    @Benchmark
    public OtpDecoding decodeMalformed() {
        return OtpCodec.decode(malformedOtp);
    }
}
