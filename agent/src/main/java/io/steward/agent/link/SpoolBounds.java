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

    /** For logs: "24h and 100MB". */
    @Override
    public String toString() {
        long seconds = maxAge.toSeconds();
        String age = seconds % 3600 == 0 ? seconds / 3600 + "h"
                : seconds % 60 == 0 ? seconds / 60 + "m"
                : seconds + "s";
        String size = maxBytes % (1L << 20) == 0 ? (maxBytes >> 20) + "MB"
                : maxBytes % 1024 == 0 ? (maxBytes >> 10) + "KB" : maxBytes + "B";
        return age + " and " + size;
    }
}
