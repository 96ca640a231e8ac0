package io.steward.agent.link;

import static java.util.Objects.requireNonNull;

import io.steward.core.retry.Backoff;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How long a link waits before its next connection attempt, across connections: jittered exponential backoff that
 * resets once a connection has stayed up long enough, and the maximum wait after an error that reconnecting soon
 * will not fix (a rejected credential, a deleted server) until a welcome shows it is fixed.
 */
final class Reconnects {
    /** Beyond this the backoff is long capped anyway; the bound keeps the exponent finite. */
    static final int MAXIMUM_ATTEMPT = 64;

    private final Backoff backoff;
    private int attempt;
    private boolean atMaximum;

    Reconnects(Backoff backoff) {
        this.backoff = requireNonNull(backoff, "backoff is null");
    }

    /** The wait before the next attempt (jitter drawn from {@code random}); counts the attempt. */
    Duration nextDelay(DoubleSupplier random) {
        Duration delay = atMaximum ? backoff.maximum() : backoff.delay(attempt, random);
        attempt = Math.min(attempt + 1, MAXIMUM_ATTEMPT);
        return delay;
    }

    /** The node refused in a way reconnecting soon will not fix: wait the maximum from now on. */
    void lastingRefusal() {
        atMaximum = true;
    }

    /** A welcome: whatever was refused is fixed. */
    void welcomed() {
        atMaximum = false;
    }

    /** A connection stayed up long enough: the next loss starts the backoff again from the minimum. */
    void healthy() {
        attempt = 0;
    }
}
