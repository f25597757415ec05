package dev.qrauth.tokenserver.callback;

import dev.qrauth.protocol.message.TransactionStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The callback metrics on {@code /q/metrics}: callbacks delivered by the status they reported,
 * the latency from the state change (or expiry) to delivery, and the attempts that failed.
 */
@ApplicationScoped
public class CallbackMetrics {

    private final MeterRegistry registry;
    private final Timer answerToCallback;
    private final Counter callbackFailures;

    CallbackMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.answerToCallback = Timer.builder("qrauth.callback.answer.to.delivered")
                .description("From the state change to the callback's successful delivery")
                .publishPercentileHistogram().register(registry);
        this.callbackFailures = Counter.builder("qrauth.callback.failures")
                .description("Callback attempts that did not get a 2xx").register(registry);
    }

    void delivered(TransactionStatus status, Duration sinceEnqueued) {
        registry.counter("qrauth.callbacks.delivered", "status", status.name().toLowerCase()).increment();
        answerToCallback.record(sinceEnqueued);
    }

    void failed() {
        callbackFailures.increment();
    }
}
