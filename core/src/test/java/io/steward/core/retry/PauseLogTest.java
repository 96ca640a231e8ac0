package io.steward.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PauseLogTest {
    private static final long MS = 1_000_000L;
    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

    private final PauseLog log = new PauseLog(Duration.ofMillis(250), Duration.ofSeconds(1));

    @Test
    void ticksOnTimeOrSlightlyLateAreNoPause() {
        assertThat(log.tick(0, T0)).isEmpty();
        assertThat(log.tick(250 * MS, T0.plusMillis(250))).isEmpty();
        assertThat(log.tick(1_400 * MS, T0.plusMillis(1_400))).as("900 ms late: jitter").isEmpty();
        assertThat(log.longestSince(T0.minusSeconds(1), 1_650 * MS)).isZero();
    }

    @Test
    void aLateTickIsAPauseOfItsLateness() {
        log.tick(0, T0);
        assertThat(log.tick(17_850 * MS, T0.plusMillis(17_850)))
                .contains(new PauseLog.Pause(T0.plusMillis(17_850), Duration.ofMillis(17_600)));
        assertThat(log.longestSince(T0, 17_900 * MS)).isEqualTo(Duration.ofMillis(17_600));
    }

    @Test
    void onlyPausesNoticedAfterTheStartCount() {
        log.tick(0, T0);
        log.tick(10_250 * MS, T0.plusMillis(10_250)); // a 10 s pause
        Instant armed = T0.plusSeconds(11);
        log.tick(11_000 * MS, armed);
        assertThat(log.longestSince(armed, 11_100 * MS)).as("the pause came before the timer was armed").isZero();
        log.tick(14_250 * MS, T0.plusMillis(14_250)); // a 3 s pause after it
        assertThat(log.longestSince(armed, 14_300 * MS)).isEqualTo(Duration.ofSeconds(3));
        assertThat(log.longestSince(T0, 14_300 * MS)).as("the longest of both").isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void ticksOverdueNowCountBeforeTheTickingThreadHasRunAgain() {
        log.tick(0, T0);
        // A freeze just ended; a timer fires before the ticking thread's next tick.
        assertThat(log.longestSince(T0, 8_250 * MS)).isEqualTo(Duration.ofSeconds(8));
        assertThat(log.longestSince(T0, 900 * MS)).as("less overdue than the minimum").isZero();
    }

    @Test
    void keepsABoundedNumberOfPauses() {
        long now = 0;
        log.tick(now, T0);
        for (int i = 0; i < PauseLog.KEPT + 4; i++) {
            now += (250 + 2_000 + i) * MS; // pauses of 2 s (+ i ms), the last ones the longest
            log.tick(now, T0.plusNanos(now));
        }
        assertThat(log.longestSince(T0, now)).isEqualTo(Duration.ofMillis(2_000 + PauseLog.KEPT + 3));
        assertThat(log.longestSince(T0.plusNanos(now), now)).as("none after the last").isZero();
    }

    @Test
    void rejectsNonPositiveSettings() {
        assertThatThrownBy(() -> new PauseLog(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("period");
        assertThatThrownBy(() -> new PauseLog(Duration.ofMillis(250), Duration.ZERO))
                .hasMessageContaining("minimum");
    }
}
