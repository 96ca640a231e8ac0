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

    /** A tick at {@code ms} after T0, by both clocks. */
    private void tickAt(long ms) {
        log.tick(ms * MS, T0.plusMillis(ms));
    }

    @Test
    void ticksOnTimeOrSlightlyLateAreNoPause() {
        assertThat(log.tick(0, T0)).isEmpty();
        assertThat(log.tick(250 * MS, T0.plusMillis(250))).isEmpty();
        assertThat(log.tick(1_400 * MS, T0.plusMillis(1_400))).as("900 ms late: jitter").isEmpty();
        assertThat(log.longestSince(T0.minusSeconds(1), 1_650 * MS)).isZero();
    }

    @Test
    void aLateTickIsAPauseOfItsLateness() {
        tickAt(0);
        assertThat(log.tick(17_850 * MS, T0.plusMillis(17_850)))
                .contains(new PauseLog.Pause(T0.plusMillis(17_850), Duration.ofMillis(17_600)));
        assertThat(log.longestSince(T0, 17_900 * MS)).isEqualTo(Duration.ofMillis(17_600));
    }

    @Test
    void onlyPausesThatBeganAfterTheStartCount() {
        tickAt(0);
        tickAt(10_250); // a 10 s pause, from 250 ms to 10,250 ms
        assertThat(log.longestSince(T0.plusMillis(100), 10_300 * MS)).as("armed before it began").isEqualTo(
                Duration.ofSeconds(10));
        Instant armedAfterTheResume = T0.plusMillis(10_260); // more than the minimum after it began
        assertThat(log.longestSince(armedAfterTheResume, 10_300 * MS)).as("armed after it").isZero();
        tickAt(10_500);
        tickAt(13_750); // a 3 s pause after that
        assertThat(log.longestSince(armedAfterTheResume, 13_800 * MS)).isEqualTo(Duration.ofSeconds(3));
        assertThat(log.longestSince(T0, 13_800 * MS)).as("the longest of both").isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aPauseThatBeganWithinTheMinimumBeforeTheStartCounts() {
        tickAt(0);
        // The ticks say it began at 250 ms; a tick late by up to the minimum goes unnoticed, so it may have begun at
        // up to 1,250 ms: what was armed before that may have run across it.
        tickAt(5_250);
        assertThat(log.longestSince(T0.plusMillis(1_200), 5_300 * MS)).isEqualTo(Duration.ofSeconds(5));
        assertThat(log.longestSince(T0.plusMillis(1_300), 5_300 * MS)).isZero();
    }

    @Test
    void ticksOverdueNowCountBeforeTheTickingThreadHasRunAgain() {
        tickAt(0);
        // A freeze just ended; a timer fires before the ticking thread's next tick.
        assertThat(log.longestSince(T0, 8_250 * MS)).isEqualTo(Duration.ofSeconds(8));
        assertThat(log.longestSince(T0, 900 * MS)).as("less overdue than the minimum").isZero();
        assertThat(log.longestNoticedSince(T0)).as("not when nothing ticks any more").isZero();
    }

    @Test
    void aLongPauseIsKeptThroughTheManyShorterOnesAfterIt() {
        tickAt(0);
        tickAt(20_250); // the freeze
        long now = 20_250;
        for (int i = 0; i < 100; i++) { // hiccups after it, each 1-3 s
            now += 250 + 1_000 + (i % 3) * 1_000;
            tickAt(now);
        }
        assertThat(log.longestSince(T0, now * MS)).isEqualTo(Duration.ofSeconds(20));
        assertThat(log.longestSince(T0.plusMillis(20_300), now * MS)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void pausesOlderThanTheHorizonAreForgotten() {
        tickAt(0);
        tickAt(30_250);
        long later = PauseLog.HORIZON.toMillis() + 31_000;
        for (long t = 30_500; t <= later; t += 250) {
            tickAt(t);
        }
        assertThat(log.longestSince(T0, later * MS)).isZero();
    }

    @Test
    void howLongASpanWentUnwatchedCountsThePartOfAPauseInsideIt() {
        tickAt(0);
        tickAt(20_250); // a 20 s pause, from 250 ms to 20,250 ms
        long now = 20_400; // before the next tick is due
        assertThat(log.stoodStillWithin(T0, T0.plusMillis(now), now * MS)).as("begun before it").isEqualTo(
                Duration.ofSeconds(20));
        assertThat(log.stoodStillWithin(T0.plusMillis(15_250), T0.plusMillis(now), now * MS))
                .as("begun during it: the rest of it").isEqualTo(Duration.ofSeconds(5));
        assertThat(log.stoodStillWithin(T0.plusMillis(20_250), T0.plusMillis(now), now * MS)).as("after it").isZero();
        assertThat(log.longestSince(T0.plusMillis(15_250), now * MS)).as("no pause began after that time").isZero();
    }

    @Test
    void aSpanEndingInAFreezeNotYetNoticedCountsOnlyItsOwnPart() {
        tickAt(0);
        long now = 60_250; // ticks overdue by 60 s: the process just woke, the ticking thread has not run again
        assertThat(log.stoodStillWithin(T0.plusSeconds(50), T0.plusMillis(now), now * MS)).isEqualTo(
                Duration.ofMillis(10_250));
        assertThat(log.stoodStillWithin(T0.minusSeconds(5), T0.plusMillis(now), now * MS)).isEqualTo(
                Duration.ofSeconds(60));
        assertThat(log.noticedStoodStillWithin(T0)).as("not when nothing ticks any more").isZero();
    }

    @Test
    void aLongerLaterPauseAnswersForAShorterEarlierOne() {
        tickAt(0);
        tickAt(5_250); // 5 s, from 250 ms
        tickAt(5_500);
        tickAt(15_500); // 9.75 s, from 5,750 ms: the first is dropped from the log
        assertThat(log.stoodStillWithin(T0, T0.plusMillis(16_000), 16_000 * MS)).isEqualTo(Duration.ofMillis(9_750));
        assertThat(log.stoodStillWithin(T0.plusMillis(4_000), T0.plusMillis(16_000), 16_000 * MS))
                .isEqualTo(Duration.ofMillis(9_750));
    }

    @Test
    void rejectsNonPositiveSettings() {
        assertThatThrownBy(() -> new PauseLog(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("period");
        assertThatThrownBy(() -> new PauseLog(Duration.ofMillis(250), Duration.ZERO))
                .hasMessageContaining("minimum");
    }
}
