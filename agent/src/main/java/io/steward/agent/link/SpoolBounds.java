package io.steward.agent.link;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** How much a spool may hold: unacknowledged reports older than {@code maxAge}, or beyond {@code maxBytes}, go. */
public record SpoolBounds(Duration maxAge, long maxBytes) {
    public SpoolBounds {
        requireNonNull(maxAge, "maxAge is null");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive");
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
    }
}
