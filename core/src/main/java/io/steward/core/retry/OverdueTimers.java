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
 * then fires on time and this node's view of the cluster is settled again. A punctual timer acts at once.
 *
 * <p>Why the cluster view too: a resumed node that was downed learns it only when a survivor answers it, which on a
 * loaded machine can take longer than one recheck; until then it sees the survivors unreachable. So after a freeze the
 * timer keeps rechecking while this node sees a member unreachable (or is not up itself), for at most
 * {@code settleLimit} from the first overdue firing: the downed node stops meanwhile, or the cluster heals and the
 * timer acts. The same limit bounds the other reasons to wait — rechecks that fire late again, pauses — and twice
 * the limit a firing that is both (a new freeze), so a decision is delayed, never prevented.
 *
 * <p>This narrows the window; it is not a fence. What keeps two writers of one entity from forking its history is the
 * journal's primary key (persistence_id, sequence_number): the second write of a sequence number fails. A sharding
 * lease would be the full fence (an entity's shard runs only while its node holds the lease); none is configured.
 *
 * @param tolerance lateness up to which a timer counts as punctual (scheduler jitter, a short GC pause)
 * @param recheck how long an overdue timer waits before it looks again
 * @param settleLimit how long after its first overdue firing a timer keeps waiting for an unsettled cluster view, for
 *     punctual firings or for pauses; past it a firing both late and after a pause (a new freeze) is still
 *     rechecked, up to twice the limit, but no longer waits for a settled view
 */
public record OverdueTimers(Duration tolerance, Duration recheck, Duration settleLimit) {
    /** The defaults of {@code steward.server.overdue-timers}. */
    public static final OverdueTimers DEFAULT = new OverdueTimers(Duration.ofSeconds(3), Duration.ofSeconds(5),
            Duration.ofSeconds(60));

    public OverdueTimers {
        requireNonNull(tolerance, "tolerance is null");
        requireNonNull(recheck, "recheck is null");
        requireNonNull(settleLimit, "settleLimit is null");
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("tolerance must not be negative");
        }
        if (recheck.isNegative() || recheck.isZero()) {
            throw new IllegalArgumentException("recheck must be positive");
        }
        if (settleLimit.isNegative()) {
            throw new IllegalArgumentException("settle-limit must not be negative");
        }
    }

    /** What a timer due at {@code dueAt} and firing at {@code now} does. */
    public sealed interface Decision permits Act, Recheck {}

    /** On time: decide now. */
    public record Act() implements Decision {}

    /** Overdue: fire again after {@code delay}, then due at {@code dueAt}. */
    public record Recheck(Duration delay, Instant dueAt) implements Decision {}

    /** What a timer due at {@code dueAt} and firing at {@code now} does, on a node that was never frozen meanwhile. */
    public Decision decide(Instant dueAt, Instant now) {
        return decide(dueAt, now, null, true);
    }

    /**
     * What a timer due at {@code dueAt} and firing at {@code now} does.
     *
     * @param overdueSince when this timer first fired overdue (null if it never did)
     * @param clusterSettled whether this node is up and sees every member reachable
     */
    public Decision decide(Instant dueAt, Instant now, Instant overdueSince, boolean clusterSettled) {
        return decide(dueAt, now, overdueSince, clusterSettled, Duration.ZERO);
    }

    /**
     * As above, for a timer during whose run this process stood still for {@code paused} (its longest pause, as
     * {@link PauseLog} saw it). A freeze that ends just after the timer was due leaves the timer barely late, yet its
     * view is as stale as the freeze was long: such a timer counts as overdue too — until {@code settleLimit} after
     * its first overdue firing, so that a process that keeps pausing (or a pause watch that stopped ticking) delays a
     * decision but never prevents it.
     */
    public Decision decide(Instant dueAt, Instant now, Instant overdueSince, boolean clusterSettled,
            Duration paused) {
        requireNonNull(dueAt, "dueAt is null");
        requireNonNull(now, "now is null");
        requireNonNull(paused, "paused is null");
        Duration sinceOverdue = overdueSince == null ? Duration.ZERO : Duration.between(overdueSince, now);
        boolean withinSettleLimit = overdueSince == null || sinceOverdue.compareTo(settleLimit) < 0;
        boolean late = Duration.between(dueAt, now).compareTo(tolerance) > 0;
        boolean stoodStill = paused.compareTo(tolerance) > 0;
        // Within the settle limit either one waits. Past it, neither alone does — lateness alone is a starved
        // dispatcher that would fire every recheck late, pauses alone a process that keeps pausing or a pause watch
        // stuck — but both together are a new freeze, which still waits; past twice the limit nothing does.
        boolean punctual = withinSettleLimit ? !late && !stoodStill
                : !(late && stoodStill) || sinceOverdue.compareTo(settleLimit.multipliedBy(2)) >= 0;
        boolean settling = overdueSince != null && !clusterSettled && withinSettleLimit;
        if (punctual && !settling) {
            return new Act();
        }
        return new Recheck(recheck, now.plus(recheck));
    }
}
