package io.steward.node.server;

import io.steward.core.backup.BackupFailure;
import io.steward.core.backup.BackupOutcome;
import io.steward.core.backup.BackupPaths;
import io.steward.core.backup.BackupSeries;
import io.steward.core.backup.HostKey;
import io.steward.core.backup.SnapshotName;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.NodeMessage;
import io.steward.node.problem.Problem;
import io.steward.node.serialization.CborSerializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.jspecify.annotations.Nullable;

/**
 * The server's backups: the jobs people set up, the schedule the entity keeps for them (runs started through the
 * agent's connection wherever it lives, missed due times recorded even while the agent is away, a lost run given up
 * when its lease ends), the agent's results (reliable: acknowledged once stored), host keys, restores and test
 * restores, and the backup series the alert rules read. The decisions are {@link BackupDecisions}'.
 *
 * <p>Over 400 lines on purpose: people's requests, the schedule's wake-ups and the agent's results all read and
 * write the same volatile bookkeeping (runs awaiting the agent's confirmation, host keys asked for, test restores
 * sent, live progress) and go through one persist-then-push path; the decisions themselves are pure and outside.
 */
final class BackupHandler {
    /** Time to look at the jobs again (a due time, a grace's end, a lease, or the regular minute). */
    record Wake() implements BackupCommand {}

    /** A run sent to the agent got no word back in time: the frame was lost. */
    record StartUnconfirmed(String runId) implements BackupCommand {}

    /** The agent's answer to a host key request ({@code error} when none came). */
    record HostKeyAnswered(String jobId, @Nullable HostKey hostKey, @Nullable String error)
            implements BackupCommand, CborSerializable {}

    private static final String WAKE_TIMER = "backup-wake";
    /** How long the agent has to fetch a host key or list a snapshot directory. */
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(30);
    /** A host key the agent could not fetch is asked for again this much later. */
    private static final Duration HOST_KEY_RETRY = Duration.ofMinutes(5);
    /** Test restores cover every file within this many days. */
    static final int COVERAGE_DAYS = 30;
    /** A test restore whose result has not come back is asked for again this much later. */
    private static final Duration VERIFY_RETRY = Duration.ofHours(6);

    private final EntityContext entity;
    private final AgentChannel channel;
    private final AlertHandler alerts;
    private final LiveView live;
    private final ClusterHealth cluster;

    /** The agent's latest progress per job, in memory only. */
    private final Map<String, AgentMessage.BackupProgress> progress = new HashMap<>();
    /** Runs sent and not yet confirmed by any word from the agent. */
    private final Map<String, OneMoreWindow> unconfirmed = new HashMap<>();
    /** When each job's host key was last asked for. */
    private final Map<String, Instant> hostKeyAsked = new HashMap<>();
    /** When each job's test restore was last sent, by job. */
    private final Map<String, Instant> verifySent = new HashMap<>();
    /** Runs held past their lease because this process stood still during them, and until when (once, in memory). */
    private final Map<String, Instant> leaseHeld = new HashMap<>();

    BackupHandler(EntityContext entity, AgentChannel channel, AlertHandler alerts, LiveView live,
            ClusterHealth cluster) {
        this.entity = entity;
        this.channel = channel;
        this.alerts = alerts;
        this.live = live;
        this.cluster = cluster;
        live.addGreeter((state, subscriber) -> {
            if (!state.backups().jobs().isEmpty()) {
                subscriber.tell(new ServerUpdate.BackupsChanged(entity.serverId.value(), view(state)));
            }
        });
    }

    /** After recovery the schedule resumes: timers do not survive a restart, the due times do. */
    void onRecovered(ServerState.Active state) {
        if (!state.backups().jobs().isEmpty()) {
            entity.actor.getSelf().tell(new Wake());
        }
    }

    void stop() {
        entity.timers.cancel(WAKE_TIMER);
    }

