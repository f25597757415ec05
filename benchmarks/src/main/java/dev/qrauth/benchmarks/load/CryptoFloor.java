package dev.qrauth.benchmarks.load;

import dev.qrauth.protocol.json.ProtocolJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The least cryptography a flow costs the phones, from this run's JMH figures: one
 * encrypt-and-sign plus one decrypt-and-verify ({@link dev.qrauth.benchmarks.OpenPgpBenchmark}).
 */
final class CryptoFloor {

    private CryptoFloor() {
    }

    /** In milliseconds per flow; null without the JMH file, or when it lacks either benchmark. */
    @SuppressWarnings("unchecked")
    static Double millisPerFlow(Path jmh) throws IOException {
        if (jmh == null || !Files.exists(jmh)) {
            return null;
        }
        List<Map<String, Object>> results = ProtocolJson.read(Files.readAllBytes(jmh), List.class);
        double total = 0;
        int found = 0;
        for (Map<String, Object> result : results) {
            String name = (String) result.get("benchmark");
            if (name.endsWith("OpenPgpBenchmark.encryptAndSign") || name.endsWith("OpenPgpBenchmark.decryptAndVerify")) {
                Map<String, Object> metric = (Map<String, Object>) result.get("primaryMetric");
                double score = ((Number) metric.get("score")).doubleValue();
                String unit = (String) metric.get("scoreUnit");
                total += unit.startsWith("us") ? score / 1000 : unit.startsWith("ms") ? score : score / 1_000_000;
                found++;
            }
        }
        return found == 2 ? total : null;
    }
}
