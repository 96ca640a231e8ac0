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

    @Test
    void aFullMapRefusesNewKeysUntilTheOldestAttemptLeavesTheWindowInsteadOfGrowing() {
        ManualClock clock = new ManualClock();
        AttemptLimiter limiter = new AttemptLimiter(5, Duration.ofMinutes(15), clock, 3);
        assertThat(limiter.tryAcquire("a")).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        assertThat(limiter.tryAcquire("b")).isEmpty();
        assertThat(limiter.tryAcquire("c")).isEmpty();

        // Full, and nothing has left the window: a new key is refused, known keys go on being counted.
        assertThat(limiter.tryAcquire("d")).contains(Duration.ofMinutes(14));
        assertThat(limiter.blockedFor("d")).as("the refusal left no entry").isEmpty();
        assertThat(limiter.tryAcquire("a")).isEmpty();

        // At minute 15 "a"'s first attempt leaves the window, its second keeps it; all leave at minute 16.
        clock.advance(Duration.ofMinutes(14));
        assertThat(limiter.tryAcquire("d")).contains(Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(1));
        assertThat(limiter.tryAcquire("d")).isEmpty();
        assertThat(limiter.tryAcquire("e")).isEmpty();
    }

    @Test
    void anIpv6ClientIsKeyedByItsSlash64AndAnIpv4OneByItsAddress() {
        assertThat(AddressKey.of("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).isEqualTo(AddressKey.of("2001:db8:1:2::1"))
                .isEqualTo("2001:db8:1:2::/64");
        assertThat(AddressKey.of("2001:db8:1:3::1")).isNotEqualTo(AddressKey.of("2001:db8:1:2::1"));
        assertThat(AddressKey.of("fe80::1%eth0")).isEqualTo("fe80:0:0:0::/64");
        assertThat(AddressKey.of("10.0.0.1")).isEqualTo("10.0.0.1");
        assertThat(AddressKey.of("unknown")).isEqualTo("unknown");
    }
}