    ReplyEffect<ServerEvent, ServerState> onCommand(ServerState.Active state, BackupCommand command) {
        if (command instanceof BackupCommand.GetBackups get) {
            return entity.effects.reply(get.replyTo(), StatusReply.success(view(state)));
        }
        if (command instanceof BackupCommand.CreateJob create) {
            return create(state, create);
        }
        if (command instanceof BackupCommand.UpdateJob update) {
            return update(state, update);
        }
        if (command instanceof BackupCommand.DeleteJob delete) {
            return delete(state, delete);
        }
        if (command instanceof BackupCommand.RunNow run) {
            return runNow(state, run);
        }
        if (command instanceof BackupCommand.TrustHostKey trust) {
            return trust(state, trust);
        }
        if (command instanceof BackupCommand.Browse browse) {
            return browse(state, browse);
        }
        if (command instanceof BackupCommand.Restore restore) {
            return restore(state, restore);
        }
        if (command instanceof BackupCommand.FromAgent from) {
            return fromAgent(state, from);
        }
        if (command instanceof HostKeyAnswered answered) {
            return hostKeyAnswered(state, answered);
        }
        if (command instanceof Browsed browsed) {
            return browsed(browsed);
        }
        if (command instanceof StartUnconfirmed unconfirmedStart) {
            return startUnconfirmed(state, unconfirmedStart.runId());
        }
        return wake(state);
    }

    // ---------------------------------------------------------------- people's requests

    private ReplyEffect<ServerEvent, ServerState> create(ServerState.Active state, BackupCommand.CreateJob create) {
        BackupSettings settings = create.settings();
        if (state.backups().job(settings.jobId()) != null) {
            return refuse(create.replyTo(), Problem.conflict("a backup job " + settings.jobId() + " exists"));
        }
        Optional<Problem> clash = nameClash(state, settings, null);
        if (clash.isPresent()) {
            return refuse(create.replyTo(), clash.get());
        }
        return persist(state, List.of(new BackupEvent.JobCreated(settings, create.by(), entity.clock.instant())),
                newState -> {
                    create.replyTo().tell(StatusReply.success(view((ServerState.Active) newState)));
                    entity.actor.getSelf().tell(new Wake()); // the agent fetches the host key at once
                });
    }

    private ReplyEffect<ServerEvent, ServerState> update(ServerState.Active state, BackupCommand.UpdateJob update) {
        BackupSettings settings = update.settings();
        BackupJob job = state.backups().job(settings.jobId());
        if (job == null) {
            return refuse(update.replyTo(), Problem.notFound("no backup job " + settings.jobId()));
        }
        Optional<Problem> clash = nameClash(state, settings, job.id());
        if (clash.isPresent()) {
            return refuse(update.replyTo(), clash.get());
        }
        if (settings.equals(job.settings())) {
            return entity.effects.reply(update.replyTo(), StatusReply.success(view(state)));
        }
        boolean destinationChanged = !settings.spec().destination().equals(job.settings().spec().destination());
        // Switching a job on again, or a new schedule, counts from now: due times while it was off were not missed.
        boolean scheduleChanged = !settings.schedule().equals(job.settings().schedule())
                || settings.enabled() && !job.settings().enabled();
        if (destinationChanged) {
            hostKeyAsked.remove(job.id());
        }
        return persist(state, List.of(new BackupEvent.JobUpdated(settings, destinationChanged, scheduleChanged,
                update.by(), entity.clock.instant())),
                newState -> {
                    update.replyTo().tell(StatusReply.success(view((ServerState.Active) newState)));
                    entity.actor.getSelf().tell(new Wake());
                });
    }

    private ReplyEffect<ServerEvent, ServerState> delete(ServerState.Active state, BackupCommand.DeleteJob delete) {
        if (state.backups().job(delete.jobId()) == null) {
            return refuse(delete.replyTo(), Problem.notFound("no backup job " + delete.jobId()));
        }
        progress.remove(delete.jobId());
        return persist(state, List.of(new BackupEvent.JobDeleted(delete.jobId(), delete.by(),
                entity.clock.instant())), newState -> delete.replyTo().tell(StatusReply.ack()));
    }

    private ReplyEffect<ServerEvent, ServerState> runNow(ServerState.Active state, BackupCommand.RunNow run) {
        BackupJob job = state.backups().job(run.jobId());
        if (job == null) {
            return refuse(run.replyTo(), Problem.notFound("no backup job " + run.jobId()));
        }
        Optional<Problem> blocked = whyNotNow(state, job);
        if (blocked.isPresent()) {
            return refuse(run.replyTo(), blocked.get());
        }
        Optional<String> untrusted = BackupDecisions.whyNoTrustedKey(job);
        if (untrusted.isPresent()) {
            return refuse(run.replyTo(), Problem.conflict(untrusted.get()));
        }
        Instant now = entity.clock.instant();
        BackupEvent.RunStarted started = started(job, BackupEvent.Trigger.MANUAL, null, run.by(), now);
        return persist(state, List.of(started), newState -> {
            sendRun((ServerState.Active) newState, started);
            run.replyTo().tell(StatusReply.success(started.runId()));
        });
    }

