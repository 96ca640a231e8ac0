package io.steward.node.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steward.node.database.CompactionPacing.LastRound;
import org.junit.jupiter.api.Test;

class CompactionPacingTest {
    private static final long MIB = 1024 * 1024;
    private static final long ENDED = 1_000_000_000L;
    private static final long SOON = ENDED + CompactionPacing.BACKLOG_SPACING.toNanos() - 1;
    private static final long LATER = ENDED + CompactionPacing.BACKLOG_SPACING.toNanos();
    private final CompactionPacing pacing = new CompactionPacing(16 * MIB);

    @Test
    void theFirstRoundIsAlwaysDue() {
        assertThat(pacing.due(1, 0, 0, LastRound.NONE)).isTrue();
    }

    @Test
    void aRoundWaitsUntilTheFileGrewByTheThresholdSinceTheLastRoundLeftIt() {
        LastRound last = new LastRound(12 * MIB, 10 * MIB, ENDED); // freed 2 MiB: nothing much was left to give back

        assertThat(pacing.due(10 * MIB, 0, LATER, last)).isFalse();
        assertThat(pacing.due(26 * MIB - 1, 0, LATER, last)).isFalse();
        assertThat(pacing.due(26 * MIB, 0, SOON, last)).isTrue();
    }

    @Test
    void aRoundThatFreedTheThresholdIsFollowedByAnother() {
        // A file of dead rows: worked off round after round, not only after new growth.
        assertThat(pacing.due(884 * MIB, 0, SOON, new LastRound(900 * MIB, 884 * MIB, ENDED))).isTrue();
        assertThat(pacing.due(884 * MIB, 0, SOON, new LastRound(900 * MIB, 884 * MIB + 1, ENDED))).isFalse();
    }

    @Test
    void freeSpaceInAFileThatNoLongerGrowsGetsARoundOncePerSpacing() {
        // A file left large, live chunks at its end: new chunks fill its free space, so it never grows, and a round
        // that moves chunks down may free nothing visible yet.
        LastRound nothingFreed = new LastRound(590 * MIB, 590 * MIB, ENDED);

        assertThat(pacing.due(590 * MIB, 400 * MIB, SOON, nothingFreed)).isFalse();
        assertThat(pacing.due(590 * MIB, 400 * MIB, LATER, nothingFreed)).isTrue();
        assertThat(pacing.due(590 * MIB, 16 * MIB - 1, LATER, nothingFreed)).as("too little free space").isFalse();
    }

    @Test
    void noThresholdMeansARoundEveryTime() {
        CompactionPacing always = new CompactionPacing(0);

        assertThat(always.due(10 * MIB, 0, SOON, new LastRound(10 * MIB, 10 * MIB, ENDED))).isTrue();
        assertThat(always.due(9 * MIB, 0, SOON, new LastRound(10 * MIB, 10 * MIB, ENDED))).isTrue();
    }

    @Test
    void refusesANegativeThreshold() {
        assertThatThrownBy(() -> new CompactionPacing(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(">= 0");
    }
}
