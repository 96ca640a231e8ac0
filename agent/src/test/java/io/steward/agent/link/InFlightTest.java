package io.steward.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class InFlightTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final long SECOND = 1_000_000_000L;

    @Test
    void anAnsweredReportLeavesAndTellsWhenItWasSent() {
        InFlight inFlight = new InFlight();
        inFlight.sent(3, 100);
        assertThat(inFlight.contains(3)).isTrue();
        assertThat(inFlight.answered(3)).hasValue(100);
        assertThat(inFlight.answered(3)).isEmpty();
        assertThat(inFlight.isEmpty()).isTrue();
    }

    @Test
    void nothingInFlightIsNeverOverdue() {
        assertThat(new InFlight().overdue(Long.MAX_VALUE, TIMEOUT)).isFalse();
    }

    @Test
    void theReportWrittenLongestAgoDecidesEvenIfItIsNotTheLowest() {
        InFlight inFlight = new InFlight();
        inFlight.sent(6, 0);
        inFlight.sent(5, 50 * SECOND); // written again after a pause, later than 6
        assertThat(inFlight.lowest()).isEqualTo(5);
        assertThat(inFlight.overdue(60 * SECOND, TIMEOUT)).isFalse();
        assertThat(inFlight.overdue(61 * SECOND, TIMEOUT)).isTrue();
        inFlight.answered(6);
        assertThat(inFlight.overdue(61 * SECOND, TIMEOUT)).isFalse();
        assertThat(inFlight.size()).isEqualTo(1);
    }
}