    private ReplyEffect<ServerEvent, ServerState> trust(ServerState.Active state, BackupCommand.TrustHostKey trust) {
        BackupJob job = state.backups().job(trust.jobId());
        if (job == null) {
            return refuse(trust.replyTo(), Problem.notFound("no backup job " + trust.jobId()));
        }
        HostKey seen = job.hostKey().seen();
        if (seen == null) {
            return refuse(trust.replyTo(), Problem.conflict("the agent has not fetched the destination's host key"
                    + " yet" + (job.hostKey().error() == null ? "" : ": " + job.hostKey().error())));
        }
        if (!seen.fingerprint().equals(trust.fingerprint())) {
            return refuse(trust.replyTo(), Problem.conflict("the fingerprint " + trust.fingerprint()
                    + " is not the destination's: the agent fetched " + seen.fingerprint()));
        }
        if (job.hostKey().trustedKey().isPresent()) {
            return entity.effects.reply(trust.replyTo(), StatusReply.success(view(state)));
        }
        return persist(state, List.of(new BackupEvent.HostKeyTrusted(job.id(), seen.fingerprint(), trust.by(),
                entity.clock.instant())), newState -> {
                    trust.replyTo().tell(StatusReply.success(view((ServerState.Active) newState)));
                    entity.actor.getSelf().tell(new Wake()); // a run refused for want of a key may be owed
                });
    }

    private ReplyEffect<ServerEvent, ServerState> browse(ServerState.Active state, BackupCommand.Browse browse) {
        BackupJob job = state.backups().job(browse.jobId());
        if (job == null) {
            return refuse(browse.replyTo(), Problem.notFound("no backup job " + browse.jobId()));
        }
        Optional<Problem> problem = snapshotProblem(job, browse.snapshot())
                .or(() -> whyNotNow(state, job));
        if (problem.isPresent()) {
            return refuse(browse.replyTo(), problem.get());
        }
        String path = browse.path();
        if (!path.equals("/") && !BackupPaths.withinAny(path, job.settings().spec().sources())
                && job.settings().spec().sources().stream().noneMatch(source -> BackupPaths.within(source, path))) {
            return refuse(browse.replyTo(), Problem.invalid("path: " + path + " is not in the job's sources"));
        }
        String commandId = EntityContext.newCommandId();
        NodeMessage.BrowseSnapshot frame = new NodeMessage.BrowseSnapshot(commandId, job.settings().spec(),
                job.hostKey().trustedKey().orElseThrow(), browse.snapshot(), path);
        ActorRef<StatusReply<AgentMessage.SnapshotTree>> replyTo = browse.replyTo();
        channel.ask(commandId, frame, ASK_TIMEOUT, (answer, failure) -> {
            if (answer instanceof AgentMessage.SnapshotTree tree) {
                return new Browsed(replyTo, tree, null, null);
            }
            return new Browsed(replyTo, null, failure == null ? Problem.Code.UPSTREAM_FAILED : failure.code(),
                    failure == null ? "unexpected answer from the agent" : failure.getMessage());
        });
        return entity.effects.noReply();
    }

    private ReplyEffect<ServerEvent, ServerState> restore(ServerState.Active state, BackupCommand.Restore restore) {
        BackupJob job = state.backups().job(restore.jobId());
        if (job == null) {
            return refuse(restore.replyTo(), Problem.notFound("no backup job " + restore.jobId()));
        }
        Optional<Problem> problem = snapshotProblem(job, restore.snapshot()).or(() -> whyNotNow(state, job));
        if (problem.isPresent()) {
            return refuse(restore.replyTo(), problem.get());
        }
        if (!BackupPaths.withinAny(restore.path(), job.settings().spec().sources())) {
            return refuse(restore.replyTo(), Problem.invalid("path: " + restore.path()
                    + " is not in the job's sources"));
        }
        AgentBackups agent = state.backups().agent();
        String landing = restore.target() != null ? restore.target() : restore.path();
        if (agent.enabled() && !BackupPaths.withinAny(landing, agent.allowSources())) {
            // The agent would refuse it; say so now, with the list that refuses it.
            return refuse(restore.replyTo(), Problem.refused("the agent restores only inside its allowSources "
                    + agent.allowSources() + "; " + landing + " is outside them"));
        }
        String restoreId = EntityContext.newCommandId();
        Instant now = entity.clock.instant();
        NodeMessage.RestoreFiles frame = new NodeMessage.RestoreFiles(restoreId, job.settings().spec(),
                job.hostKey().trustedKey().orElseThrow(), restore.snapshot(), restore.path(), restore.target());
        return persist(state, List.of(new BackupEvent.RestoreStarted(job.id(), restoreId, restore.snapshot(),
                restore.path(), restore.target(), restore.by(), now)), newState -> {
                    channel.send(frame);
                    restore.replyTo().tell(StatusReply.success(restoreId));
                });
    }

