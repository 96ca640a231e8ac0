package io.steward.core.services;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How a server's entity brings a service back: the first restart at once (a dead service should run again within
 * one check interval), then up to {@code maxAttempts} in all with the waits in {@code backoff} between them; after
 * the last failure it gives up and alerts. A service restarted {@code flapRestarts} times within {@code flapWindow}
 * is flapping: it is not restarted again (restarting a crash loop only hides it) and an alert says so.
 */
public record RecoveryPolicy(int maxAttempts, List<Duration> backoff, int flapRestarts, Duration flapWindow) {

    public static final RecoveryPolicy DEFAULT = new RecoveryPolicy(3,
            List.of(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)), 5, Duration.ofHours(1));

    public RecoveryPolicy {
        backoff = List.copyOf(requireNonNull(backoff, "backoff is null"));
        requireNonNull(flapWindow, "flapWindow is null");
        if (maxAttempts < 1 || backoff.isEmpty() || flapRestarts < 1) {
            throw new IllegalArgumentException("maxAttempts, backoff and flapRestarts must not be empty or zero");
        }
    }

    /** The wait before attempt {@code attempt} (1-based): none before the first, then the backoff steps. */
    public Duration delayBefore(int attempt) {
        if (attempt <= 1) {
            return Duration.ZERO;
        }
        return backoff.get(Math.min(attempt - 2, backoff.size() - 1));
    }

    public boolean mayRetry(int attemptsMade) {
        return attemptsMade < maxAttempts;
    }

    /** Whether the restarts done so far (times of each) make the service flapping at {@code now}. */
    public boolean flapping(List<Instant> restarts, Instant now) {
        Instant from = now.minus(flapWindow);
        return restarts.stream().filter(at -> at.isAfter(from)).count() >= flapRestarts;
    }

    /** The restart times still inside the window (what an entity needs to keep). */
    public List<Instant> withinWindow(List<Instant> restarts, Instant now) {
        Instant from = now.minus(flapWindow);
        return restarts.stream().filter(at -> at.isAfter(from)).toList();
    }
}
