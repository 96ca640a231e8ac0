package io.steward.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steward.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OverdueTimersTest {
    private final OverdueTimers timers = new OverdueTimers(Duration.ofSeconds(3), Duration.ofSeconds(5),
            Duration.ofSeconds(60));
    private final ManualClock clock = new ManualClock();

    @Test
    void aTimerFiringOnTimeOrSlightlyLateActs() {
        Instant due = clock.instant();
        assertThat(timers.decide(due, clock.instant())).isInstanceOf(OverdueTimers.Act.class);
        clock.advance(Duration.ofSeconds(3));
        assertThat(timers.decide(due, clock.instant())).isInstanceOf(OverdueTimers.Act.class);
    }

    @Test
    void aTimerFiringEarlyActs() {
        assertThat(timers.decide(clock.instant().plusSeconds(1), clock.instant()))
                .isInstanceOf(OverdueTimers.Act.class);
    }

    @Test
    void aTimerFiringAfterAFreezeWaitsAndThenActsWhenOnTime() {
        Instant due = clock.instant();
        clock.advance(Duration.ofSeconds(40)); // the node was stopped for 40 s
        OverdueTimers.Decision first = timers.decide(due, clock.instant());
        assertThat(first).isEqualTo(new OverdueTimers.Recheck(Duration.ofSeconds(5), clock.instant().plusSeconds(5)));

        clock.advance(Duration.ofMillis(5_020)); // the recheck fires on time: the node was not stopped meanwhile
        assertThat(timers.decide(((OverdueTimers.Recheck) first).dueAt(), clock.instant()))
                .isInstanceOf(OverdueTimers.Act.class);
    }

    @Test
    void anotherFreezeDuringTheRecheckWaitsAgain() {
        Instant due = clock.instant();
        clock.advance(Duration.ofSeconds(40));
        OverdueTimers.Recheck first = (OverdueTimers.Recheck) timers.decide(due, clock.instant());
        clock.advance(Duration.ofSeconds(30));
        assertThat(timers.decide(first.dueAt(), clock.instant())).isInstanceOf(OverdueTimers.Recheck.class);
    }

    @Test
    void afterAFreezeAnOnTimeRecheckStillWaitsWhileThisNodeSeesAMemberUnreachable() {
        Instant due = clock.instant();
        clock.advance(Duration.ofSeconds(25)); // frozen, downed meanwhile, not yet told
        Instant overdueSince = clock.instant();
        OverdueTimers.Recheck first = (OverdueTimers.Recheck) timers.decide(due, clock.instant(), null, false);

        clock.advance(Duration.ofSeconds(5)); // on time, but the survivors still look unreachable from here
        OverdueTimers.Decision second = timers.decide(first.dueAt(), clock.instant(), overdueSince, false);
        assertThat(second).as("a node that may have been downed does not decide").isInstanceOf(OverdueTimers.Recheck.class);

        clock.advance(Duration.ofSeconds(5)); // the cluster healed: decide
        assertThat(timers.decide(((OverdueTimers.Recheck) second).dueAt(), clock.instant(), overdueSince, true))
                .isInstanceOf(OverdueTimers.Act.class);
    }

    @Test
    void anUnsettledViewDelaysAnOverdueTimerOnlyUpToTheSettleLimit() {
        Instant overdueSince = clock.instant();
        clock.advance(Duration.ofSeconds(59));
        assertThat(timers.decide(clock.instant(), clock.instant(), overdueSince, false))
                .isInstanceOf(OverdueTimers.Recheck.class);
        clock.advance(Duration.ofSeconds(1));
        assertThat(timers.decide(clock.instant(), clock.instant(), overdueSince, false))
                .as("a cluster that stays split is the resolver's to settle; the silence is judged")
                .isInstanceOf(OverdueTimers.Act.class);
    }

    @Test
    void aTimerBarelyLateAfterAFreezeLongerThanTheToleranceWaitsToo() {
        // Frozen right after the timer was armed, resumed 2.6 s after it was due: its lateness is within the
        // tolerance, but the silence it would judge went unwatched for 17.6 s (ClusterFreezeIT, 2026-12-05).
        Instant due = clock.instant();
        clock.advance(Duration.ofMillis(2_600));
        assertThat(timers.decide(due, clock.instant(), null, false, Duration.ofMillis(17_600)))
                .isEqualTo(new OverdueTimers.Recheck(Duration.ofSeconds(5), clock.instant().plusSeconds(5)));
        assertThat(timers.decide(due, clock.instant(), null, true, Duration.ofSeconds(3)))
                .as("a pause within the tolerance is jitter").isInstanceOf(OverdueTimers.Act.class);
    }

    @Test
    void pausesDelayADecisionOnlyUpToTheSettleLimit() {
        Instant overdueSince = clock.instant();
        clock.advance(Duration.ofSeconds(59));
        assertThat(timers.decide(clock.instant(), clock.instant(), overdueSince, true, Duration.ofSeconds(4)))
                .isInstanceOf(OverdueTimers.Recheck.class);
        clock.advance(Duration.ofSeconds(1));
        assertThat(timers.decide(clock.instant(), clock.instant(), overdueSince, true, Duration.ofSeconds(4)))
                .as("a process that keeps pausing, or a pause watch stuck, must not keep a silence from being judged")
                .isInstanceOf(OverdueTimers.Act.class);
    }

    @Test
    void lateRechecksDelayADecisionOnlyUpToTheSettleLimit() {
        // A dispatcher starved for a minute: every recheck fires 4 s late, with no freeze and a settled cluster.
        Instant overdueSince = clock.instant();
        clock.advance(Duration.ofSeconds(59));
        assertThat(timers.decide(clock.instant().minusSeconds(4), clock.instant(), overdueSince, true))
                .isInstanceOf(OverdueTimers.Recheck.class);
        clock.advance(Duration.ofSeconds(1));
        assertThat(timers.decide(clock.instant().minusSeconds(4), clock.instant(), overdueSince, true))
                .as("an overloaded node still judges a silence, a minute late at most")
                .isInstanceOf(OverdueTimers.Act.class);
        assertThat(timers.decide(clock.instant().minusSeconds(4), clock.instant(), overdueSince, true,
                Duration.ofSeconds(20))).as("late after a new freeze: one more recheck")
                .isInstanceOf(OverdueTimers.Recheck.class);
        clock.advance(Duration.ofSeconds(60));
        assertThat(timers.decide(clock.instant().minusSeconds(4), clock.instant(), overdueSince, true,
                Duration.ofSeconds(20))).as("twice the limit: decided whatever holds it")
                .isInstanceOf(OverdueTimers.Act.class);
    }

    @Test
    void anUnsettledViewAloneDoesNotDelayATimerThatWasNeverOverdue() {
        assertThat(timers.decide(clock.instant(), clock.instant(), null, false)).isInstanceOf(OverdueTimers.Act.class);
    }

    @Test
    void badSettingsNameTheField() {
        assertThatThrownBy(() -> new OverdueTimers(Duration.ofSeconds(-1), Duration.ofSeconds(5), Duration.ZERO))
                .hasMessageContaining("tolerance");
        assertThatThrownBy(() -> new OverdueTimers(Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("recheck");
        assertThatThrownBy(() -> new OverdueTimers(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(-1)))
                .hasMessageContaining("settle-limit");
    }
}