    /** Why nothing can be sent to the agent for {@code job} now (409/503), if so. */
    private Optional<Problem> whyNotNow(ServerState.Active state, BackupJob job) {
        if (!channel.isConnected()) {
            return Optional.of(Problem.notConnected("the agent is not connected"));
        }
        if (job.running() != null) {
            return Optional.of(Problem.conflict("a run of " + job.settings().name()
                    + " is in progress; the destination is busy until it ends"));
        }
        if (job.restores().stream().anyMatch(r -> r.state() == BackupJob.RestoreState.RUNNING)) {
            return Optional.of(Problem.conflict("a restore of " + job.settings().name() + " is in progress"));
        }
        if (destinationBusy(state, job)) {
            return Optional.of(Problem.conflict("another job is writing to the same destination"));
        }
        return Optional.empty();
    }

    private static Optional<Problem> snapshotProblem(BackupJob job, String snapshot) {
        if (!SnapshotName.isValid(snapshot)) {
            return Optional.of(Problem.invalid("snapshot: '" + snapshot + "' is not a snapshot name"));
        }
        if (!job.snapshots().contains(snapshot)) {
            return Optional.of(Problem.notFound("no snapshot " + snapshot + " of " + job.settings().name()));
        }
        if (BackupDecisions.whyNoTrustedKey(job).isPresent()) {
            return Optional.of(Problem.conflict(BackupDecisions.whyNoTrustedKey(job).get()));
        }
        return Optional.empty();
    }

    private static Optional<Problem> nameClash(ServerState.Active state, BackupSettings settings,
            @Nullable String self) {
        return state.backups().jobs().values().stream()
                .filter(other -> !other.id().equals(self)
                        && other.settings().name().equalsIgnoreCase(settings.name()))
                .findFirst()
                .map(other -> Problem.conflict("name: this server already has a backup job called "
                        + other.settings().name()));
    }

    /** The agent's listing (or why there is none), for the person who asked. */
    record Browsed(ActorRef<StatusReply<AgentMessage.SnapshotTree>> replyTo, AgentMessage.@Nullable SnapshotTree tree,
            Problem.@Nullable Code code, @Nullable String error) implements BackupCommand, CborSerializable {}

    private ReplyEffect<ServerEvent, ServerState> browsed(Browsed browsed) {
        AgentMessage.SnapshotTree tree = browsed.tree();
        if (tree == null) {
            return refuse(browsed.replyTo(), new Problem(browsed.code(), browsed.error()));
        }
        if (tree.failure() != null) {
            Problem.Code code = tree.failure() == BackupFailure.DESTINATION_BUSY ? Problem.Code.CONFLICT
                    : tree.failure() == BackupFailure.NOT_ALLOWED ? Problem.Code.REFUSED
                    : Problem.Code.UPSTREAM_FAILED;
            return refuse(browsed.replyTo(), new Problem(code, tree.error() == null
                    ? "the agent could not list the snapshot (" + tree.failure().wireName() + ")" : tree.error()));
        }
        return entity.effects.reply(browsed.replyTo(), StatusReply.success(tree));
    }

    // ---------------------------------------------------------------- the schedule

