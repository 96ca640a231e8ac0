package io.steward.core.retry;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/**
 * What a timer that decides something (a server went offline, a check's vantages went stale) does when it fires far
 * later than it was due. Such lateness means this process was frozen — a SIGSTOP, a stopped VM, a long GC pause — and
 * a freeze longer than the cluster's failure detection gets this node downed while its entities start again on the
 * survivors. Acting at once would persist a decision made on a stale view (no report seen for the length of the
 * freeze) before the node hears it was downed and stops; the timer waits {@code recheck} instead, and acts when it
 * then fires on time. A punctual timer acts at once.
 *
 * <p>This narrows the window; it is not a fence. What keeps two writers of one entity from forking its history is the
 * journal's primary key (persistence_id, sequence_number): the second write of a sequence number fails. A sharding
 * lease would be the full fence (an entity's shard runs only while its node holds the lease); none is configured.
 *
 * @param tolerance lateness up to which a timer counts as punctual (scheduler jitter, a short GC pause)
 * @param recheck how long an overdue timer waits before it decides: long enough for a downed node to learn it and stop
 */
public record OverdueTimers(Duration tolerance, Duration recheck) {
    /** The defaults of {@code steward.server.overdue-timers}. */
    public static final OverdueTimers DEFAULT = new OverdueTimers(Duration.ofSeconds(3), Duration.ofSeconds(5));

    public OverdueTimers {
        requireNonNull(tolerance, "tolerance is null");
        requireNonNull(recheck, "recheck is null");
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("tolerance must not be negative");
        }
        if (recheck.isNegative() || recheck.isZero()) {
            throw new IllegalArgumentException("recheck must be positive");
        }
    }

    /** What a timer due at {@code dueAt} and firing at {@code now} does. */
    public sealed interface Decision permits Act, Recheck {}

    /** On time: decide now. */
    public record Act() implements Decision {}

    /** Overdue: fire again after {@code delay}, then due at {@code dueAt}. */
    public record Recheck(Duration delay, Instant dueAt) implements Decision {}

    public Decision decide(Instant dueAt, Instant now) {
        requireNonNull(dueAt, "dueAt is null");
        requireNonNull(now, "now is null");
        if (Duration.between(dueAt, now).compareTo(tolerance) <= 0) {
            return new Act();
        }
        return new Recheck(recheck, now.plus(recheck));
    }
}
