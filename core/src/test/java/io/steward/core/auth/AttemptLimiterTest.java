package io.steward.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
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

    @Test
    void acquiringCountsTheAttemptBeforeItsOutcomeIsKnown() {
        ManualClock clock = new ManualClock();
        AttemptLimiter limiter = new AttemptLimiter(3, Duration.ofMinutes(15), clock);
        assertThat(limiter.tryAcquire("alice@10.0.0.1")).isEmpty();
        assertThat(limiter.tryAcquire("alice@10.0.0.1")).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        assertThat(limiter.tryAcquire("alice@10.0.0.1")).isEmpty();
        assertThat(limiter.tryAcquire("alice@10.0.0.1")).contains(Duration.ofMinutes(14));
        assertThat(limiter.tryAcquire("alice@10.0.0.2")).isEmpty();

        // The first two leave the window; the third (a minute younger) still counts.
        clock.advance(Duration.ofMinutes(14));
        assertThat(limiter.tryAcquire("alice@10.0.0.1")).isEmpty();
        assertThat(limiter.tryAcquire("alice@10.0.0.1")).isEmpty();
        assertThat(limiter.tryAcquire("alice@10.0.0.1")).contains(Duration.ofMinutes(1));
    }

    @Test
    void concurrentAcquiresNeverExceedTheAllowance() throws Exception {
        AttemptLimiter limiter = new AttemptLimiter(5, Duration.ofMinutes(15), new ManualClock());
        AtomicInteger granted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                if (limiter.tryAcquire("admin@127.0.0.1").isEmpty()) {
                    granted.incrementAndGet();
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(granted).hasValue(5);
    }
}
