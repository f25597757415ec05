package dev.qrauth.benchmarks.load;

import dev.qrauth.protocol.message.TransactionStatus;
import dev.qrauth.protocol.portal.AuthenticationStarted;
import dev.qrauth.protocol.portal.TransactionResult;
import dev.qrauth.sdk.SdkException;
import dev.qrauth.testkit.CallbackInbox;
import dev.qrauth.testkit.VirtualPhone;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One complete flow: the portal initiates, a free device fetches and answers, the signed callback
 * arrives, the portal reads the result. Each step's latency goes to {@link Samples} when the flow
 * was due in the measured window, and every completed flow to the {@link Timeline}. A flow that
 * fails is counted by its kind of failure and never stops the run.
 */
final class Flow {

    /** How long a flow may wait for a device, the phone's part, or the callback. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final PortalSimulator portal;
    private final BlockingQueue<VirtualPhone> devices;
    private final CallbackInbox callbacks;
    private final Samples samples;
    private final Timeline timeline;

    Flow(PortalSimulator portal, BlockingQueue<VirtualPhone> devices, CallbackInbox callbacks, Samples samples,
         Timeline timeline) {
        this.portal = portal;
        this.devices = devices;
        this.callbacks = callbacks;
        this.samples = samples;
        this.timeline = timeline;
    }

    /** Runs one flow that was due at {@code dueNanos}: its whole latency counts from then. */
    void run(long dueNanos) {
        boolean measured = timeline.measured(dueNanos);
        VirtualPhone device = null;
        UUID transactionId = null;
        try {
            device = devices.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (device == null) {
                throw new FlowException("no free device");
            }
            long t0 = System.nanoTime();
            AuthenticationStarted started = portal.initiate();
            long t1 = System.nanoTime();
            transactionId = started.transactionId();
            CompletableFuture<Long> callback = callbacks.arrival(transactionId);
            VirtualPhone.Answered answer = answer(device, started.otp());
            String userId = answer.request().userProfile().userId();
            // The phone is free again; the portal's part goes on without it.
            devices.add(device);
            device = null;
            long callbackArrived = callback.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            long t4 = System.nanoTime();
            TransactionResult result = portal.result(transactionId);
            long t5 = System.nanoTime();
            if (result.status() != TransactionStatus.CONFIRMED || !result.isAuthenticated()
                    || !userId.equals(result.userId())) {
                throw new FlowException("result not CONFIRMED for the device's user: " + result.status());
            }
            timeline.flowEnded(t5);
            if (measured) {
                samples.record("initiate", t1 - t0);
                samples.record("fetch", answer.shownNanos() - t1);
                // The user decides at once: the answer is sent when the request is shown.
                samples.record("answer", answer.acceptedNanos() - answer.shownNanos());
                samples.record("answer_to_callback", callbackArrived - answer.shownNanos());
                samples.record("result", t5 - t4);
                samples.record("flow", t5 - dueNanos);
                samples.flowDone();
            }
        } catch (FlowException e) {
            if (measured) {
                samples.error(e.getMessage());
            }
        } catch (TimeoutException e) {
            if (measured) {
                samples.error("callback not received within " + TIMEOUT.toSeconds() + " s");
            }
        } catch (Exception e) {
            if (measured) {
                StackTraceElement[] at = e.getStackTrace();
                samples.error(e.getClass().getSimpleName() + (at.length == 0 ? "" : " at " + at[0]));
            }
        } finally {
            if (transactionId != null) {
                callbacks.forget(transactionId);
            }
            if (device != null) {
                devices.add(device);
            }
        }
    }

    /** The phone's part: fetch, confirm at once, answer; its failures as kinds the report counts. */
    private static VirtualPhone.Answered answer(VirtualPhone phone, String otp) {
        try {
            return phone.approveTimed(otp);
        } catch (SdkException e) {
            throw new FlowException("SDK " + e.code());
        } catch (IllegalStateException e) {
            // The phone did not finish within the timeout, or was interrupted as the run ended.
            throw new FlowException(e.getMessage());
        }
    }
}
