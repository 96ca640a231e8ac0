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
 *
 * <p>The number of remembered keys is bounded: when the map is full and a sweep frees nothing, a new key is refused
 * (fail closed) until the oldest remembered attempt leaves the window, and no further sweep runs before then, so a
 * flood of distinct keys costs neither memory nor a full scan per attempt.
 */
public final class AttemptLimiter {
    /** Upper bound on remembered keys, so a flood of distinct names cannot grow memory without limit. */
    public static final int DEFAULT_MAX_KEYS = 100_000;

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final int maxKeys;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();
    private final Object sweepLock = new Object();
    /** While full: no key can leave before this, so sweeping earlier is wasted work. */
    private volatile Instant nextSweep = Instant.MIN;

    public AttemptLimiter(int maxFailures, Duration window, Clock clock) {
        this(maxFailures, window, clock, DEFAULT_MAX_KEYS);
    }

    public AttemptLimiter(int maxFailures, Duration window, Clock clock, int maxKeys) {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("maxFailures must be >= 1");
        }
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be >= 1");
        }
        this.maxFailures = maxFailures;
        this.window = requireNonNull(window, "window is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.maxKeys = maxKeys;
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
        Optional<Duration> full = roomFor(key);
        if (full.isPresent()) {
            return full;
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
        if (roomFor(key).isPresent()) {
            return;
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

    /**
     * Empty when the key is known or there is room for it; else how long until a sweep may free some. A key added
     * concurrently with this check may overshoot the bound by the number of racing threads, never more.
     */
    private Optional<Duration> roomFor(String key) {
        if (failures.size() < maxKeys || failures.containsKey(key)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        synchronized (sweepLock) {
            if (failures.size() >= maxKeys && !now.isBefore(nextSweep)) {
                nextSweep = sweep(now);
            }
        }
        if (failures.size() < maxKeys) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, nextSweep).isNegative() ? Duration.ZERO
                : Duration.between(now, nextSweep));
    }

    /** Drops keys with nothing left in the window; returns when the oldest remaining attempt leaves it. */
    private Instant sweep(Instant now) {
        Instant oldest = null;
        for (Iterator<Map.Entry<String, Deque<Instant>>> it = failures.entrySet().iterator(); it.hasNext(); ) {
            Deque<Instant> attempts = it.next().getValue();
            synchronized (attempts) {
                prune(attempts, now);
                if (attempts.isEmpty()) {
                    it.remove();
                } else if (oldest == null || attempts.peekFirst().isBefore(oldest)) {
                    oldest = attempts.peekFirst();
                }
            }
        }
        return oldest == null ? now : oldest.plus(window);
    }
}
