package dev.qrauth.tokenserver.transaction;

import dev.qrauth.protocol.message.TransactionStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The transaction metrics on {@code /q/metrics}: outcomes by kind, fraud reports, requests by
 * path, and the latency from initiation to answer. The callbacks' own are {@code CallbackMetrics}.
 */
@ApplicationScoped
public class TransactionMetrics {

    private final MeterRegistry registry;
    private final Timer initiateToAnswer;
    private final Counter fraudReports;

    TransactionMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.initiateToAnswer = Timer.builder("qrauth.transaction.initiate.to.answer")
                .description("From initiation to the device's accepted answer")
                .publishPercentileHistogram().register(registry);
        this.fraudReports = Counter.builder("qrauth.fraud.reports")
                .description("Denials reported as fraud (\"this wasn't me\")").register(registry);
    }

    /** One transaction reached {@code outcome}. */
    public void outcome(TransactionStatus outcome) {
        registry.counter("qrauth.transactions", "outcome", outcome.name().toLowerCase()).increment();
    }

    void answered(Duration sinceInitiation) {
        initiateToAnswer.record(sinceInitiation);
    }

    void fraudReported() {
        fraudReports.increment();
    }

    /**
     * One request of a flow ({@code initiate}, {@code result}, {@code fetch}, {@code answer})
     * completed by the hot path ({@code hot}) or handed to the full path ({@code full}): a high
     * share of {@code full} in steady use means authentications are not being remembered.
     */
    void request(String step, boolean hot) {
        requests.computeIfAbsent(step + (hot ? "/hot" : "/full"), key -> registry.counter("qrauth.requests",
                "step", step, "path", hot ? "hot" : "full")).increment();
    }

    private final java.util.concurrent.ConcurrentMap<String, Counter> requests =
            new java.util.concurrent.ConcurrentHashMap<>();
}
