package io.steward.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steward.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OverdueTimersTest {
    private final OverdueTimers timers = new OverdueTimers(Duration.ofSeconds(3), Duration.ofSeconds(5));
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
    void badSettingsNameTheField() {
        assertThatThrownBy(() -> new OverdueTimers(Duration.ofSeconds(-1), Duration.ofSeconds(5)))
                .hasMessageContaining("tolerance");
        assertThatThrownBy(() -> new OverdueTimers(Duration.ofSeconds(1), Duration.ZERO))
                .hasMessageContaining("recheck");
    }
}
