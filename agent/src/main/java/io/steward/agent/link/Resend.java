package io.steward.agent.link;

import io.steward.core.retry.Backoff;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Whether sending reports is paused because the node could not store one ({@code UNAVAILABLE}), and how many such
 * pauses came without an ack in between, which sets the next pause's backoff. Sending resumes from the oldest
 * unacknowledged report; the node stores each sequence once, so what it did store is harmlessly sent again.
 */
record Resend(int attempt, boolean waiting) {
    static final Resend NONE = new Resend(0, false);

    /** How long the next pause lasts (jitter drawn from {@code random}). */
    Duration delay(Backoff backoff, DoubleSupplier random) {
        return backoff.delay(attempt, random);
    }

    Resend pause() {
        return new Resend(Math.min(attempt + 1, Reconnects.MAXIMUM_ATTEMPT), true);
    }

    Resend resume() {
        return new Resend(attempt, false);
    }

    /** An ack shows the node stores again: the next pause starts from the minimum. */
    Resend afterAck() {
        return new Resend(0, waiting);
    }
}