    private ReplyEffect<ServerEvent, ServerState> wake(ServerState.Active state) {
        Instant now = entity.clock.instant();
        List<ServerEvent> events = new ArrayList<>();
        List<BackupEvent.RunStarted> starts = new ArrayList<>();
        Set<String> busyDestinations = new HashSet<>();
        for (BackupJob job : state.backups().jobs().values()) {
            if (job.running() != null) {
                busyDestinations.add(destinationKey(job));
            }
        }
        leaseHeld.keySet().retainAll(state.backups().jobs().values().stream()
                .filter(job -> job.running() != null).map(job -> job.running().id()).toList());
        for (BackupJob job : state.backups().jobs().values()) {
            boolean busy = job.running() == null && busyDestinations.contains(destinationKey(job));
            for (BackupDecisions.Step step : BackupDecisions.steps(job, now,
                    new BackupDecisions.Conditions(channel.isConnected(), busy, entity.settings.backupTiming(),
                            holdLeaseIfPaused(job, now)))) {
                if (step instanceof BackupDecisions.Step.Lost lost) {
                    events.add(new BackupEvent.RunFailed(job.id(), lost.runId(), null, lost.reason(), List.of(),
                            now));
                } else if (step instanceof BackupDecisions.Step.Missed missed) {
                    events.add(new BackupEvent.RunsMissed(job.id(), missed.count(), missed.first(), missed.last(),
                            missed.reason(), now));
                } else if (step instanceof BackupDecisions.Step.Refuse refused) {
                    events.add(new BackupEvent.RunRefused(job.id(), null, BackupFailure.HOST_KEY_UNKNOWN,
                            refused.reason(), refused.dueFor(), now));
                } else if (step instanceof BackupDecisions.Step.Start start) {
                    BackupEvent.RunStarted started = started(job, start.catchUp() ? BackupEvent.Trigger.CATCH_UP
                            : BackupEvent.Trigger.SCHEDULE, start.dueFor(), null, now);
                    events.add(started);
                    starts.add(started);
                    busyDestinations.add(destinationKey(job));
                }
            }
            askHostKeyIfNeeded(job, now);
        }
        List<NodeMessage.VerifySnapshot> verifies = verifiesDue(state, busyDestinations, now);
        return persist(state, events, newState -> {
            ServerState.Active active = (ServerState.Active) newState;
            starts.forEach(started -> sendRun(active, started));
            verifies.forEach(verify -> {
                verifySent.put(verify.job().jobId(), now);
                channel.send(verify);
            });
        });
    }

    /**
     * Until when the running run's lease is held: a lease found ended when this process stood still longer than the
     * timers' tolerance at some time since the run began is held {@link BackupDecisions#LEASE_HOLD} more, once. A
     * suspended VM wakes with this wake overdue and the agent's result perhaps unread; calling the run lost would raise
     * an alert the result clears a moment later, and could start the next run while the agent may still be writing.
     * (Any such pause during the run counts, as for the start window: at worst a lost run is called 60 s later.)
     */
    private @Nullable Instant holdLeaseIfPaused(BackupJob job, Instant now) {
        BackupJob.Run running = job.running();
        if (running == null || running.leaseUntil() == null || now.isBefore(running.leaseUntil())) {
            return null;
        }
        Instant held = leaseHeld.get(running.id());
        if (held != null) {
            return held;
        }
        // Once by the map of holds, not by the window's flag: the window only says whether a pause earns the hold.
        Optional<Duration> paused = OneMoreWindow.from(running.startedAt())
                .earned(cluster, entity.settings.overdueTimers().tolerance());
        if (paused.isEmpty()) {
            return null;
        }
        held = now.plus(BackupDecisions.LEASE_HOLD);
        leaseHeld.put(running.id(), held);
        entity.actor.getLog().info("{}: backup run {} reached its lease without a result, but this process stood"
                + " still for {} ms meanwhile; waiting {} s more for the agent", entity.serverId, running.id(),
                paused.get().toMillis(), BackupDecisions.LEASE_HOLD.toSeconds());
        return held;
    }

    private List<NodeMessage.VerifySnapshot> verifiesDue(ServerState.Active state, Set<String> busy, Instant now) {
        List<NodeMessage.VerifySnapshot> due = new ArrayList<>();
        if (!channel.isConnected()) {
            return due;
        }
        for (BackupJob job : state.backups().jobs().values()) {
            Instant sent = verifySent.get(job.id());
            if (job.running() != null || busy.contains(destinationKey(job)) || !BackupDecisions.verifyDue(job, now)
                    || sent != null && sent.plus(VERIFY_RETRY).isAfter(now)
                    || job.restores().stream().anyMatch(r -> r.state() == BackupJob.RestoreState.RUNNING)) {
                continue;
            }
            job.hostKey().trustedKey().ifPresent(key -> {
                due.add(new NodeMessage.VerifySnapshot(EntityContext.newCommandId(), job.settings().spec(), key,
                        COVERAGE_DAYS));
                busy.add(destinationKey(job));
            });
        }
        return due;
    }

