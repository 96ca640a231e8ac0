package io.steward.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CongestionTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long FAST = 50_000_000L; // a 50 ms ack
    private final Congestion congestion = new Congestion(128, Duration.ofSeconds(5), Duration.ofSeconds(1));

    @Test
    void aNewConnectionStartsSmallAndDoublesPerRoundOfAcksUpToTheWindow() {
        assertThat(congestion.window()).isEqualTo(Congestion.INITIAL);
        acks(4);
        assertThat(congestion.window()).isEqualTo(8);
        acks(8);
        assertThat(congestion.window()).isEqualTo(16);
        acks(1_000);
        assertThat(congestion.window()).as("never past the configured window").isEqualTo(128);
    }

    @Test
    void aRefusalHalvesTheWindowOncePerHoldAndGrowthIsThenLinear() {
        acks(1_000);
        congestion.refused(10 * SECOND);
        assertThat(congestion.window()).isEqualTo(64);
        congestion.refused(10 * SECOND + 500_000_000L); // the rest of the same refused window
        assertThat(congestion.window()).isEqualTo(64);
        congestion.refused(12 * SECOND);
        assertThat(congestion.window()).isEqualTo(32);
        acks(33);
        assertThat(congestion.window()).as("past a decrease: one more per window's worth of acks").isEqualTo(33);
    }

    @Test
    void aSlowAckIsTakenAsOverloadEvenWithoutARefusal() {
        acks(1_000);
        congestion.acknowledged(6 * SECOND, 20 * SECOND);
        assertThat(congestion.window()).isEqualTo(64);
    }

    @Test
    void neverBelowOneAndANewConnectionStartsAgain() {
        for (int i = 0; i < 20; i++) {
            congestion.refused(i * 2 * SECOND);
        }
        assertThat(congestion.window()).isEqualTo(1);
        congestion.restart();
        assertThat(congestion.window()).isEqualTo(Congestion.INITIAL);
    }

    @Test
    void aSmallConfiguredWindowIsNeverExceeded() {
        Congestion small = new Congestion(2, Duration.ofSeconds(5), Duration.ofSeconds(1));
        assertThat(small.window()).isEqualTo(2);
    }

    private void acks(int count) {
        for (int i = 0; i < count; i++) {
            congestion.acknowledged(FAST, 0);
        }
    }
}
