package io.steward.node.checks;

import static java.util.Objects.requireNonNull;

import io.steward.core.checks.CheckDefinition;
import io.steward.core.checks.CheckResult;
import io.steward.core.checks.CheckState;
import io.steward.core.checks.FailureReason;
import io.steward.core.checks.PhaseTimings;
import io.steward.core.checks.ProbeOutcome;
import io.steward.core.checks.QuorumDecision;
import io.steward.core.checks.VantageState;
import io.steward.core.checks.VantageTally;
import io.steward.node.alerting.ActiveAlert;
import io.steward.node.alerting.RuleSource;
import io.steward.node.problem.Problem;
import io.steward.node.server.AlertEvent;
import io.steward.node.server.ClusterHealth;
import io.steward.node.server.ServerEntity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One check: a sharded, event-sourced actor owning its definition, its quorum state and its alerts. A check runs
 * from many servers, so it is an entity of its own rather than part of one server's: every vantage's results meet
 * here, in one place that judges them in order, and it moves to a surviving node like the server entities do.
 *
 * <p>Results are not persisted (they go to the metric store as series); only what changes is — the state, a new
 * certificate, a crossed expiry threshold, alert transitions — so the history is the check's story, not its
 * samples. The running tallies of the vantages live in memory and are seeded after a restart from the verdicts of
 * the last state change, so a check that was down is not declared up, nor re-alerted, by a node restart.
 */
