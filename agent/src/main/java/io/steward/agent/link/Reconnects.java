package io.steward.agent.link;

import static java.util.Objects.requireNonNull;

import io.steward.core.retry.Backoff;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How long a link waits before its next connection attempt, across connections: with several hubs, the next one is
 * tried at once (after a jitter of up to {@link #NEXT_HUB_JITTER}, so a fleet that lost the same node spreads over a
 * second); only once a whole round of hubs has failed comes a jittered exponential backoff, counted in rounds, that
 * resets once a connection has stayed up long enough. After an error that reconnecting soon will not fix (a rejected
 * credential, a deleted server: the same answer from every node) every attempt waits the maximum, until a welcome
 * shows it is fixed.
 */
final class Reconnects {
    /** Beyond this the backoff is long capped anyway; the bound keeps the exponent finite. */
    static final int MAXIMUM_ATTEMPT = 64;
    /** The most a link waits before trying the next hub of a round. */
    static final Duration NEXT_HUB_JITTER = Duration.ofSeconds(1);
    /** The most a link waits after a round refused for a passing reason (see {@link #passingRefusal}). */
    static final Duration PASSING_CAP = Duration.ofSeconds(3);

    private final Backoff backoff;
    private int attempt;
    private boolean atMaximum;
    /** The last refusal will pass by itself within seconds: the next backoff is capped at {@link #PASSING_CAP}. */
    private boolean passing;
    /** Attempts failed since the last round ended (or the last healthy connection). */
    private int failedInRound;

    Reconnects(Backoff backoff) {
        this.backoff = requireNonNull(backoff, "backoff is null");
    }

    /** The wait before the next attempt (jitter drawn from {@code random}); counts the attempt. */
    Duration nextDelay(DoubleSupplier random) {
        Duration delay = atMaximum ? backoff.maximum() : backoff.delay(attempt, random);
        if (passing && !atMaximum && delay.compareTo(PASSING_CAP) > 0) {
            delay = Duration.ofMillis((long) (PASSING_CAP.toMillis() * (0.5 + random.getAsDouble() / 2)));
        }
        passing = false;
        attempt = Math.min(attempt + 1, MAXIMUM_ATTEMPT);
        return delay;
    }

    /**
     * The wait after a failed or lost connection when a round has {@code hubs} hubs: a jitter while some of them
     * have not failed yet in this round, else the backoff ({@link #nextDelay}) and a new round. With one hub, always
     * the backoff.
     */
    Duration afterFailure(int hubs, DoubleSupplier random) {
        failedInRound++;
        if (atMaximum || failedInRound >= hubs) {
            failedInRound = 0;
            return nextDelay(random);
        }
        return Duration.ofMillis((long) (NEXT_HUB_JITTER.toMillis() * random.getAsDouble()));
    }

    /** The node refused in a way reconnecting soon will not fix: wait the maximum from now on. */
    void lastingRefusal() {
        atMaximum = true;
    }

    /**
     * The node refused for a reason that passes by itself within seconds — the server's entity still moving after a
     * failover, or the agent's own previous connection not yet let go: the backoff after this round stays short
     * instead of growing towards a minute, which is what kept agents away long after a failover had ended.
     */
    void passingRefusal() {
        passing = true;
    }

    /** A welcome: whatever was refused is fixed. */
    void welcomed() {
        atMaximum = false;
    }

    /** A connection stayed up long enough: the next loss starts the backoff again from the minimum. */
    void healthy() {
        attempt = 0;
        failedInRound = 0;
    }
}
