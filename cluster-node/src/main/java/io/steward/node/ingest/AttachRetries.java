package io.steward.node.ingest;

import java.time.Duration;

/**
 * The attach of a connection welcomed before its server's entity answered (a failover is moving the entity): asked
 * again and again, each try short (the first ask may have gone to the dead node, where it waits out its whole
 * timeout), at growing intervals, until the entity answers. After {@link #MAXIMUM} tries the connection is given up,
 * so the agent goes to another node. Pure: the connection's actor keeps the timers.
 */
final class AttachRetries {
    /** Tries after the welcome: about two minutes in all, far longer than a failover. */
    static final int MAXIMUM = 14;
    /** How long one try waits for the entity's answer. */
    static final Duration TRY_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration FIRST = Duration.ofSeconds(1);
    private static final Duration LONGEST = Duration.ofSeconds(10);

    private int tried;

    /** The wait before the next try; counts it. */
    Duration next() {
        Duration delay = FIRST.multipliedBy(1L << Math.min(tried, 4));
        tried++;
        return delay.compareTo(LONGEST) > 0 ? LONGEST : delay;
    }

    /** Whether every try is used up. */
    boolean exhausted() {
        return tried >= MAXIMUM;
    }

    int tried() {
        return tried;
    }
}
