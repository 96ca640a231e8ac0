package io.steward.core.auth;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts attempts per key (a username at a client address, a client address) in a sliding window and says how long a
 * key must wait once it has used up its allowance. Keys are independent: limiting a username together with the
 * address it is tried from means an attacker at one address cannot lock its owner out at another.
 *
 * <p>{@link #tryAcquire} counts an attempt <em>before</em> the caller checks the password, atomically with the
 * check of the allowance, so concurrent guesses cannot all pass the check before any failure is recorded. A
 * successful login {@link #reset}s its key.
 */
public final class AttemptLimiter {
    /** Upper bound on remembered keys, so a flood of distinct names cannot grow memory without limit. */
    private static final int MAX_KEYS = 100_000;

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    public AttemptLimiter(int maxFailures, Duration window, Clock clock) {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("maxFailures must be >= 1");
        }
        this.maxFailures = maxFailures;
        this.window = requireNonNull(window, "window is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** How long the key must still wait, or empty if it may try now. */
    public Optional<Duration> blockedFor(String key) {
        Deque<Instant> attempts = failures.get(key);
        if (attempts == null) {
            return Optional.empty();
        }
        synchronized (attempts) {
            Instant now = clock.instant();
            prune(attempts, now);
            if (attempts.size() < maxFailures) {
                return Optional.empty();
            }
            return Optional.of(Duration.between(now, attempts.peekFirst().plus(window)));
        }
    }

    /**
     * Counts one attempt for the key if its allowance is not used up: empty means "go ahead" (the attempt is counted
     * already), a duration how long to wait (nothing is counted).
     */
    public Optional<Duration> tryAcquire(String key) {
        if (failures.size() >= MAX_KEYS) {
            sweep();
        }
        Deque<Instant> attempts = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (attempts) {
            Instant now = clock.instant();
            prune(attempts, now);
            if (attempts.size() >= maxFailures) {
                return Optional.of(Duration.between(now, attempts.peekFirst().plus(window)));
            }
            attempts.addLast(now);
            return Optional.empty();
        }
    }

    public void recordFailure(String key) {
        if (failures.size() >= MAX_KEYS) {
            sweep();
        }
        Deque<Instant> attempts = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (attempts) {
            Instant now = clock.instant();
            prune(attempts, now);
            attempts.addLast(now);
            while (attempts.size() > maxFailures) {
                attempts.removeFirst();
            }
        }
    }

    /** Gives back one counted attempt (a login that succeeded does not count against its address). */
    public void release(String key) {
        Deque<Instant> attempts = failures.get(key);
        if (attempts == null) {
            return;
        }
        synchronized (attempts) {
            attempts.pollLast();
        }
    }

    public void reset(String key) {
        failures.remove(key);
    }

    private void prune(Deque<Instant> attempts, Instant now) {
        Instant horizon = now.minus(window);
        while (!attempts.isEmpty() && !attempts.peekFirst().isAfter(horizon)) {
            attempts.removeFirst();
        }
    }

    private void sweep() {
        Instant now = clock.instant();
        for (Iterator<Map.Entry<String, Deque<Instant>>> it = failures.entrySet().iterator(); it.hasNext(); ) {
            Deque<Instant> attempts = it.next().getValue();
            synchronized (attempts) {
                prune(attempts, now);
                if (attempts.isEmpty()) {
                    it.remove();
                }
            }
        }
    }
}
