package io.steward.node.server;

import io.steward.core.alerting.AlertRule;
import io.steward.core.backup.BackupSeries;
import io.steward.core.metrics.ReportSamples;
import io.steward.core.protocol.MetricsReport;
import io.steward.core.retry.OverdueTimers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * Whether the agent is reporting: each stored report keeps the server online (and may say it came online, lost
 * reports, or changed what it runs) and feeds the alert rules; a silence of some missed intervals takes it offline.
 */
final class PresenceHandler {
    /** The offline timer fired: no report for the allowed number of intervals. */
    record OfflineCheck() implements PresenceCommand {}

    /**
     * What the metric store holds before a silence is called offline: the highest stored report sequence of the
     * server (0 if none, or if the store could not say in time), for the check armed as {@code check}.
     */
    record StoreChecked(long check, long newestStored) implements PresenceCommand {}

    /** The check number of the store's answer read at recovery: what this entity counts as heard of. */
    private static final long BASELINE = Long.MIN_VALUE;

    /** How long the store may take to answer before the silence is judged on what the entity heard. */
    private static final Duration STORE_CHECK_TIMEOUT = Duration.ofSeconds(5);

    private static final String OFFLINE_TIMER = "offline";

    private final EntityContext entity;
    private final LiveView live;
    private final AlertHandler alerts;
    private final AgentChannel channel;
    private final StoredReports stored;
    private final ClusterHealth cluster;
    /** Whether the current silence already had its failover grace (given once, renewed by the next report). */
    private boolean graceGiven;
    /** Whether an attach since the last report has already restarted the silence (once per silence). */
    private boolean attachCounted;
    /** When the offline timer is due, by the entity's clock: a much later firing means this node was frozen. */
    private Instant offlineDueAt;
    /** When the offline timer was armed: a pause of this process since then means the silence went unwatched. */
    private Instant offlineArmedAt;
    /** When the store was last asked before a silence is judged: a pause since then means the same. */
    private Instant storeAskedAt;
    /** When the offline timer first fired overdue (this node was frozen) in the running chain of rechecks, or null. */
    private Instant overdueSince;
    /** The {@code overdueSince} of the chain that ended in the last decision, for its log line. */
    private Instant decidedAfterOverdueSince;
    /** Counts the arming of the offline timer, so that a store check answered after a report is ignored. */
    private long check;
    /** The highest report sequence this entity heard of, or a store check found (see storeChecked). */
    private long seenUpTo;

    PresenceHandler(EntityContext entity, LiveView live, AlertHandler alerts, AgentChannel channel,
            StoredReports stored, ClusterHealth cluster) {
        this.entity = entity;
        this.live = live;
        this.alerts = alerts;
        this.channel = channel;
        this.stored = stored;
        this.cluster = cluster;
    }

    ReplyEffect<ServerEvent, ServerState> onCommand(ServerState.Active state, PresenceCommand command) {
        if (command instanceof PresenceCommand.ReportReceived received) {
            seenUpTo = Math.max(seenUpTo, received.sequence());
            return onReport(state, received.report());
        }
        if (command instanceof StoreChecked checked) {
            return storeChecked(state, checked);
        }
        return offlineCheck(state);
    }

    /**
     * After recovery: an online server resumes its offline timer (timers do not survive a restart), with the grace
     * of a fresh start — after a failover its agent is still moving to a surviving node.
     */
    void onRecovered(ServerState.Active state) {
        if (state.presence().online()) {
            armOfflineTimer(entity.offlineDelay(state.presence().intervalMillis())
                    .plus(entity.settings.recoveryGrace()));
            // What is stored now was sent before this start: only a report stored later shows the agent is alive.
            askStore(BASELINE);
        }
    }

