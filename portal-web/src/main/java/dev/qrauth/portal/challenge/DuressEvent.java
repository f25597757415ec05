package dev.qrauth.portal.challenge;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A login or approval the phone answered under its user's duress PIN, as the portal read it
 * ({@code duress: true} in the result; {@code docs/PROTOCOL.md}, "Duress PIN"). For the operator
 * only: the browser that asked is never told.
 *
 * @param at             when the portal read the deciding result, on its own clock
 * @param purpose        a login or an approval
 * @param userId         the user whose phone answered; null only from a token server that named none
 * @param action         for an approval, the action approved or refused; null for a login
 * @param browserAddress the browser's address as the portal saw it; null when unknown
 * @param transactionId  the token server's transaction
 * @param outcome        what the browser got
 */
public record DuressEvent(Instant at, Purpose purpose, String userId, String action, String browserAddress,
                          UUID transactionId, Outcome outcome) {

    public DuressEvent {
        Objects.requireNonNull(at, "at == null");
        Objects.requireNonNull(purpose, "purpose == null");
        Objects.requireNonNull(transactionId, "transactionId == null");
        Objects.requireNonNull(outcome, "outcome == null");
    }

    /** What the person at the browser got, in the operator's words. */
    public enum Outcome {
        LOGGED_IN("logged in"),
        APPROVED("approved"),
        /** The token server refused it (policy {@code refuse}) or the phone denied it. */
        REFUSED("refused"),
        /** An approval answered by another user's phone; it did not count. */
        NOT_COUNTED("not counted: another user's phone");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The outcome of a challenge of {@code purpose} decided in {@code state}. */
        static Outcome of(Purpose purpose, ChallengeState state) {
            return switch (state) {
                case CONFIRMED -> purpose == Purpose.LOGIN ? LOGGED_IN : APPROVED;
                case WRONG_USER -> NOT_COUNTED;
                default -> REFUSED;
            };
        }
    }
}
