package io.steward.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AttemptLimiterTest {


    @Test
    void blocksAfterTheAllowanceUntilTheOldestFailureLeavesTheWindow() {
        ManualClock clock = new ManualClock();
        AttemptLimiter limiter = new AttemptLimiter(3, Duration.ofMinutes(15), clock);
        limiter.recordFailure("alice");
        clock.advance(Duration.ofMinutes(1));
        limiter.recordFailure("alice");
        assertThat(limiter.blockedFor("alice")).isEmpty();
        limiter.recordFailure("alice");
        assertThat(limiter.blockedFor("alice")).contains(Duration.ofMinutes(14));
        assertThat(limiter.blockedFor("bob")).isEmpty();

        clock.advance(Duration.ofMinutes(14));
        assertThat(limiter.blockedFor("alice")).isEmpty();
    }

    @Test
    void successResetsTheKey() {
        AttemptLimiter limiter = new AttemptLimiter(2, Duration.ofMinutes(15), new ManualClock());
        limiter.recordFailure("alice");
        limiter.recordFailure("alice");
        assertThat(limiter.blockedFor("alice")).isPresent();
        limiter.reset("alice");
        assertThat(limiter.blockedFor("alice")).isEmpty();
    }
}
