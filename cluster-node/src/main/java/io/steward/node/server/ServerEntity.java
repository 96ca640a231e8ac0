package io.steward.node.server;

import static java.util.Objects.requireNonNull;

import io.steward.core.fleet.ServerId;
import io.steward.core.protocol.ErrorCode;
import io.steward.node.alerting.RuleSource;
import io.steward.node.problem.Problem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One monitored server: a sharded, event-sourced actor with one persistence id, whose event stream is the server's
 * audit history and feeds the notifier. It persists facts about the server — never metric samples, which go to the
 * metric store.
 *
 * <p>This class is the shell: it owns the lifecycle (register, delete, the one answer for an unknown server) and
 * routes each command family to the concern that handles it — {@link PresenceHandler}, {@link DetailsHandler},
 * {@link LiveView}, {@link AgentChannel}, {@link AlertHandler}, {@link ServiceHandler}, {@link BackupHandler}. Each
 * concern's pure decisions live outside the actor ({@link AlertDecisions}, {@link RecoveryDecisions},
 * {@link BackupDecisions}); the state applies its own events
 * ({@link ServerState}). A new capability is a new concern file, a command and an event family, and a few lines here.
 */
public final class ServerEntity
        extends EventSourcedBehaviorWithEnforcedReplies<ServerCommand, ServerEvent, ServerState> {

    public static final EntityTypeKey<ServerCommand> TYPE_KEY = EntityTypeKey.create(ServerCommand.class, "Server");

    /**
     * How much longer than other requests a {@link LifecycleCommand.Delete} may take to be answered: it waits for the
     * agent's reports in flight to be stored.
     */
    public static final Duration DELETE_DRAIN_LIMIT = AgentChannel.DRAIN_LIMIT;

    private static final String FORGET_TIMER = "forget-if-unknown";
    /** Long enough for the commands that started a fresh entity to be handled first (they were stashed). */
    private static final Duration FORGET_UNKNOWN_AFTER = Duration.ofSeconds(1);

    /** Events the notifier follows (by this tag) to keep the alert read side and the outbox. */
    public static final String ALERT_TAG = "alert";

    /** What an entity needs from the rest of the node. */
    public record Collaborators(LastKnownValues lastKnown, StoredReports stored, FleetFeed fleet, RuleSource rules,
            Clock clock, OfflineThreshold offlineThreshold, ClusterHealth clusterHealth) {
        public static final Collaborators NONE = new Collaborators(LastKnownValues.NONE, StoredReports.NONE,
                FleetFeed.NONE, RuleSource.NONE, Clock.systemUTC(), OfflineThreshold.CONFIGURED, ClusterHealth.SETTLED);

        public Collaborators {
            requireNonNull(lastKnown, "lastKnown is null");
            requireNonNull(stored, "stored is null");
            requireNonNull(fleet, "fleet is null");
            requireNonNull(rules, "rules is null");
            requireNonNull(clock, "clock is null");
            requireNonNull(offlineThreshold, "offlineThreshold is null");
            requireNonNull(clusterHealth, "clusterHealth is null");
        }

        public Collaborators withLastKnown(LastKnownValues value) {
            return new Collaborators(value, stored, fleet, rules, clock, offlineThreshold, clusterHealth);
        }

        public Collaborators withStored(StoredReports value) {
            return new Collaborators(lastKnown, value, fleet, rules, clock, offlineThreshold, clusterHealth);
        }

        public Collaborators withFleet(FleetFeed value) {
            return new Collaborators(lastKnown, stored, value, rules, clock, offlineThreshold, clusterHealth);
        }

        public Collaborators withRules(RuleSource value) {
            return new Collaborators(lastKnown, stored, fleet, value, clock, offlineThreshold, clusterHealth);
        }

        public Collaborators withClock(Clock value) {
            return new Collaborators(lastKnown, stored, fleet, rules, value, offlineThreshold, clusterHealth);
        }

        public Collaborators withOfflineThreshold(OfflineThreshold value) {
            return new Collaborators(lastKnown, stored, fleet, rules, clock, value, clusterHealth);
        }

        public Collaborators withClusterHealth(ClusterHealth value) {
            return new Collaborators(lastKnown, stored, fleet, rules, clock, offlineThreshold, value);
        }
    }

    public static Behavior<ServerCommand> create(ServerId serverId, ServerEntitySettings settings,
            Collaborators collaborators) {
        return create(serverId, settings, collaborators, null);
    }

    /**
     * @param shard the shard running the entity ({@code EntityContext.getShard()}), asked to passivate an entity
     *     that finds itself unknown or deleted; null outside sharding
     */
    public static Behavior<ServerCommand> create(ServerId serverId, ServerEntitySettings settings,
            Collaborators collaborators, ActorRef<ClusterSharding.ShardCommand> shard) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers ->
                new ServerEntity(serverId, settings, collaborators, context, timers, shard)));
    }

    public static PersistenceId persistenceId(ServerId serverId) {
        return PersistenceId.of(TYPE_KEY.name(), serverId.value());
    }

    private final EntityContext entity;
    private final LiveView live;
    private final AgentChannel channel;
    private final AlertHandler alerts;
    private final PresenceHandler presence;
    private final DetailsHandler details;
    private final ServiceHandler services;
    private final BackupHandler backups;

    private ServerEntity(ServerId serverId, ServerEntitySettings settings, Collaborators collaborators,
            ActorContext<ServerCommand> context,
            TimerScheduler<ServerCommand> timers, ActorRef<ClusterSharding.ShardCommand> shard) {
        super(persistenceId(serverId));
        this.entity = new EntityContext(serverId, settings, collaborators.clock(), context, timers, Effect(), shard,
                collaborators.offlineThreshold());
        this.live = new LiveView(entity, collaborators.fleet(), collaborators.lastKnown(),
                () -> lastSequenceNumber(context));
        this.channel = new AgentChannel(entity, collaborators.clusterHealth());
        this.alerts = new AlertHandler(entity, collaborators.rules(), live);
        this.presence = new PresenceHandler(entity, live, alerts, channel, collaborators.stored(),
                collaborators.clusterHealth());
        this.details = new DetailsHandler(entity, live);
        this.services = new ServiceHandler(entity, channel, alerts, live, collaborators.clusterHealth());
        this.backups = new BackupHandler(entity, channel, alerts, live, collaborators.clusterHealth());
        channel.answersTo(services::answered);
        live.addGreeter(services::greet);
    }

    @Override
    public ServerState emptyState() {
        return new ServerState.Unregistered();
    }

    @Override
    public Set<String> tagsFor(ServerEvent event) {
        return tagsOf(event);
    }

    /**
     * Alert transitions and acknowledgements (and deletion, which ends a server's alerts) carry {@link #ALERT_TAG}:
     * what the notifier follows; so does a re-enrollment, which warns in the inbox. Silences are history only (the notifier reads the windows from their table).
     */
    static Set<String> tagsOf(ServerEvent event) {
        boolean forTheNotifier = event instanceof AlertEvent.Pending || event instanceof AlertEvent.Fired
                || event instanceof AlertEvent.Cancelled || event instanceof AlertEvent.Resolved
                || event instanceof AlertEvent.Acknowledged || event instanceof LifecycleEvent.Deleted
                || event instanceof CredentialEvent.ReEnrollmentRequested;
        return forTheNotifier ? Set.of(ALERT_TAG) : Set.of();
    }

    /** A long history is recovered from the newest snapshot plus the events after it, not replayed whole. */
    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(entity.settings.snapshotEvery(), entity.settings.keepSnapshots());
    }

    @Override
    public SignalHandler<ServerState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), state -> {
                    if (state instanceof ServerState.Removed) {
                        entity.passivate(); // remembered before it was deleted: nothing left to run
                    } else if (state instanceof ServerState.Unregistered) {
                        // Started with no history: by an agent's first attach (handled before this timer fires), or
                        // remembered from a request for an unknown id, which nothing will ever come to clear.
                        entity.timers.startSingleTimer(FORGET_TIMER, new LifecycleCommand.ForgetIfUnknown(),
                                FORGET_UNKNOWN_AFTER);
                    }
                    if (state instanceof ServerState.Active active) {
                        presence.onRecovered(active);
                        services.onRecovered(active);
                        backups.onRecovered(active);
                        live.onRecovered();
                    }
                })
                .build();
    }

    @Override
    public EventHandler<ServerState, ServerEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onAnyEvent((state, event) -> state.apply(event, entity.settings.recovery()));
    }

    @Override
    public CommandHandlerWithReply<ServerCommand, ServerEvent, ServerState> commandHandler() {
        CommandHandlerWithReplyBuilder<ServerCommand, ServerEvent, ServerState> builder =
                newCommandHandlerWithReplyBuilder();
        builder.forStateType(ServerState.Unregistered.class)
                .onCommand(LifecycleCommand.Attach.class, this::register)
                .onAnyCommand(this::unknown);
        builder.forStateType(ServerState.Active.class)
                .onCommand(LifecycleCommand.class, this::lifecycle)
                .onCommand(PresenceCommand.class, presence::onCommand)
                .onCommand(DetailsCommand.class, details::onCommand)
                .onCommand(LiveCommand.class, live::onCommand)
                .onCommand(ChannelCommand.class, channel::onCommand)
                .onCommand(AlertCommand.class, alerts::onCommand)
                .onCommand(ServiceCommand.class, services::onCommand)
                .onCommand(BackupCommand.class, backups::onCommand);
        builder.forStateType(ServerState.Removed.class)
                .onCommand(LifecycleCommand.Attach.class, (state, attach) -> entity.effects.none()
                        .thenRun(newState -> entity.passivate())
                        .thenReply(attach.replyTo(), newState ->
                                StatusReply.error(Problem.gone("server " + entity.serverId + " was deleted"))))
                // Deleted already, its cleanup (credential, journal, stored data) perhaps not: a DELETE asked again
                // after one that failed half-way (the database failed, the ask timed out) hears done and cleans up.
                .onCommand(LifecycleCommand.Delete.class, (state, delete) -> entity.effects.none()
                        .thenRun(newState -> entity.passivate())
                        .thenReply(delete.replyTo(), newState -> StatusReply.ack()))
                .onCommand(LiveCommand.Subscribe.class, (state, subscribe) -> {
                    subscribe.subscriber().tell(new ServerUpdate.Removed(entity.serverId.value()));
                    entity.passivate();
                    return entity.effects.noReply();
                })
                .onAnyCommand(this::unknown);
        return builder.build();
    }

    /**
     * The one answer of a server that is not registered (or was deleted): requests hear "unknown server". Then the
     * entity passivates: with remember-entities on, a request for any well-formed id would otherwise start an entity
     * that every start of the cluster starts again.
     */
    private ReplyEffect<ServerEvent, ServerState> unknown(ServerCommand command) {
        if (command instanceof ServerCommand.Request<?> request) {
            return entity.effects.none()
                    .thenRun(state -> entity.passivate())
                    .thenReply(request.replyTo(),
                            state -> StatusReply.error(Problem.notFound("unknown server " + entity.serverId)));
        }
        // Reports, checks, timers and unsubscribes of an unknown server: nothing to do, nothing to keep running.
        entity.passivate();
        return entity.effects.noReply();
    }

    private ReplyEffect<ServerEvent, ServerState> register(ServerState.Unregistered state,
            LifecycleCommand.Attach attach) {
        if (attach.registered()) {
            return entity.effects.none()
                    .thenRun(newState -> entity.passivate())
                    .thenReply(attach.replyTo(), newState ->
                            StatusReply.error(Problem.gone("server " + entity.serverId + " is not registered")));
        }
        channel.connect(attach.connection(), attach.connectedAt());
        return entity.effects.persist(new LifecycleEvent.Registered(attach.hostname(), attach.machineId(),
                        attach.agentVersion(), entity.clock.instant()))
                .thenReply(attach.replyTo(), newState -> StatusReply.ack());
    }

    private ReplyEffect<ServerEvent, ServerState> lifecycle(ServerState.Active state, LifecycleCommand command) {
        if (command instanceof LifecycleCommand.Attach attach) {
            return reattach(state, attach);
        }
        if (command instanceof LifecycleCommand.Delete delete) {
            return delete(delete);
        }
        if (command instanceof LifecycleCommand.ReEnroll reEnroll) {
            return reEnroll(state, reEnroll);
        }
        if (command instanceof LifecycleCommand.DecideCredential decide) {
            return decideCredential(decide);
        }
        return entity.effects.noReply(); // Wake: recovering was the point; ForgetIfUnknown: it is known
    }

    private ReplyEffect<ServerEvent, ServerState> reattach(ServerState.Active state, LifecycleCommand.Attach attach) {
        if (channel.isConnectedOtherThan(attach.connection())) {
            switch (Takeover.decide(channel.connectedAt(), attach.connectedAt(), state.presence().online(),
                    channel.connectionNodeLost())) {
                case STALE -> {
                    return entity.effects.reply(attach.replyTo(), StatusReply.error(Problem.conflict(
                            "a newer connection of this agent is attached (this attach was delivered late)")));
                }
                case IN_USE -> {
                    return entity.effects.reply(attach.replyTo(), StatusReply.error(Problem.conflict(
                            "another agent with this credential is connected and reporting")));
                }
                case TAKE_OVER -> channel.disconnect(ErrorCode.CREDENTIAL_IN_USE,
                        "a newer connection with this credential took over");
            }
        }
        Instant now = entity.clock.instant();
        Identity identity = state.identity();
        List<ServerEvent> events = new ArrayList<>(2);
        if (!Objects.equals(identity.hostname(), attach.hostname())) {
            events.add(new IdentityEvent.HostnameChanged(identity.hostname(), attach.hostname(), now));
        }
        if (!Objects.equals(identity.agentVersion(), attach.agentVersion())) {
            events.add(new IdentityEvent.AgentVersionChanged(identity.agentVersion(), attach.agentVersion(), now));
        }
        channel.connect(attach.connection(), attach.connectedAt());
        presence.onAttached(state);
        return entity.effects.persist(events).thenReply(attach.replyTo(), newState -> StatusReply.ack());
    }

    /**
     * The old credential counts as in use while its agent is connected, or reported within the approval window (a
     * reboot or a cut cable must not hand the server to whoever knows its machine id): then an admin must approve.
     */
    private ReplyEffect<ServerEvent, ServerState> reEnroll(ServerState.Active state, LifecycleCommand.ReEnroll request) {
        Instant lastSeen = state.presence().lastSeen();
        boolean needsApproval = channel.isConnected() || lastSeen != null
                && lastSeen.isAfter(entity.clock.instant().minus(entity.settings.reEnrollApprovalWindow()));
        return entity.effects.persist(new CredentialEvent.ReEnrollmentRequested(request.requestId(),
                        request.hostname(), request.remote(), needsApproval, entity.clock.instant()))
                .thenReply(request.replyTo(), newState -> StatusReply.success(needsApproval));
    }

    private ReplyEffect<ServerEvent, ServerState> decideCredential(LifecycleCommand.DecideCredential decide) {
        Instant now = entity.clock.instant();
        ServerEvent event = switch (decide.decision()) {
            case APPROVED -> new CredentialEvent.ReEnrollmentApproved(decide.requestId(), decide.by(), now);
            case DENIED -> new CredentialEvent.ReEnrollmentDenied(decide.requestId(), decide.by(), now);
            case REVOKED -> new CredentialEvent.CredentialRevoked(decide.by(), now);
        };
        return entity.effects.persist(event)
                .thenRun(newState -> {
                    if (decide.decision() != LifecycleCommand.CredentialDecision.DENIED) {
                        channel.disconnect(ErrorCode.UNAUTHORIZED, "this agent's credential was revoked by "
                                + decide.by());
                    }
                })
                .thenReply(decide.replyTo(), newState -> StatusReply.ack());
    }

    private ReplyEffect<ServerEvent, ServerState> delete(LifecycleCommand.Delete delete) {
        return entity.effects.persist(new LifecycleEvent.Deleted(delete.by(), entity.clock.instant()))
                .thenRun(newState -> {
                    entity.timers.cancelAll(); // the offline timer and every recovery timer
                    services.stop();
                    backups.stop();
                    live.removed();
                    // Answered once its agent's reports in flight are stored, so the data deleted next is all.
                    channel.revoke("server " + entity.serverId + " was deleted by " + delete.by(), delete.replyTo());
                    entity.passivate(); // a deleted server is not remembered: its history stays in the journal
                })
                .thenNoReply();
    }
}
