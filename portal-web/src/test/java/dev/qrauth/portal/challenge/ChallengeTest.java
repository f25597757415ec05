package dev.qrauth.portal.challenge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrauth.protocol.message.TransactionStatus;
import dev.qrauth.protocol.portal.TransactionResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ChallengeTest {

    private static final Instant NOW = Instant.parse("2026-11-28T14:00:00Z");
    private static final BrowserContext BROWSER = new BrowserContext("127.0.0.1", "test");

    private final UUID first = UUID.randomUUID();

    private static Challenge.Issued issued(UUID id) {
        return new Challenge.Issued(id, "otp-" + id, NOW.plusSeconds(120), null, new byte[] {1});
    }

    private static TransactionResult result(UUID id, TransactionStatus status, String userId) {
        boolean answered = status == TransactionStatus.CONFIRMED || status == TransactionStatus.REJECTED;
        return new TransactionResult(id, "http://127.0.0.1/cb", NOW, answered ? userId : null,
                status == TransactionStatus.CONFIRMED, "OTP",
                status == TransactionStatus.CONFIRMED ? null : new TransactionResult.Reason("not_accepted", "x"), status, NOW.plusSeconds(120));
    }

    private Challenge login() {
        return new Challenge(Purpose.LOGIN, "Log in", null, BROWSER, issued(first), "binding-secret", NOW);
    }

    @Nested
    class StateOnlyMovesForward {

        @Test
        void aLateScannedDoesNotUndoAConfirmation() {
            Challenge challenge = login();
            challenge.apply(first, result(first, TransactionStatus.CONFIRMED, "alice"), NOW);
            challenge.apply(first, result(first, TransactionStatus.SCANNED, null), NOW);

            assertThat(challenge.state()).isEqualTo(ChallengeState.CONFIRMED);
            assertThat(challenge.confirmedUser()).contains("alice");
        }

        @Test
        void aDenialAfterAConfirmationChangesNothing() {
            Challenge challenge = login();
            challenge.apply(first, result(first, TransactionStatus.CONFIRMED, "alice"), NOW);
            challenge.apply(first, result(first, TransactionStatus.REJECTED, "alice"), NOW);

            assertThat(challenge.state()).isEqualTo(ChallengeState.CONFIRMED);
        }

        @Test
        void aResultOfAnotherTransactionIsIgnored() {
            Challenge challenge = login();
            UUID other = UUID.randomUUID();
            challenge.apply(other, result(other, TransactionStatus.CONFIRMED, "mallory"), NOW);

            assertThat(challenge.state()).isEqualTo(ChallengeState.WAITING);
            assertThat(challenge.confirmedUser()).isEmpty();
        }

        @Test
        void aConfirmationWithoutAUserDoesNotLogAnyoneIn() {
            Challenge challenge = login();
            challenge.apply(first, result(first, TransactionStatus.CONFIRMED, null), NOW);

            assertThat(challenge.state()).isEqualTo(ChallengeState.WAITING);
        }

        @Test
        void anUnknownStateFromANewerServerIsWaitedOut() {
            Challenge challenge = login();
            challenge.apply(first, result(first, TransactionStatus.UNRECOGNIZED, null), NOW);

            assertThat(challenge.state()).isEqualTo(ChallengeState.WAITING);
        }
    }

    @Nested
    class Expiry {

        @Test
        void aPendingCodePastItsTimeIsRenewedOnceEvenIfReadTwice() {
            Challenge challenge = login();
            Instant late = NOW.plusSeconds(121);
            challenge.seen(late);

            assertThat(challenge.apply(first, result(first, TransactionStatus.PENDING, null), late)).isEqualTo(Challenge.Next.RENEW);
            assertThat(challenge.apply(first, result(first, TransactionStatus.PENDING, null), late)).isEqualTo(Challenge.Next.NOTHING);
        }

        @Test
        void afterFiveRenewalsTheChallengeGivesUp() {
            Challenge challenge = login();
            UUID current = first;
            for (int i = 0; i < Challenge.MAX_RENEWALS; i++) {
                assertThat(challenge.apply(current, result(current, TransactionStatus.EXPIRED, null), NOW)).isEqualTo(Challenge.Next.RENEW);
                current = UUID.randomUUID();
                challenge.renewed(issued(current), NOW);
            }

            assertThat(challenge.apply(current, result(current, TransactionStatus.EXPIRED, null), NOW)).isEqualTo(Challenge.Next.NOTHING);
            assertThat(challenge.state()).isEqualTo(ChallengeState.GAVE_UP);
            assertThat(challenge.qrPng()).isEmpty();
        }

        @Test
        void aCodeNobodyLooksAtIsNotRenewed() {
            Challenge challenge = login();
            Instant muchLater = NOW.plus(Challenge.RENEW_IF_SEEN_WITHIN).plusSeconds(150);

            assertThat(challenge.apply(first, result(first, TransactionStatus.EXPIRED, null), muchLater))
                    .isEqualTo(Challenge.Next.NOTHING);
            assertThat(challenge.state()).isEqualTo(ChallengeState.GAVE_UP);
        }

        @Test
        void aCodeStillLookedAtIsRenewed() {
            Challenge challenge = login();
            Instant muchLater = NOW.plus(Challenge.RENEW_IF_SEEN_WITHIN).plusSeconds(150);
            challenge.seen(muchLater.minusSeconds(1));

            assertThat(challenge.apply(first, result(first, TransactionStatus.EXPIRED, null), muchLater))
                    .isEqualTo(Challenge.Next.RENEW);
        }

        @Test
        void anUnreadableCodeLapsesOnlyWellPastItsExpiry() {
            Challenge challenge = login();
            Instant justExpired = NOW.plusSeconds(121);
            challenge.seen(justExpired);

            assertThat(challenge.lapse(first, justExpired, false)).isEqualTo(Challenge.Next.NOTHING);
            assertThat(challenge.lapse(first, justExpired.plus(Challenge.LAPSE_AFTER), false)).isEqualTo(Challenge.Next.RENEW);
        }

        @Test
        void aCodeTheServerDoesNotKnowLapsesAtOnce() {
            Challenge challenge = login();

            assertThat(challenge.lapse(first, NOW, true)).isEqualTo(Challenge.Next.RENEW);
        }

        @Test
        void aCodeIssuedAfterTheChallengeWasAbandonedIsRefused() {
            Challenge challenge = login();
            challenge.apply(first, result(first, TransactionStatus.EXPIRED, null), NOW);

            assertThat(challenge.abandon(NOW)).isTrue();
            assertThat(challenge.renewed(issued(UUID.randomUUID()), NOW)).isFalse();
            assertThat(challenge.state()).isEqualTo(ChallengeState.CANCELLED);
        }

        @Test
        void theExpiredTransactionNoLongerCountsAfterRenewal() {
            Challenge challenge = login();
            challenge.apply(first, result(first, TransactionStatus.EXPIRED, null), NOW);
            UUID second = UUID.randomUUID();
            challenge.renewed(issued(second), NOW);

            challenge.apply(first, result(first, TransactionStatus.CONFIRMED, "alice"), NOW);

            assertThat(challenge.state()).isEqualTo(ChallengeState.WAITING);
            assertThat(challenge.view(NOW).otp()).isEqualTo("otp-" + second);
        }
    }

    @Nested
    class Approval {

        @Test
        void onlyTheRequiredUserCanApprove() {
            Challenge approval = new Challenge(Purpose.APPROVAL, "Pay", "alice", BROWSER, issued(first), "binding-secret", NOW);
            approval.apply(first, result(first, TransactionStatus.CONFIRMED, "bob"), NOW);

            assertThat(approval.state()).isEqualTo(ChallengeState.WRONG_USER);
            assertThat(approval.confirmedUser()).isEmpty();
        }
    }

    @Nested
    class FourEyes {

        private TransactionResult progress(TransactionStatus status, String userId, List<String> approvers) {
            return result(first, status, userId).withApprovals(2, approvers);
        }

        @Test
        void eachNewApprovalIsShownToTheWatchersAndALateReadOfAnEarlierCountChangesNothing() {
            Challenge payment = new Challenge(Purpose.FOUR_EYES, "Pay", null, BROWSER, issued(first), "binding-secret", NOW);
            List<String> statuses = new ArrayList<>();
            payment.watch(view -> statuses.add(view.status()), NOW);

            payment.apply(first, progress(TransactionStatus.SCANNED, null, List.of()), NOW);
            payment.apply(first, progress(TransactionStatus.SCANNED, null, List.of("bob")), NOW);
            payment.apply(first, progress(TransactionStatus.SCANNED, null, List.of()), NOW);

            assertThat(payment.approvedBy()).containsExactly("bob");
            assertThat(statuses).last().isEqualTo(
                    "Each approver scans the code with the app on their phone. Approved so far: bob (1 of 2).");
            assertThat(payment.view(NOW).otp()).isEqualTo("otp-" + first);
        }

        @Test
        void anyUserOfTheGroupCountsAndTheOutcomeNamesTheApprovers() {
            Challenge payment = new Challenge(Purpose.FOUR_EYES, "Pay", null, BROWSER, issued(first), "binding-secret", NOW);

            payment.apply(first, progress(TransactionStatus.CONFIRMED, "bob", List.of("bob", "carol")), NOW);

            assertThat(payment.state()).isEqualTo(ChallengeState.CONFIRMED);
            assertThat(payment.view(NOW).status()).isEqualTo("Approved by bob, carol.");
        }
    }

    @Test
    void abandoningEndsTheChallengeForItsWatchers() {
        Challenge challenge = login();
        List<String> seen = new ArrayList<>();
        challenge.watch(view -> seen.add(view.state()), NOW);

        assertThat(challenge.abandon(NOW)).isTrue();
        assertThat(challenge.abandon(NOW)).isFalse();

        assertThat(seen).containsExactly("waiting", "cancelled");
        assertThat(challenge.qrPng()).isEmpty();
    }

    @Test
    void onlyTheBrowserWithTheBindingSecretIsRecognised() {
        Challenge challenge = login();

        assertThat(challenge.isBoundTo("binding-secret")).isTrue();
        assertThat(challenge.isBoundTo("binding-secreT")).isFalse();
        assertThat(challenge.isBoundTo(null)).isFalse();
    }

    @Test
    void aChallengeServesAFewStreamsNotAFlood() {
        Challenge challenge = login();
        for (int i = 0; i < Challenge.MAX_WATCHERS; i++) {
            assertThat(challenge.watch(view -> { }, NOW)).isTrue();
        }

        assertThat(challenge.acceptsWatchers()).isFalse();
        assertThat(challenge.watch(view -> { }, NOW)).isFalse();
    }

    @Test
    void watchersSeeTheCurrentViewAndEveryChange() {
        Challenge challenge = login();
        List<String> seen = new ArrayList<>();
        challenge.watch(view -> seen.add(view.state()), NOW);

        challenge.apply(first, result(first, TransactionStatus.SCANNED, null), NOW);
        challenge.apply(first, result(first, TransactionStatus.CONFIRMED, "alice"), NOW);

        assertThat(seen).containsExactly("waiting", "scanned", "confirmed");
    }
}
