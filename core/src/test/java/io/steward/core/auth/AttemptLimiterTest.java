package io.steward.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class AttemptLimiterTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-11-22T12:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

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
