package dev.qrauth.tokenserver.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClusterShareTest {

    @Test
    void aSingleNodeTakesTheWholeLimit() {
        ClusterShare share = ClusterShare.of(50, 100, 1);
        assertThat(share.ratePerSecond()).isEqualTo(50);
        assertThat(share.burst()).isEqualTo(100);
    }

    @Test
    void theNodesRatesAddUpToTheConfiguredRate() {
        for (int members = 1; members <= 12; members++) {
            ClusterShare share = ClusterShare.of(50, 100, members);
            assertThat(share.ratePerSecond() * members).as("%d nodes", members).isCloseTo(50, within(1e-9));
        }
        assertThat(ClusterShare.of(1, 1, 3).ratePerSecond()).as("a rate below one per node is kept, not rounded")
                .isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void theBurstIsRoundedUpSoTheNodesLoseNothingAndAddAtMostOneTokenPerExtraNode() {
        for (int members = 1; members <= 12; members++) {
            double clusterBurst = ClusterShare.of(100, 100, members).burst() * members;
            assertThat(clusterBurst).as("%d nodes", members).isBetween(100.0, 100.0 + members - 1);
        }
        assertThat(ClusterShare.of(50, 100, 3).burst()).isEqualTo(34);
        assertThat(ClusterShare.of(50, 100, 4).burst()).isEqualTo(25);
    }

    @Test
    void eachNodeCanHoldAtLeastOneToken() {
        assertThat(ClusterShare.of(2, 2, 5).burst()).isEqualTo(1);
        assertThat(ClusterShare.of(0.5, 1, 100).burst()).isEqualTo(1);
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> ClusterShare.of(50, 100, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClusterShare.of(0, 100, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClusterShare.of(50, 0.5, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClusterShare.of(Double.NaN, 100, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