    private void askHostKeyIfNeeded(BackupJob job, Instant now) {
        Instant asked = hostKeyAsked.get(job.id());
        boolean needed = job.hostKey().seen() == null;
        if (!needed || !channel.isConnected() || asked != null && asked.plus(HOST_KEY_RETRY).isAfter(now)) {
            return;
        }
        hostKeyAsked.put(job.id(), now);
        String commandId = EntityContext.newCommandId();
        String jobId = job.id();
        channel.ask(commandId, new NodeMessage.FetchHostKey(commandId, job.settings().spec().destination()),
                ASK_TIMEOUT, (answer, problem) -> {
                    if (answer instanceof AgentMessage.HostKeyFetched fetched && fetched.hostKey() != null) {
                        return new HostKeyAnswered(jobId, fetched.hostKey(), null);
                    }
                    String error = answer instanceof AgentMessage.HostKeyFetched fetched && fetched.error() != null
                            ? fetched.error() : problem != null ? problem.getMessage() : "the agent could not fetch it";
                    return new HostKeyAnswered(jobId, null, error);
                });
    }

    private ReplyEffect<ServerEvent, ServerState> hostKeyAnswered(ServerState.Active state, HostKeyAnswered answer) {
        BackupJob job = state.backups().job(answer.jobId());
        if (job == null || job.hostKey().seen() != null) {
            return entity.effects.noReply();
        }
        Instant now = entity.clock.instant();
        if (answer.hostKey() == null) {
            if (answer.error().equals(job.hostKey().error())) {
                return entity.effects.noReply(); // the same failure again is no news
            }
            return persist(state, List.of(new BackupEvent.HostKeyUnavailable(job.id(), answer.error(), now)), s -> {});
        }
        return persist(state, List.of(new BackupEvent.HostKeySeen(job.id(), answer.hostKey(), now)), s -> {});
    }

    private BackupEvent.RunStarted started(BackupJob job, BackupEvent.Trigger trigger, @Nullable Instant dueFor,
            @Nullable String by, Instant now) {
        String last = job.lastGood() == null ? null : job.lastGood().snapshot();
        for (BackupJob.Run run : job.runs()) {
            if (run.snapshot() != null && (last == null || run.snapshot().compareTo(last) > 0)) {
                last = run.snapshot(); // failed attempts' names are taken too (their directories may remain)
            }
        }
        return new BackupEvent.RunStarted(job.id(), EntityContext.newCommandId(), SnapshotName.after(now, last),
                trigger, dueFor, by, BackupDecisions.leaseUntil(job.settings(), now), now);
    }

    private void sendRun(ServerState.Active state, BackupEvent.RunStarted started) {
        BackupJob job = state.backups().job(started.jobId());
        BackupSettings settings = job.settings();
        unconfirmed.put(started.runId(), OneMoreWindow.from(entity.clock.instant()));
        entity.timers.startSingleTimer("backup-confirm-" + started.runId(), new StartUnconfirmed(started.runId()),
                BackupDecisions.START_CONFIRMATION);
        channel.send(new NodeMessage.BackupRun(started.runId(), settings.spec(),
                started.snapshot(), job.hostKey().trustedKey().orElseThrow(), settings.retention(),
                settings.schedule().retentionZone().getId()));
    }

    private ReplyEffect<ServerEvent, ServerState> startUnconfirmed(ServerState.Active state, String runId) {
        OneMoreWindow sent = unconfirmed.get(runId);
        if (sent == null) {
            return entity.effects.noReply();
        }
        Optional<Duration> paused = sent.earned(cluster, entity.settings.overdueTimers().tolerance());
        if (paused.isPresent()) {
            // This process stood still while the agent had the run (a suspended VM, a long GC): the agent's word may
            // be unread still, behind the timer that fired as soon as the process woke. One more window, once.
            entity.actor.getLog().info("{}: backup run {} unconfirmed, but this process stood still for {} ms"
                    + " meanwhile; waiting {} s more for the agent", entity.serverId, runId, paused.get().toMillis(),
                    BackupDecisions.START_CONFIRMATION.toSeconds());
            unconfirmed.put(runId, sent.taken());
            entity.timers.startSingleTimer("backup-confirm-" + runId, new StartUnconfirmed(runId),
                    BackupDecisions.START_CONFIRMATION);
            return entity.effects.noReply();
        }
        unconfirmed.remove(runId);
        Duration waited = sent.given()
                ? BackupDecisions.START_CONFIRMATION.multipliedBy(2) : BackupDecisions.START_CONFIRMATION;
        for (BackupJob job : state.backups().jobs().values()) {
            if (job.running() != null && job.running().id().equals(runId)) {
                return persist(state, List.of(new BackupEvent.RunFailed(job.id(), runId, null,
                        "the agent did not confirm the start within " + waited.toSeconds() + " s (disconnected?)",
                        List.of(), entity.clock.instant())), s -> {});
            }
        }
        return entity.effects.noReply();
    }

