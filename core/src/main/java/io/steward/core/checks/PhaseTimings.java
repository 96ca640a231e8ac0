package io.steward.core.checks;

import org.jspecify.annotations.Nullable;

/**
 * Where an attempt's time went, in milliseconds (fractions kept: loopback phases take microseconds). A phase that
 * did not happen (no TLS on http, the attempt failed before it) is null. Across redirects each phase is the sum over
 * the hops; {@code total} is the whole attempt's wall-clock time.
 */
public record PhaseTimings(@Nullable Double dnsMillis, @Nullable Double connectMillis, @Nullable Double tlsMillis,
        @Nullable Double firstByteMillis, double totalMillis) {
    public static final PhaseTimings NONE = new PhaseTimings(null, null, null, null, 0);

    public PhaseTimings {
        if (totalMillis < 0) {
            throw new IllegalArgumentException("totalMillis must not be negative");
        }
    }
}
