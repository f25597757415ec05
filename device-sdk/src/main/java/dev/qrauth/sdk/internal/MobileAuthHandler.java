package dev.qrauth.sdk.internal;

import dev.qrauth.protocol.device.AnswerAccepted;
import dev.qrauth.protocol.message.DenyReason;
import dev.qrauth.protocol.message.MobileAuthAnswer;
import dev.qrauth.protocol.message.MobileAuthMessage;
import dev.qrauth.protocol.message.TransactionStatus;
import dev.qrauth.protocol.otp.OtpPayload;
import dev.qrauth.protocol.pgp.PgpCertificate;
import dev.qrauth.protocol.pgp.PgpKey;
import dev.qrauth.sdk.Authenticator;
import dev.qrauth.sdk.MobileAuthConfirmation;
import dev.qrauth.sdk.MobileAuthInfo;
import dev.qrauth.sdk.MobileAuthRequest;
import dev.qrauth.sdk.MobileAuthRequestDelegate;
import dev.qrauth.sdk.SdkErrorCode;
import dev.qrauth.sdk.SdkException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One run of {@code handleOtpMobileAuthRequest} on an SDK thread: prepare (fetch and verify),
 * ask the delegate, wait for the answer until the request expires, deliver it, and call exactly
 * one terminal delegate method. {@code finished} runs before that terminal call, so the app may
 * start the next request from inside it. Every failure goes to
 * {@code didFailToHandleMobileAuthRequest}: with the request once one was verified, else with a
 * null request and authenticator.
 */
public final class MobileAuthHandler implements Runnable {

    /** A verified request with what answering it needs. */
    public record Prepared(MobileAuthRequest request, MobileAuthMessage message, PgpKey key, PgpCertificate server) {
    }

    /** Fetches and verifies the request for an OTP. */
    public interface Preparer {
        Prepared prepare(String otp, UUID transactionId);
    }

    /** Seals and sends an answer; returns the state the server reached, and any reverse code. */
    public interface Deliverer {
        AnswerAccepted deliver(Prepared prepared, MobileAuthAnswer answer);
    }

    private enum Choice { CONFIRM, DENY, FRAUD }

    private record Decision(Choice choice, Integer number) {
    }

    private final java.util.function.Supplier<Prepared> preparation;
    private final MobileAuthRequestDelegate delegate;
    private final Deliverer deliverer;
    private final Runnable finished;
    private final java.util.concurrent.atomic.AtomicBoolean terminalSent = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
    /** The verified request once there is one, for a failure that escapes {@link #handle()}. */
    private volatile MobileAuthRequest request;

    public MobileAuthHandler(String otp, OtpPayload payload, MobileAuthRequestDelegate delegate,
                             Preparer preparer, Deliverer deliverer, Runnable finished) {
        this(() -> preparer.prepare(otp, payload.transactionId()), delegate, deliverer, finished);
    }

    /**
     * For a request named by something other than an OTP (a typed short code): {@code preparation}
     * fetches and verifies it, and the run goes on as for an OTP.
     */
    public MobileAuthHandler(java.util.function.Supplier<Prepared> preparation, MobileAuthRequestDelegate delegate,
                             Deliverer deliverer, Runnable finished) {
        this.preparation = preparation;
        this.delegate = delegate;
        this.deliverer = deliverer;
        this.finished = finished;
    }

    @Override
    public void run() {
        try {
            handle();
        } catch (Throwable unexpected) {
            // Whatever escaped (an Error from app code, a bug), the contract still holds: one
            // terminal call, and the request no longer in progress.
            MobileAuthRequest shown = request;
            terminal(() -> delegate.didFailToHandleMobileAuthRequest(shown, shown == null ? null : Authenticator.PIN,
                    new SdkException(SdkErrorCode.SERVER_NOT_REACHABLE,
                            "Unexpected failure: " + unexpected.getClass().getSimpleName(), null, unexpected)));
        } finally {
            release();
        }
    }