    // ---------------------------------------------------------------- the agent's frames

    private ReplyEffect<ServerEvent, ServerState> fromAgent(ServerState.Active state, BackupCommand.FromAgent from) {
        channel.connectIfUnknown(from.connection());
        AgentMessage message = from.message();
        Instant now = entity.clock.instant();
        if (message instanceof AgentMessage.BackupInfo info) {
            AgentBackups agent = new AgentBackups(info.enabled(), info.publicKey(), info.allowSources(),
                    info.allowDestinations(), info.rsyncVersion());
            entity.actor.getSelf().tell(new Wake());
            return agent.equals(state.backups().agent()) ? entity.effects.noReply()
                    : persist(state, List.of(new BackupEvent.AgentBackupsChanged(agent, now)), s -> {});
        }
        if (message instanceof AgentMessage.BackupProgress update) {
            confirm(update.commandId());
            progress.put(update.jobId(), update);
            live.tellSubscribers(new ServerUpdate.BackupProgressed(entity.serverId.value(), update.jobId(), update));
            return entity.effects.noReply();
        }
        if (message instanceof AgentMessage.BackupRunResult result) {
            return runResult(state, result, from.connection());
        }
        if (message instanceof AgentMessage.RestoreResult result) {
            return restoreResult(state, result, from.connection());
        }
        if (message instanceof AgentMessage.VerifyResult result) {
            return verifyResult(state, result, from.connection());
        }
        return entity.effects.noReply();
    }

    private void confirm(String commandId) {
        if (unconfirmed.remove(commandId) != null) {
            entity.timers.cancel("backup-confirm-" + commandId);
        }
    }

    private ReplyEffect<ServerEvent, ServerState> runResult(ServerState.Active state,
            AgentMessage.BackupRunResult result, ActorRef<AgentCommand> connection) {
        confirm(result.runId());
        BackupJob job = state.backups().job(result.jobId());
        BackupJob.Run run = job == null ? null : job.runFor(result.runId());
        boolean recorded = run != null && run.state() != BackupJob.RunState.RUNNING
                && (run.state() != BackupJob.RunState.FAILED || run.failure() != null);
        if (job == null || run == null || recorded) {
            // Deleted since, long forgotten, or already recorded (a result sent again after a reconnect).
            acknowledge(connection, result.runId());
            return entity.effects.noReply();
        }
        progress.remove(job.id());
        Instant now = entity.clock.instant();
        List<ServerEvent> events = new ArrayList<>();
        if (result.outcome() == BackupOutcome.SUCCEEDED || result.outcome() == BackupOutcome.WARNING) {
            events.add(new BackupEvent.RunCompleted(job.id(), result.runId(),
                    result.outcome() == BackupOutcome.WARNING, result.snapshot(), result.stats(),
                    result.problemFiles(), result.lastLines(), result.snapshots(), now));
            if (!result.pruned().isEmpty()) {
                events.add(new BackupEvent.SnapshotsPruned(job.id(), result.runId(), result.pruned(), now));
            }
        } else if (result.outcome() == BackupOutcome.REFUSED) {
            events.add(new BackupEvent.RunRefused(job.id(), result.runId(), result.failure(),
                    result.reason() == null ? "refused by the agent" : result.reason(), null, now));
        } else {
            BackupFailure failure = result.failure() == null ? BackupFailure.RSYNC_FAILED : result.failure();
            events.add(new BackupEvent.RunFailed(job.id(), result.runId(), failure,
                    result.reason() == null ? "the run failed" : result.reason(), result.lastLines(), now));
            if (failure == BackupFailure.HOST_KEY_CHANGED && !job.hostKey().changed()) {
                String expected = job.hostKey().trustedFingerprint();
                events.add(new BackupEvent.HostKeyChanged(job.id(), expected == null ? "" : expected, now));
                hostKeyAsked.remove(job.id()); // fetch the new one, for a person to compare
            }
        }
        return persist(state, events, newState -> {
            acknowledge(connection, result.runId());
            entity.actor.getSelf().tell(new Wake()); // a due time may have waited for this run
        });
    }

