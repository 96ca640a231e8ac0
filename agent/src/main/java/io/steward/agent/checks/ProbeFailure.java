package io.steward.agent.checks;

import io.steward.core.checks.FailureReason;

/** A classified failure inside a probe, carried out to where the result is built. */
final class ProbeFailure extends Exception {
    private final FailureReason reason;

    ProbeFailure(FailureReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    FailureReason reason() {
        return reason;
    }
}
