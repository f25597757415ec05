package dev.qrauth.sdk;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/** A delegate that records every call, the thread it came on, and answers as a test tells it. */
class RecordingDelegate implements MobileAuthRequestDelegate {

    /** One delegate call. */
    record Call(String method, MobileAuthRequest request, SdkException error, MobileAuthInfo info, Thread thread) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    private final CountDownLatch terminal = new CountDownLatch(1);
    private final BiConsumer<MobileAuthRequest, MobileAuthConfirmation> answer;
    volatile MobileAuthConfirmation confirmation;

    RecordingDelegate(BiConsumer<MobileAuthRequest, MobileAuthConfirmation> answer) {
        this.answer = answer;
    }

    static RecordingDelegate confirming() {
        return new RecordingDelegate((request, confirmation) -> confirmation.confirm());
    }

    static RecordingDelegate denying() {
        return new RecordingDelegate((request, confirmation) -> confirmation.deny());
    }

    /** Keeps the confirmation for the test to answer later. */
    static RecordingDelegate holding() {
        return new RecordingDelegate((request, confirmation) -> { });
    }

    @Override
    public void didReceiveConfirmationChallenge(MobileAuthRequest request, MobileAuthConfirmation confirmation) {
        calls.add(new Call("challenge", request, null, null, Thread.currentThread()));
        this.confirmation = confirmation;
        answer.accept(request, confirmation);
    }

    @Override
    public void didHandleMobileAuthRequest(MobileAuthRequest request, Authenticator authenticator, MobileAuthInfo info) {
        calls.add(new Call("handled", request, null, info, Thread.currentThread()));
        terminal.countDown();
    }

    @Override
    public void didFailToHandleMobileAuthRequest(MobileAuthRequest request, Authenticator authenticator, SdkException error) {
        calls.add(new Call("failed", request, error, null, Thread.currentThread()));
        terminal.countDown();
    }

    /** Waits for the terminal call; fails when none comes in time. */
    RecordingDelegate awaitTerminal(Duration timeout) throws InterruptedException {
        if (!terminal.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("no terminal delegate call within " + timeout + "; calls: " + methods());
        }
        return this;
    }

    List<String> methods() {
        return calls.stream().map(Call::method).toList();
    }

    Call last() {
        return calls.get(calls.size() - 1);
    }

    SdkErrorCode errorCode() {
        return last().error() == null ? null : last().error().code();
    }
}