    private ReplyEffect<ServerEvent, ServerState> restoreResult(ServerState.Active state,
            AgentMessage.RestoreResult result, ActorRef<AgentCommand> connection) {
        BackupJob job = state.backups().job(result.jobId());
        boolean open = job != null && job.restores().stream()
                .anyMatch(r -> r.id().equals(result.restoreId()) && r.state() == BackupJob.RestoreState.RUNNING);
        if (!open) {
            acknowledge(connection, result.restoreId());
            return entity.effects.noReply();
        }
        progress.remove(job.id());
        return persist(state, List.of(new BackupEvent.RestoreFinished(job.id(), result.restoreId(), result.ok(),
                result.failure(), result.reason(), result.files(), result.bytes(), result.lastLines(),
                entity.clock.instant())), newState -> acknowledge(connection, result.restoreId()));
    }

    private ReplyEffect<ServerEvent, ServerState> verifyResult(ServerState.Active state,
            AgentMessage.VerifyResult result, ActorRef<AgentCommand> connection) {
        BackupJob job = state.backups().job(result.jobId());
        if (job == null || job.verification() != null && job.verification().verifyId().equals(result.verifyId())) {
            acknowledge(connection, result.verifyId());
            return entity.effects.noReply();
        }
        progress.remove(job.id());
        verifySent.remove(job.id());
        return persist(state, List.of(new BackupEvent.Verified(job.id(), result.verifyId(), result.ok(),
                result.failure(), result.reason(), result.snapshot(), result.checked(), result.skippedChanged(),
                result.mismatched(), result.coveragePercent(), entity.clock.instant())),
                newState -> acknowledge(connection, result.verifyId()));
    }

    private static void acknowledge(ActorRef<AgentCommand> connection, String commandId) {
        connection.tell(new AgentCommand.Send(new NodeMessage.BackupAck(commandId)));
    }

    // ---------------------------------------------------------------- shared

    /**
     * Persists {@code events} with the alert transitions the backup series now cause, then runs {@code after},
     * pushes the jobs to the pages watching and sets the next wake.
     */
    private ReplyEffect<ServerEvent, ServerState> persist(ServerState.Active state, List<? extends ServerEvent> events,
            Consumer<ServerState> after) {
        Instant now = entity.clock.instant();
        BackupBook book = state.backups();
        for (ServerEvent event : events) {
            book = book.apply((BackupEvent) event);
        }
        List<ServerEvent> all = new ArrayList<>(events);
        all.addAll(alerts.evaluate(state, BackupDecisions.series(book, now), now, now,
                series -> series.startsWith(BackupSeries.PREFIX)));
        if (all.isEmpty()) {
            scheduleWake(book, now);
            after.accept(state);
            return entity.effects.noReply();
        }
        BackupBook next = book;
        return entity.effects.persist(all).thenRun(newState -> {
            after.accept(newState);
            if (!events.isEmpty()) {
                live.tellSubscribers(new ServerUpdate.BackupsChanged(entity.serverId.value(),
                        view((ServerState.Active) newState)));
            }
            if (all.size() > events.size()) {
                live.publishChanged(newState); // alert counts on the cards
            }
            scheduleWake(next, now);
        }).thenNoReply();
    }

    private void scheduleWake(BackupBook book, Instant now) {
        if (book.jobs().isEmpty()) {
            entity.timers.cancel(WAKE_TIMER);
            return;
        }
        Instant wake = book.jobs().values().stream()
                .map(job -> BackupDecisions.nextWake(job, now, entity.settings.backupTiming(),
                        job.running() == null ? null : leaseHeld.get(job.running().id())))
                .min(Instant::compareTo).orElseThrow();
        entity.timers.startSingleTimer(WAKE_TIMER, new Wake(), Duration.between(now, wake));
    }

    private <T> ReplyEffect<ServerEvent, ServerState> refuse(ActorRef<StatusReply<T>> replyTo, Problem problem) {
        return entity.effects.reply(replyTo, StatusReply.error(problem));
    }

    BackupsView view(ServerState.Active state) {
        return new BackupsView(List.copyOf(state.backups().jobs().values()), state.backups().agent(),
                channel.isConnected(), progress, entity.clock.instant(), entity.settings.backupTiming());
    }

    private static boolean destinationBusy(ServerState.Active state, BackupJob job) {
        return state.backups().jobs().values().stream().anyMatch(other -> !other.id().equals(job.id())
                && other.running() != null && other.settings().sameDestination(job.settings()));
    }

    private static String destinationKey(BackupJob job) {
        return job.settings().spec().destination().address() + job.settings().spec().destination().path();
    }

}
