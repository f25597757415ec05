package dev.qrauth.tokenserver.callback;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CallbackCapacityTest {

    @Test
    void aClaimInProgressLeavesSlotsForCallbacksWrittenOnTheAnswerPath() {
        CallbackCapacity capacity = new CallbackCapacity(8, 8);

        int claiming = capacity.takeForClaim(500);

        assertThat(claiming).isEqualTo(6);
        assertThat(capacity.tryTake("portal")).isTrue();
        assertThat(capacity.tryTake("portal")).isTrue();
        assertThat(capacity.tryTake("portal")).as("the node is full now").isFalse();
    }

    @Test
    void aClaimTakesNothingWhileOnlyTheAnswerPathsShareIsFree() {
        CallbackCapacity capacity = new CallbackCapacity(8, 8);
        for (int i = 0; i < 6; i++) {
            assertThat(capacity.tryTake("portal-" + i)).isTrue();
        }

        assertThat(capacity.takeForClaim(500)).isZero();
        assertThat(capacity.tryTake("portal-6")).isTrue();
    }

    @Test
    void slotsGivenBackByAClaimAreFreeAgain() {
        CallbackCapacity capacity = new CallbackCapacity(4, 4);

        int claiming = capacity.takeForClaim(500);
        capacity.giveUnused(claiming);

        assertThat(capacity.takeUpTo(500)).isEqualTo(4);
    }

    @Test
    void aSmallNodeKeepsNoShareBackAndStillClaims() {
        CallbackCapacity capacity = new CallbackCapacity(2, 2);

        assertThat(capacity.takeForClaim(500)).isEqualTo(2);
    }

    @Test
    void aClientAtItsLimitGetsNoSlotWhileOthersDo() {
        CallbackCapacity capacity = new CallbackCapacity(8, 2);

        assertThat(capacity.tryTake("stalled")).isTrue();
        assertThat(capacity.tryTake("stalled")).isTrue();

        assertThat(capacity.tryTake("stalled")).isFalse();
        assertThat(capacity.tryTake("other")).isTrue();
        capacity.give("stalled");
        assertThat(capacity.tryTake("stalled")).isTrue();
    }
}
