package io.steward.node.server;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A wait for the agent's word that began at {@code since} and may be given one more window, once ({@code given}
 * then): when it ends after this process stood still longer than the timers' tolerance since it began. A suspended
 * VM wakes with the wait's timer fired at once and the word it waited for perhaps still unread behind it.
 */
record OneMoreWindow(Instant since, boolean given) {
    static OneMoreWindow from(Instant since) {
        return new OneMoreWindow(since, false);
    }

    /** The pause that earns this wait its second window now, if it has not had one: longer than {@code tolerance}. */
    Optional<Duration> earned(ClusterHealth cluster, Duration tolerance) {
        if (given) {
            return Optional.empty();
        }
        Duration paused = cluster.pausedSince(since);
        return paused.compareTo(tolerance) > 0 ? Optional.of(paused) : Optional.empty();
    }

    OneMoreWindow taken() {
        return new OneMoreWindow(since, true);
    }
}
