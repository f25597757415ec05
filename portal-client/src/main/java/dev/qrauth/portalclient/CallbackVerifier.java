package dev.qrauth.portalclient;

import dev.qrauth.protocol.callback.CallbackSignature;
import dev.qrauth.protocol.http.BasicCredentials;
import dev.qrauth.protocol.json.ProtocolFormatException;
import dev.qrauth.protocol.json.ProtocolJson;
import dev.qrauth.protocol.portal.CallbackNotification;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Checks a callback from the token server the way {@code docs/PROTOCOL.md} ("Callbacks") asks of
 * a receiver, before anything else is done with it: the Basic credentials when the client was
 * given callback credentials, then the {@code X-Signature} over the raw body bytes
 * ({@link CallbackSignature}), then the body. An accepted callback only says which transaction
 * changed; read its result with {@link PortalClient#result}. Thread-safe.
 *
 * <pre>{@code
 * CallbackVerifier callbacks = CallbackVerifier.builder(callbackSigningSecret).build();
 * CallbackVerification checked = callbacks.verify(authorizationHeader, signatureHeader, rawBody);
 * if (checked.isAccepted()) {
 *     readResultLater(checked.notification().transactionId());
 * }
 * respond(checked.httpStatus());
 * }</pre>
 */
public final class CallbackVerifier {

    private final String signingSecret;
    private final byte[] expectedAuthorization;
    private final Clock clock;
    private final Duration tolerance;

    private CallbackVerifier(Builder builder) {
        this.signingSecret = builder.signingSecret;
        this.expectedAuthorization = builder.username == null ? null
                : new BasicCredentials(builder.username, builder.password).header().getBytes(StandardCharsets.UTF_8);
        this.clock = builder.clock;
        this.tolerance = builder.tolerance;
    }

    /** A verifier for callbacks signed with the client's callback signing secret. */
    public static Builder builder(String signingSecret) {
        return new Builder(signingSecret);
    }

    /** Configures a {@link CallbackVerifier}. */
    public static final class Builder {
        private final String signingSecret;
        private String username;
        private String password;
        private Clock clock = Clock.systemUTC();
        private Duration tolerance = CallbackSignature.DEFAULT_TOLERANCE;

        private Builder(String signingSecret) {
            Objects.requireNonNull(signingSecret, "signingSecret == null");
            if (signingSecret.isEmpty()) {
                throw new IllegalArgumentException("signingSecret is empty");
            }
            this.signingSecret = signingSecret;
        }

        /**
         * The Basic credentials the token server sends with callbacks, when the client was
         * created with callback credentials: a callback without them is then refused.
         */
        public Builder credentials(String username, String password) {
            this.username = Objects.requireNonNull(username, "username == null");
            this.password = Objects.requireNonNull(password, "password == null");
            return this;
        }

        /** The clock a signature's time is compared with; the system clock unless set. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock == null");
            return this;
        }

        /** How far a signature's time may lie from now, either way; 5 minutes unless set. */
        public Builder tolerance(Duration tolerance) {
            Objects.requireNonNull(tolerance, "tolerance == null");
            if (tolerance.isNegative()) {
                throw new IllegalArgumentException("tolerance is negative: " + tolerance);
            }
            this.tolerance = tolerance;
            return this;
        }

        public CallbackVerifier build() {
            return new CallbackVerifier(this);
        }
    }

    /**
     * Checks one received callback.
     *
     * @param authorization the {@code Authorization} header, or null when absent
     * @param signature     the {@code X-Signature} header ({@link CallbackSignature#HEADER}), or null
     * @param rawBody       the body exactly as received, before any parsing
     */
    public CallbackVerification verify(String authorization, String signature, byte[] rawBody) {
        Objects.requireNonNull(rawBody, "rawBody == null");
        if (expectedAuthorization != null && !MessageDigest.isEqual(expectedAuthorization,
                authorization == null ? new byte[0] : authorization.getBytes(StandardCharsets.UTF_8))) {
            return refused(CallbackVerification.Verdict.WRONG_CREDENTIALS);
        }
        switch (CallbackSignature.verify(signingSecret, signature, rawBody, clock.instant(), tolerance)) {
            case VALID:
                break;
            case MISSING:
                return refused(CallbackVerification.Verdict.SIGNATURE_MISSING);
            case MALFORMED:
                return refused(CallbackVerification.Verdict.SIGNATURE_MALFORMED);
            case STALE_TIMESTAMP:
                return refused(CallbackVerification.Verdict.SIGNATURE_STALE);
            default:
                return refused(CallbackVerification.Verdict.SIGNATURE_MISMATCH);
        }
        CallbackNotification notification;
        try {
            notification = ProtocolJson.read(rawBody, CallbackNotification.class);
        } catch (ProtocolFormatException e) {
            notification = null;
        }
        if (notification == null || notification.transactionId() == null) {
            return refused(CallbackVerification.Verdict.UNREADABLE_BODY);
        }
        return new CallbackVerification(CallbackVerification.Verdict.ACCEPTED, notification);
    }

    private static CallbackVerification refused(CallbackVerification.Verdict verdict) {
        return new CallbackVerification(verdict, null);
    }
}