    private ReplyEffect<ServerEvent, ServerState> onReport(ServerState.Active state, MetricsReport report) {
        Instant now = entity.clock.instant();
        List<ServerEvent> events = new ArrayList<>(2);
        if (!state.presence().online()) {
            events.add(new PresenceEvent.CameOnline(report.intervalMillis(), now));
        }
        if (report.droppedReports() > 0) {
            events.add(new PresenceEvent.ReportsDropped(report.droppedReports(), now));
        }
        boolean newest = live.isNewest(report);
        SystemIdentity system = SystemIdentity.of(report.host(), report.interfaces());
        if (newest && !system.equals(state.identity().system())) {
            events.add(new IdentityEvent.SystemChanged(state.identity().system(), system, now));
        }
        if (newest) {
            // Alerts follow the present: a replayed old report must not fire or resolve anything.
            Map<String, Double> samples = new HashMap<>(ReportSamples.of(report));
            samples.put(AlertRule.SERVER_OFFLINE, 0.0);
            events.addAll(alerts.evaluate(state, samples, report.collectedAt(), now, PresenceHandler::reportOwns));
        }
        return entity.effects.persist(events)
                .thenRun(newState -> {
                    live.accept(report, newest);
                    startOfflineTimer(report.intervalMillis());
                    if (newest) {
                        live.publishReported((ServerState.Active) newState, report);
                    } else if (!events.isEmpty()) {
                        live.publishChanged(newState);
                    }
                })
                .thenNoReply();
    }

    private ReplyEffect<ServerEvent, ServerState> offlineCheck(ServerState.Active state) {
        if (!state.presence().online()) {
            return entity.effects.noReply();
        }
        Instant now = entity.clock.instant();
        if (offlineDueAt != null && heldUpByAFreeze(offlineDueAt, now, offlineArmedAt)) {
            return entity.effects.noReply();
        }
        // The chain of rechecks (if any) ends here: a later freeze in this silence starts its own.
        decidedAfterOverdueSince = overdueSince;
        overdueSince = null;
        if (!graceGiven && channel.connectionNodeLost()) {
            // The agent's connection was on a node that was lost: the agent is on its way to another node. It gets
            // the failover grace once before this server is called offline.
            graceGiven = true;
            if (entity.actor.getLog().isDebugEnabled()) {
                entity.actor.getLog().debug("{} silent while its agent moves: failover grace (connection {})",
                        entity.serverId, channel.describe());
            }
            armOfflineTimer(entity.settings.recoveryGrace());
            return entity.effects.noReply();
        }
        // Reports are stored and acknowledged by the connection, and only then told to the entity: that news can be
        // held up (a shard being handed over buffers it; an agent welcomed during a failover reports before its
        // entity is back). The store is the truth, so it is asked before anything is called offline.
        storeAskedAt = now;
        askStore(check);
        return entity.effects.noReply();
    }

    /**
     * Whether the timer due at {@code dueAt} fired long after it, or this process stood still while it ran (a freeze
     * that ended just after the timer was due leaves it barely late): then this node was frozen and may have been
     * downed meanwhile, this server's entity started on a survivor. Deciding now would judge a silence this node did
     * not watch; waiting (a recheck armed here) until it sees the cluster whole again lets a downed node stop first
     * (see OverdueTimers for what fences two writers). Pauses count from {@code watchedSince}.
     */
    private boolean heldUpByAFreeze(Instant dueAt, Instant now, Instant watchedSince) {
        if (entity.settings.overdueTimers().decide(dueAt, now, overdueSince, cluster.settled(),
                cluster.pausedSince(watchedSince)) instanceof OverdueTimers.Recheck recheck) {
            if (overdueSince == null) {
                overdueSince = now;
            }
            armOfflineTimer(recheck.delay());
            return true;
        }
        return false;
    }

    private void askStore(long asked) {
        entity.actor.pipeToSelf(stored.newestSequence(entity.serverId.value()).toCompletableFuture()
                .orTimeout(STORE_CHECK_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS),
                (newest, failure) -> {
                    if (failure != null) {
                        entity.actor.getLog().warn("{}: the metric store did not say whether reports came in ({});"
                                + " judging the silence on what this entity heard", entity.serverId,
                                failure.toString());
                    }
                    return new StoreChecked(asked, newest == null ? 0 : newest);
                });
    }

