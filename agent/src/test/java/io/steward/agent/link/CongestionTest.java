package io.steward.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CongestionTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long FAST = 50_000_000L; // a 50 ms ack
    private final Congestion congestion = new Congestion(128, Duration.ofSeconds(5));

    @Test
    void aNewConnectionStartsSmallAndDoublesPerRoundOfAcksUpToTheWindow() {
        assertThat(congestion.window()).isEqualTo(Congestion.INITIAL);
        acks(4, 0);
        assertThat(congestion.window()).isEqualTo(8);
        acks(8, 0);
        assertThat(congestion.window()).isEqualTo(16);
        acks(1_000, 0);
        assertThat(congestion.window()).as("never past the configured window").isEqualTo(128);
    }

    @Test
    void aRefusalHalvesTheWindowButWhatWasInFlightAtTheCutDoesNotCutAgain() {
        acks(1_000, 0);
        congestion.refused(9 * SECOND, 10 * SECOND);
        assertThat(congestion.window()).isEqualTo(64);
        congestion.refused(9 * SECOND + 1, 11 * SECOND); // written before the cut: the same overload
        congestion.acknowledged(9 * SECOND, 16 * SECOND); // slow, but also written before the cut
        assertThat(congestion.window()).isEqualTo(64);
        congestion.refused(10 * SECOND + 1, 12 * SECOND); // written after the cut: the node is still behind
        assertThat(congestion.window()).isEqualTo(32);
        acks(33, 13 * SECOND);
        assertThat(congestion.window()).as("below the cut: one more per window's worth of acks").isEqualTo(33);
    }

    @Test
    void aSlowAckIsTakenAsOverloadEvenWithoutARefusal() {
        acks(1_000, 0);
        congestion.acknowledged(14 * SECOND, 20 * SECOND);
        assertThat(congestion.window()).isEqualTo(64);
    }

    @Test
    void neverBelowOneAndANewConnectionStartsAgain() {
        for (int i = 1; i <= 20; i++) {
            congestion.refused(i * 2 * SECOND, i * 2 * SECOND + 1);
        }
        assertThat(congestion.window()).isEqualTo(1);
        congestion.restart();
        assertThat(congestion.window()).isEqualTo(Congestion.INITIAL);
    }

    @Test
    void aSmallConfiguredWindowIsNeverExceeded() {
        assertThat(new Congestion(2, Duration.ofSeconds(5)).window()).isEqualTo(2);
    }

    /** {@code count} fast acks of reports written at {@code sentNanos}. */
    private void acks(int count, long sentNanos) {
        for (int i = 0; i < count; i++) {
            congestion.acknowledged(sentNanos, sentNanos + FAST);
        }
    }
}
