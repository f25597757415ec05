package dev.qrauth.tokenserver;

import dev.qrauth.tokenserver.callback.CallbackDelivery;
import dev.qrauth.tokenserver.callback.CallbackSettings;
import dev.qrauth.tokenserver.client.ApiClients;
import dev.qrauth.tokenserver.cluster.ClusterSettings;
import dev.qrauth.tokenserver.security.AuthFailureBudget;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses to start with a setting of the right type but an impossible value: a negative rate, a
 * burst under one, a zero interval. Without this such a value would surface later, and elsewhere:
 * as a refused first initiation, or a background job that never runs. Every problem is named by
 * its key, and all of them at once, so that an operator fixes the configuration in one go.
 *
 * <p>What SmallRye Config checks itself is not repeated here: a key that is required but missing,
 * a value of the wrong type (a malformed duration, a word for a number) and an unknown key under
 * {@code tokenserver.} each fail the start with a message naming the key. The master key is
 * checked by {@link dev.qrauth.tokenserver.security.MasterKey}; no message here shows a secret.
 */
@ApplicationScoped
public class ConfigurationCheck {

    /** Runs before the scheduler starts (at {@code PLATFORM_BEFORE}): it reads the intervals too. */
    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE - 1) StartupEvent event,
                 TokenServerConfig config) {
        List<String> problems = problems(config);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("The configuration is not valid, so the token server does not start:\n  "
                    + String.join("\n  ", problems));
        }
    }

    /** What is wrong with {@code config}, one sentence per key; empty when nothing is. */
    static List<String> problems(TokenServerConfig config) {
        Problems problems = new Problems();
        problems.atLeast("tokenserver.hashing.argon2-memory-kib", config.hashing().argon2MemoryKib(), 8);
        problems.atLeast("tokenserver.hashing.argon2-iterations", config.hashing().argon2Iterations(), 1);
        problems.atLeast("tokenserver.pin.max-failed-attempts", config.pin().maxFailedAttempts(), 1);
        problems.positive("tokenserver.access-token.ttl", config.accessToken().ttl());
        problems.positive("tokenserver.activation-code.ttl", config.activationCode().ttl());
        Duration overlap = config.clientSecret().overlap();
        if (overlap.isNegative() || overlap.compareTo(ApiClients.MAX_OVERLAP) > 0) {
            problems.add("tokenserver.client-secret.overlap must be from PT0S to " + ApiClients.MAX_OVERLAP
                    + ", not " + overlap);
        }
        double rate = config.initiation().rate();
        if (!(rate > 0) || Double.isInfinite(rate)) {
            problems.add("tokenserver.initiation.rate must be a number above 0, not " + rate);
        }
        double burst = config.initiation().burst();
        if (!(burst >= 1) || Double.isInfinite(burst)) {
            problems.add("tokenserver.initiation.burst must be a number of at least 1, not " + burst);
        }
        problems.atLeast("tokenserver.pending-cap", config.pendingCap(), 1);
        problems.atLeast("tokenserver.fetch.max-failures", config.fetch().maxFailures(), 1);
        problems.positive("tokenserver.fetch.failure-window", config.fetch().failureWindow());
        problems.positive("tokenserver.sweep.interval", config.sweep().interval());
        problems.atLeast("tokenserver.sweep.batch-size", config.sweep().batchSize(), 1);
        problems.notNegative("tokenserver.retention.finished-age", config.retention().finishedAge());
        problems.notNegative("tokenserver.retention.unused-device-age", config.retention().unusedDeviceAge());
        problems.positive("tokenserver.retention.interval", config.retention().interval());
        problems.atLeast("tokenserver.retention.batch-size", config.retention().batchSize(), 1);
        callback(config.callback(), problems);
        cluster(config.cluster(), problems);
        authFailures(config.authFailures(), problems);
        problems.atLeast("tokenserver.audit.refusals-per-minute", config.audit().refusalsPerMinute(), 1);
        problems.atLeast("tokenserver.device-registration.per-address", config.deviceRegistration().perAddress(), 1);
        problems.positive("tokenserver.device-registration.window", config.deviceRegistration().window());
        return problems.list;
    }

    private static void callback(CallbackSettings callback, Problems problems) {
        problems.positive("tokenserver.callback.poll-interval", callback.pollInterval());
        problems.positive("tokenserver.callback.max-age", callback.maxAge());
        problems.positive("tokenserver.callback.connect-timeout", callback.connectTimeout());
        problems.positive("tokenserver.callback.read-timeout", callback.readTimeout());
        if (callback.connectTimeout().plus(callback.readTimeout()).compareTo(CallbackDelivery.LEASE) >= 0) {
            problems.add("tokenserver.callback.connect-timeout and tokenserver.callback.read-timeout must add up to "
                    + "less than " + CallbackDelivery.LEASE + ", not " + callback.connectTimeout() + " + "
                    + callback.readTimeout());
        }
        problems.atLeast("tokenserver.callback.max-in-flight", callback.maxInFlight(), 1);
        problems.atLeast("tokenserver.callback.max-in-flight-per-client", callback.maxInFlightPerClient(), 1);
        problems.notNegative("tokenserver.callback.record-interval", callback.recordInterval());
        problems.notNegative("tokenserver.callback.sender-cache-ttl", callback.senderCacheTtl());
    }

    private static void cluster(ClusterSettings cluster, Problems problems) {
        boolean intervalValid = problems.positive("tokenserver.cluster.heartbeat-interval", cluster.heartbeatInterval());
        if (intervalValid && cluster.memberTimeout().compareTo(cluster.heartbeatInterval().multipliedBy(2)) < 0) {
            problems.add("tokenserver.cluster.member-timeout must be at least twice tokenserver.cluster.heartbeat-interval"
                    + " (" + cluster.heartbeatInterval() + "), or nodes that are alive would count as gone; it is "
                    + cluster.memberTimeout());
        }
    }

    private static void authFailures(AuthFailureBudget budget, Problems problems) {
        problems.atLeast("tokenserver.auth-failures.per-id", budget.perId(), 1);
        problems.atLeast("tokenserver.auth-failures.per-address", budget.perAddress(), 1);
        problems.positive("tokenserver.auth-failures.window", budget.window());
        problems.atLeast("tokenserver.auth-failures.max-tracked", budget.maxTracked(), 1);
    }

    /** The sentences collected so far. */
    private static final class Problems {

        final List<String> list = new ArrayList<>();

        void add(String problem) {
            list.add(problem);
        }

        void atLeast(String key, long value, long least) {
            if (value < least) {
                add(key + " must be at least " + least + ", not " + value);
            }
        }

        /** Whether {@code value} is above zero; says so when it is not. */
        boolean positive(String key, Duration value) {
            if (value.isNegative() || value.isZero()) {
                add(key + " must be a duration above zero (such as PT5M or 5m), not " + value);
                return false;
            }
            return true;
        }

        void notNegative(String key, Duration value) {
            if (value.isNegative()) {
                add(key + " must not be negative; it is " + value);
            }
        }
    }
}