    /**
     * A silence is offline unless the store holds a report with a higher sequence than any this entity heard of or a
     * previous check found: then the agent is reporting and the news is late, and the timer starts again. Each
     * reprieve needs a report stored since the last one, so a server whose agent stopped goes offline after at most
     * one more delay. After a restart, what the store held at the start counts as heard (the baseline).
     */
    private ReplyEffect<ServerEvent, ServerState> storeChecked(ServerState.Active state, StoreChecked checked) {
        if (checked.check() == BASELINE) {
            seenUpTo = Math.max(seenUpTo, checked.newestStored());
            return entity.effects.noReply();
        }
        if (checked.check() != check || !state.presence().online()) {
            return entity.effects.noReply(); // a report came meanwhile and armed the timer again
        }
        if (checked.newestStored() > seenUpTo) {
            seenUpTo = checked.newestStored();
            entity.actor.getLog().info("{} silent but its agent's reports are being stored (up to sequence {}): not"
                    + " offline", entity.serverId, checked.newestStored());
            armOfflineTimer(entity.offlineDelay(state.presence().intervalMillis()));
            return entity.effects.noReply();
        }
        Instant now = entity.clock.instant();
        // The store may have answered (or timed out) across a freeze that began after the question: judged on the
        // pauses since then alone (now as the due time), since a slow store is no reason to wait. A chain of rechecks
        // the timer's decision ended goes on here, so that one settle limit bounds both.
        if (overdueSince == null) {
            overdueSince = decidedAfterOverdueSince;
        }
        if (storeAskedAt != null && heldUpByAFreeze(now, now, storeAskedAt)) {
            return entity.effects.noReply();
        }
        overdueSince = null;
        Instant seen = live.lastSeen(state);
        // Says what the decision saw: an offline event during a failover is what an operator asks about first.
        entity.actor.getLog().info("{} went offline: last report {}, connection {}, failover grace given {}, timer"
                + " overdue since {}", entity.serverId, seen, channel.describe(), graceGiven, decidedAfterOverdueSince);
        List<ServerEvent> events = new ArrayList<>(2);
        events.add(new PresenceEvent.WentOffline(seen, now));
        events.addAll(alerts.evaluate(state, Map.of(AlertRule.SERVER_OFFLINE, 1.0), now, now, series -> false));
        return entity.effects.persist(events).thenRun(live::publishChanged).thenNoReply();
    }

    /**
     * An agent that attaches is alive: after a failover its spooled reports follow its welcome, which may take a few
     * seconds, so its silence is counted from the attach rather than from its last report on the lost node — once
     * per silence, so an agent that keeps attaching without reporting still goes offline.
     */
    void onAttached(ServerState.Active state) {
        if (state.presence().online() && !attachCounted) {
            attachCounted = true;
            Duration delay = entity.offlineDelay(state.presence().intervalMillis());
            if (offlineDueAt == null || offlineDueAt.isBefore(entity.clock.instant().plus(delay))) {
                armOfflineTimer(delay); // never sooner than a timer already armed (a start's grace)
            }
        }
    }

    private void startOfflineTimer(long intervalMillis) {
        graceGiven = false;
        overdueSince = null;
        decidedAfterOverdueSince = null;
        attachCounted = false;
        channel.heardFromAgent();
        armOfflineTimer(entity.offlineDelay(intervalMillis));
    }

    private void armOfflineTimer(Duration delay) {
        check++;
        offlineArmedAt = entity.clock.instant();
        offlineDueAt = offlineArmedAt.plus(delay);
        entity.timers.startSingleTimer(OFFLINE_TIMER, new OfflineCheck(), delay);
    }

    /**
     * The series a metric report speaks for: a firing alert on one of them that the report no longer carries is
     * resolved. Service checks and the backup schedule feed their own series and resolve them themselves.
     */
    static boolean reportOwns(String series) {
        return !RecoveryDecisions.isServiceSeries(series) && !series.startsWith(BackupSeries.PREFIX);
    }
}