public final class CheckEntity
        extends EventSourcedBehaviorWithEnforcedReplies<CheckCommand, CheckEvent, CheckEntityState> {

    public static final EntityTypeKey<CheckCommand> TYPE_KEY = EntityTypeKey.create(CheckCommand.class, "Check");

    /**
     * What an entity needs from the rest of the node; {@code cluster} for its pause watch (a vantage's result ages
     * only while this process runs).
     */
    public record Collaborators(RuleSource rules, MaintenanceSource maintenance, CheckSeriesSink series, Clock clock,
            ClusterHealth cluster) {
        public static final Collaborators NONE = new Collaborators(RuleSource.NONE, MaintenanceSource.NONE,
                CheckSeriesSink.NONE, Clock.systemUTC(), ClusterHealth.SETTLED);

        public Collaborators {
            requireNonNull(rules, "rules is null");
            requireNonNull(maintenance, "maintenance is null");
            requireNonNull(series, "series is null");
            requireNonNull(clock, "clock is null");
            requireNonNull(cluster, "cluster is null");
        }
    }

    public static Behavior<CheckCommand> create(String checkId, Collaborators collaborators) {
        return create(checkId, collaborators, null);
    }

    /**
     * @param shard the shard running the entity ({@code EntityContext.getShard()}), asked to passivate an entity
     *     that finds itself undefined or deleted; null outside sharding
     */
    public static Behavior<CheckCommand> create(String checkId, Collaborators collaborators,
            ActorRef<ClusterSharding.ShardCommand> shard) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers ->
                new CheckEntity(checkId, collaborators, timers, context.getSelf(), shard)));
    }

    public static PersistenceId persistenceId(String checkId) {
        return PersistenceId.of(TYPE_KEY.name(), checkId);
    }

    private static final String TICK = "tick";
    private static final String FORGET_TIMER = "forget-if-unknown";
    /** Long enough for the commands that started a fresh entity to be handled first (they were stashed). */
    private static final Duration FORGET_UNKNOWN_AFTER = Duration.ofSeconds(1);
    /** The message of a failing standing carried over a restart (not a result of its own). */
    private static final String SEEDED = "as judged before the node restarted";

    private final String id;
    private final Collaborators collaborators;
    private final TimerScheduler<CheckCommand> timers;
    /** Every assigned vantage's running tally, in assignment order. */
    private final Map<String, VantageTally> tallies = new LinkedHashMap<>();
    /** Whether the node told this entity its vantages since it started (before that, every reporting one counts). */
    private boolean vantagesKnown;
    private final ActorRef<CheckCommand> self;
    /** The shard that runs this entity; null outside sharding (tests). */
    private final ActorRef<ClusterSharding.ShardCommand> shard;
    private boolean passivating;

    private CheckEntity(String checkId, Collaborators collaborators, TimerScheduler<CheckCommand> timers,
            ActorRef<CheckCommand> self, ActorRef<ClusterSharding.ShardCommand> shard) {
        super(persistenceId(checkId));
        this.id = checkId;
        this.collaborators = collaborators;
        this.timers = timers;
        this.self = self;
        this.shard = shard;
    }

    @Override
    public CheckEntityState emptyState() {
        return CheckEntityState.EMPTY;
    }

    /**
     * Alert transitions and certificate notices go to the notifier, like the servers' alerts (the same tag, the
     * same ledger).
     */
    @Override
    public Set<String> tagsFor(CheckEvent event) {
        return event instanceof CheckEvent.Alerted || event instanceof CheckEvent.CertificateExpiring
                ? Set.of(ServerEntity.ALERT_TAG) : Set.of();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(500, 2);
    }

    @Override
    public SignalHandler<CheckEntityState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), state -> {
                    if (state.exists()) {
                        seedTallies(state);
                        startTimer(state.spec().definition());
                    } else {
                        // Started with no live definition: by a define (handled before this timer fires), or
                        // remembered from a request for an unknown or deleted check, which nothing would clear.
                        timers.startSingleTimer(FORGET_TIMER, new CheckCommand.ForgetIfUnknown(),
                                FORGET_UNKNOWN_AFTER);
                    }
                })
                .build();
    }

    @Override
    public EventHandler<CheckEntityState, CheckEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(CheckEntityState::apply);
    }

    @Override
    public CommandHandlerWithReply<CheckCommand, CheckEvent, CheckEntityState> commandHandler() {
        return newCommandHandlerWithReplyBuilder().forAnyState()
                .onCommand(CheckCommand.Define.class, this::define)
                .onCommand(CheckCommand.Delete.class, this::delete)
                .onCommand(CheckCommand.Get.class, (state, get) -> state.exists()
                        ? Effect().reply(get.replyTo(), StatusReply.success(view(state)))
                        : forget(Effect().reply(get.replyTo(), StatusReply.error(notFound()))))
                .onCommand(CheckCommand.Record.class, this::record)
                .onCommand(CheckCommand.AssignVantages.class, this::assignVantages)
                .onCommand(CheckCommand.Acknowledge.class, this::acknowledge)
                .onCommand(CheckCommand.Tick.class, (state, tick) -> state.exists()
                        ? judge(state, false) : forget(Effect().noReply()))
                .onCommand(CheckCommand.Wake.class, (state, wake) -> state.exists()
                        ? Effect().noReply() : forget(Effect().noReply()))
                .onCommand(CheckCommand.ForgetIfUnknown.class, (state, forget) -> state.exists()
                        ? Effect().noReply() : forget(Effect().noReply()))
                .build();
    }

    /**
     * Asks the shard to stop this entity, which is undefined or deleted, and (remember-entities being on) to forget
     * it: otherwise a request for any well-formed id, or a deleted check, would start an entity on every start of the
     * cluster. Messages reaching the shard meanwhile are buffered and start a new incarnation. Returns
     * {@code effect}, the answer given first.
     */
    private ReplyEffect<CheckEvent, CheckEntityState> forget(ReplyEffect<CheckEvent, CheckEntityState> effect) {
        passivate();
        return effect;
    }

    private void passivate() {
        if (shard != null && !passivating) {
            passivating = true;
            shard.tell(new ClusterSharding.Passivate<>(self));
        }
    }

    private Problem notFound() {
        return Problem.notFound("unknown check " + id);
    }

    private ReplyEffect<CheckEvent, CheckEntityState> define(CheckEntityState state, CheckCommand.Define define) {
        if (define.create() && state.exists()) {
            return Effect().reply(define.replyTo(), StatusReply.error(Problem.conflict("check " + id + " exists")));
        }
        if (!define.create() && !state.exists()) {
            return forget(Effect().reply(define.replyTo(), StatusReply.error(notFound())));
        }
        boolean fresh = !state.exists();
        Instant now = collaborators.clock().instant();
        // The vantages' standings are kept through an edit: each is replaced by its next result. Starting them
        // afresh would count a failing vantage as "retrying" (up) and resolve, then fire again, an alert that
        // never ended.
        return Effect().persist(new CheckEvent.Defined(define.spec(), fresh, define.by(), now))
                .thenRun(newState -> startTimer(newState.spec().definition()))
                .thenReply(define.replyTo(), newState -> StatusReply.success(view(newState)));
    }

    private ReplyEffect<CheckEvent, CheckEntityState> delete(CheckEntityState state, CheckCommand.Delete delete) {
        if (!state.exists()) {
            return forget(Effect().reply(delete.replyTo(), StatusReply.error(notFound())));
        }
        Instant now = collaborators.clock().instant();
        List<CheckEvent> events = new ArrayList<>();
        // Its firing alerts end with it: channels that were told "firing" are told why it ended.
        for (ActiveAlert alert : state.alerts().active().values()) {
            events.add(new CheckEvent.Alerted(alert.phase() == ActiveAlert.Phase.FIRING
                    ? new AlertEvent.Resolved(alert, Double.NaN, "check deleted by " + delete.by(),
                            new io.steward.node.alerting.AlertSubject(state.spec().name(), state.spec().group(),
                                    List.of()), now)
                    : new AlertEvent.Cancelled(alert, Double.NaN, now)));
        }
        events.add(new CheckEvent.Deleted(delete.by(), now));
        return Effect().persist(events)
                .thenRun(newState -> {
                    timers.cancelAll();
                    tallies.clear();
                    passivate(); // its history stays in the journal; the entity is not remembered
                })
                .thenReply(delete.replyTo(), newState -> StatusReply.success(Done.getInstance()));
    }

    private ReplyEffect<CheckEvent, CheckEntityState> record(CheckEntityState state, CheckCommand.Record record) {
        if (!state.exists()) {
            return forget(Effect().noReply()); // deleted or never defined: its vantages' new lists are on the way
        }
        if (vantagesKnown && !tallies.containsKey(record.vantage())) {
            return Effect().noReply(); // a vantage that no longer runs it (its new list is on the way)
        }
        VantageTally tally = tallies.getOrDefault(record.vantage(), VantageTally.empty(record.vantage()));
        for (CheckResult result : record.results()) {
            tally = tally.record(result);
        }
        tallies.put(record.vantage(), tally.withReferenceReachable(record.referenceReachable()));
        return judge(state, true);
    }

    private ReplyEffect<CheckEvent, CheckEntityState> assignVantages(CheckEntityState state,
            CheckCommand.AssignVantages assign) {
        Map<String, VantageTally> kept = new HashMap<>(tallies);
        tallies.clear();
        for (String vantage : assign.vantages()) {
            tallies.put(vantage, kept.getOrDefault(vantage, VantageTally.empty(vantage)));
        }
        vantagesKnown = true;
        return state.exists() ? judge(state, false) : forget(Effect().noReply());
    }

    private ReplyEffect<CheckEvent, CheckEntityState> acknowledge(CheckEntityState state,
            CheckCommand.Acknowledge command) {
        ActiveAlert alert = state.alerts().get(command.key());
        if (alert == null) {
            ReplyEffect<CheckEvent, CheckEntityState> refused = Effect().reply(command.replyTo(),
                    StatusReply.error(Problem.notFound("no active alert " + command.key())));
            return state.exists() ? refused : forget(refused);
        }
        String comment = command.comment() == null || command.comment().isBlank() ? null : command.comment().strip();
        ActiveAlert.Acknowledgement ack =
                new ActiveAlert.Acknowledgement(command.by(), collaborators.clock().instant(), comment);
        return Effect().persist(new CheckEvent.Alerted(new AlertEvent.Acknowledged(command.key(), ack)))
                .thenReply(command.replyTo(), newState -> StatusReply.success(newState.alerts().get(command.key())));
    }

    /**
     * Judges the check now and persists what changed; after a new result ({@code measured}) the check's state
     * series get a point too (the uptime is their average).
     */
    private ReplyEffect<CheckEvent, CheckEntityState> judge(CheckEntityState state, boolean measured) {
        Instant now = collaborators.clock().instant();
        boolean maintenance = collaborators.maintenance().covers(id, state.spec().group(), now);
        CheckDecisions.Judgement judgement = CheckDecisions.judge(id, state, List.copyOf(tallies.values()), now,
                maintenance, collaborators.rules().rules(),
                collaborators.cluster()::stoodStillWithin);
        if (measured) {
            Map<String, Double> samples = new LinkedHashMap<>(judgement.samples());
            CheckState judged = judgement.decision().state() == CheckState.PENDING ? null : judgement.decision().state();
            if (judged != null) {
                // Uptime counts up and partial as available; time in maintenance is counted apart.
                samples.put(maintenance ? "check.available_maintenance" : "check.available",
                        judged == CheckState.DOWN ? 0.0 : 1.0);
            }
            collaborators.series().write(CheckId.subject(id), now, samples);
        }
        if (judgement.events().isEmpty()) {
            return Effect().noReply();
        }
        return Effect().persist(judgement.events()).thenNoReply();
    }

    private CheckView view(CheckEntityState state) {
        Instant now = collaborators.clock().instant();
        boolean maintenance = collaborators.maintenance().covers(id, state.spec().group(), now);
        CheckDecisions.Judgement judgement = tallies.isEmpty() ? null : CheckDecisions.judge(id, state,
                List.copyOf(tallies.values()), now, maintenance, collaborators.rules().rules(),
                collaborators.cluster()::stoodStillWithin);
        List<QuorumDecision.Verdict> verdicts = judgement == null ? state.verdicts() : judgement.decision().vantages();
        return new CheckView(id, state.spec(), maintenance ? CheckState.MAINTENANCE : state.state(), state.state(),
                state.since() == null ? now : state.since(), verdicts, state.failingAddresses(),
                judgement == null ? state.certificate() : judgement.certificate(),
                judgement == null ? !state.disagreeing().isEmpty() : judgement.mismatch(),
                judgement == null ? null : judgement.latencyMillis(),
                state.createdAt() == null ? now : state.createdAt(),
                state.updatedAt() == null ? now : state.updatedAt(), latest());
    }

    private Map<String, CheckView.Latest> latest() {
        Map<String, CheckView.Latest> latest = new HashMap<>();
        tallies.forEach((vantage, tally) -> {
            if (tally.latest() != null && SEEDED.equals(tally.latest().message())) {
                return; // a standing carried over a restart, not a result
            }
            if (tally.latest() != null) {
                latest.put(vantage, new CheckView.Latest(tally.latest().startedAt(), tally.latest().message()));
            }
        });
        return latest;
    }

    /**
     * After a restart: every vantage resumes its standing at the last state change, as if its last result had just
     * been judged — a failing one keeps failing (more than its retries), so its next failure keeps the check down
     * rather than starting the count again.
     */
    private void seedTallies(CheckEntityState state) {
        int retries = state.spec().definition().retries();
        Instant at = state.since() == null ? collaborators.clock().instant() : state.since();
        for (QuorumDecision.Verdict verdict : state.verdicts()) {
            VantageTally tally = VantageTally.empty(verdict.serverId());
            if (verdict.state() == VantageState.DOWN || verdict.state() == VantageState.UP) {
                boolean down = verdict.state() == VantageState.DOWN;
                CheckResult seeded = new CheckResult(id, at, down ? ProbeOutcome.DOWN : ProbeOutcome.UP,
                        down ? (verdict.reason() == null ? FailureReason.PROBE_ERROR : verdict.reason()) : null,
                        down ? SEEDED : null,
                        new PhaseTimings(null, null, null, null,
                                verdict.latencyMillis() == null ? 0 : verdict.latencyMillis()),
                        null, verdict.address(), null, List.of(), List.of());
                tally = new VantageTally(verdict.serverId(), seeded, down ? retries + 1 : 0, true);
            }
            tallies.put(verdict.serverId(), tally);
        }
    }

    private void startTimer(CheckDefinition definition) {
        // Judged again every interval even without results: a vantage that went quiet abstains after its staleness
        // limit, and maintenance windows open and close on the clock.
        Duration every = definition.interval();
        timers.startTimerWithFixedDelay(TICK, new CheckCommand.Tick(), every, every);
    }
}
