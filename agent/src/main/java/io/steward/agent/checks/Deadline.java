package io.steward.agent.checks;

import io.steward.core.checks.FailureReason;
import java.time.Duration;

/** The end of one attempt: every blocking step gets the time that is left. */
final class Deadline {
    private final long endNanos;
    private final Duration timeout;

    Deadline(Duration timeout) {
        this.timeout = timeout;
        this.endNanos = System.nanoTime() + timeout.toNanos();
    }

    /** Milliseconds left, at least 1 (0 would mean "forever" to socket timeouts). */
    int remainingMillis(String phase) throws ProbeFailure {
        long left = (endNanos - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw expired(phase);
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    ProbeFailure expired(String phase) {
        return new ProbeFailure(FailureReason.TIMEOUT, "no " + phase + " within " + timeout.toMillis() + " ms");
    }
}
