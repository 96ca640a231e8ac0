package io.steward.node.server;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A settled cluster view whose pause watch reports the pause the test sets (none at first) whatever it is asked, and
 * keeps the instant it was last asked from (for a test of where an entity counts pauses from).
 */
final class StoodStillFor implements ClusterHealth {
    private final AtomicReference<Duration> paused = new AtomicReference<>(Duration.ZERO);
    private final AtomicReference<Instant> askedSince = new AtomicReference<>();

    StoodStillFor() {}

    StoodStillFor(Duration paused) {
        this.paused.set(paused);
    }

    void set(Duration longest) {
        paused.set(longest);
    }

    Instant lastAskedSince() {
        return askedSince.get();
    }

    @Override
    public boolean settled() {
        return true;
    }

    @Override
    public Duration pausedSince(Instant since) {
        askedSince.set(since);
        return paused.get();
    }
}
