package io.steward.node.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steward.node.database.CompactionPacing.LastRound;
import org.junit.jupiter.api.Test;

class CompactionPacingTest {
    private static final long MIB = 1024 * 1024;
    private final CompactionPacing pacing = new CompactionPacing(16 * MIB);

    @Test
    void theFirstRoundIsAlwaysDue() {
        assertThat(pacing.due(1, LastRound.NONE)).isTrue();
    }

    @Test
    void aRoundWaitsUntilTheFileGrewByTheThresholdSinceTheLastRoundLeftIt() {
        LastRound last = new LastRound(12 * MIB, 10 * MIB); // freed 2 MiB: nothing much was left to give back

        assertThat(pacing.due(10 * MIB, last)).isFalse();
        assertThat(pacing.due(26 * MIB - 1, last)).isFalse();
        assertThat(pacing.due(26 * MIB, last)).isTrue();
    }

    @Test
    void aRoundThatFreedTheThresholdIsFollowedByAnother() {
        // A backlog (a file grown before an upgrade): worked off round after round, not only after new growth.
        LastRound last = new LastRound(900 * MIB, 884 * MIB);

        assertThat(pacing.due(884 * MIB, last)).isTrue();
        assertThat(pacing.due(884 * MIB, new LastRound(900 * MIB, 884 * MIB + 1))).isFalse();
    }

    @Test
    void noThresholdMeansARoundEveryTime() {
        CompactionPacing always = new CompactionPacing(0);

        assertThat(always.due(10 * MIB, new LastRound(10 * MIB, 10 * MIB))).isTrue();
        assertThat(always.due(9 * MIB, new LastRound(10 * MIB, 10 * MIB))).isTrue();
    }

    @Test
    void refusesANegativeThreshold() {
        assertThatThrownBy(() -> new CompactionPacing(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(">= 0");
    }
}
