package io.steward.core.retry;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with "full jitter" (a uniformly random wait between {@code minimum} and the capped
 * exponential), so a fleet of agents reconnecting after a node restart spreads out instead of arriving together.
 */
public record Backoff(Duration minimum, Duration maximum, double factor) {
    public Backoff {
        if (minimum.isNegative() || minimum.isZero()) {
            throw new IllegalArgumentException("minimum must be positive");
        }
        if (maximum.compareTo(minimum) < 0) {
            throw new IllegalArgumentException("maximum must be >= minimum");
        }
        if (factor < 1.0) {
            throw new IllegalArgumentException("factor must be >= 1");
        }
    }

    /** The ceiling for the given attempt (0-based) before jitter: min * factor^attempt, capped at maximum. */
    public Duration ceiling(int attempt) {
        double millis = minimum.toMillis() * Math.pow(factor, Math.max(0, attempt));
        return millis >= maximum.toMillis() ? maximum : Duration.ofMillis((long) millis);
    }

    /** The wait before the given attempt, with jitter drawn from {@code random} (values in [0, 1)). */
    public Duration delay(int attempt, DoubleSupplier random) {
        long ceiling = ceiling(attempt).toMillis();
        long floor = minimum.toMillis();
        return Duration.ofMillis(floor + (long) ((ceiling - floor) * random.getAsDouble()));
    }
}