    private void handle() {
        Prepared prepared;
        try {
            prepared = preparation.get();
        } catch (RuntimeException e) {
            SdkException error = asSdk(e);
            // No verified request yet: the failure is reported without one.
            terminal(() -> delegate.didFailToHandleMobileAuthRequest(null, null, error));
            return;
        }
        MobileAuthRequest request = prepared.request();
        this.request = request;
        Decision decision = ask(request);
        if (decision == null) {
            terminal(() -> delegate.didFailToHandleMobileAuthRequest(request, Authenticator.PIN,
                    new SdkException(SdkErrorCode.NOT_FOUND, "The request expired before it was answered")));
            return;
        }
        AnswerAccepted accepted;
        try {
            MobileAuthAnswer answer = switch (decision.choice()) {
                case CONFIRM -> MobileAuthAnswer.confirm(prepared.message(), decision.number());
                case DENY -> MobileAuthAnswer.deny(prepared.message(), null);
                case FRAUD -> MobileAuthAnswer.deny(prepared.message(), DenyReason.FRAUD);
            };
            accepted = deliverer.deliver(prepared, answer);
        } catch (RuntimeException e) {
            SdkException error = asSdk(e);
            terminal(() -> delegate.didFailToHandleMobileAuthRequest(request, Authenticator.PIN, error));
            return;
        }
        if (decision.choice() != Choice.CONFIRM) {
            terminal(() -> delegate.didFailToHandleMobileAuthRequest(request, Authenticator.PIN,
                    new SdkException(SdkErrorCode.ACTION_CANCELLED, decision.choice() == Choice.FRAUD
                            ? "You denied the request and reported it" : "You denied the request")));
        } else if (accepted.status() == TransactionStatus.CONFIRMED
                || accepted.status() == TransactionStatus.SCANNED && accepted.reverseCode() != null
                // One approval of a four-eyes request, counted while others are awaited.
                || accepted.status() == TransactionStatus.SCANNED && request.isFourEyes()) {
            MobileAuthInfo info = new MobileAuthInfo(accepted.status(), accepted.reverseCode());
            terminal(() -> delegate.didHandleMobileAuthRequest(request, Authenticator.PIN, info));
        } else {
            // Refused although the user approved: a wrong number, or (for a type that requires
            // it) a phone on another network than the browser.
            String why = request.requiresNumberMatching() ? "the number did not match the browser's"
                    : "approve from a phone on the same network as the browser";
            terminal(() -> delegate.didFailToHandleMobileAuthRequest(request, Authenticator.PIN,
                    new SdkException(SdkErrorCode.ACTION_CANCELLED, "The request was rejected: " + why)));
        }
    }

    /** Releases the request, then makes the one terminal call; later attempts are ignored. */
    private void terminal(Runnable delegateCall) {
        if (!terminalSent.compareAndSet(false, true)) {
            return;
        }
        release();
        try {
            delegateCall.run();
        } catch (RuntimeException ignored) {
            // The contract: exceptions from delegate methods are caught and change nothing.
        }
    }

    private void release() {
        if (released.compareAndSet(false, true)) {
            finished.run();
        }
    }

    /** The user's decision, or null when none came before the request expired. */
    private Decision ask(MobileAuthRequest request) {
        CompletableFuture<Decision> decision = new CompletableFuture<>();
        MobileAuthConfirmation confirmation = new MobileAuthConfirmation() {
            @Override
            public void confirm() {
                if (request.requiresNumberMatching()) {
                    throw new IllegalStateException("This request needs the number the browser shows: confirm(number)");
                }
                decision.complete(new Decision(Choice.CONFIRM, null));
            }

            @Override
            public void confirm(int chosenNumber) {
                if (!request.numberChoices().contains(chosenNumber)) {
                    throw new IllegalArgumentException("Pick one of " + request.numberChoices());
                }
                decision.complete(new Decision(Choice.CONFIRM, chosenNumber));
            }

            @Override
            public void deny() {
                decision.complete(new Decision(Choice.DENY, null));
            }

            @Override
            public void denyAsFraud() {
                decision.complete(new Decision(Choice.FRAUD, null));
            }
        };
        try {
            delegate.didReceiveConfirmationChallenge(request, confirmation);
        } catch (RuntimeException e) {
            decision.complete(new Decision(Choice.DENY, null));
        }
        long waitMillis = Math.max(0, Duration.between(Instant.now(), request.expiresAt()).toMillis());
        try {
            return decision.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            return null;
        }
    }

    private static SdkException asSdk(RuntimeException e) {
        return e instanceof SdkException sdk ? sdk
                : new SdkException(SdkErrorCode.SERVER_NOT_REACHABLE, "Unexpected failure: " + e.getClass().getSimpleName(),
                        null, e);
    }

}
