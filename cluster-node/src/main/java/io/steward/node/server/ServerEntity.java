package io.steward.node.server;

import static java.util.Objects.requireNonNull;

import io.steward.core.alerting.AlertEvaluation;
import io.steward.core.alerting.AlertRule;
import io.steward.core.alerting.AlertState;
import io.steward.core.alerting.DefaultRules;
import io.steward.core.alerting.RuleSelection;
import io.steward.core.alerting.ServerFacts;
import io.steward.core.alerting.Severity;
import io.steward.core.fleet.ServerDetails;
import io.steward.core.metrics.ReportSamples;
import io.steward.core.metrics.SeriesName;
import io.steward.core.protocol.MetricsReport;
import io.steward.core.services.ServiceAction;
import io.steward.core.services.ServiceState;
import io.steward.node.alerting.ActiveAlert;
import io.steward.node.alerting.AlertSubject;
import io.steward.node.alerting.RuleSource;
import io.steward.node.serialization.CborSerializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One monitored server: a sharded, event-sourced actor. It persists facts about the server (registered, renamed,
 * came online, went offline, agent upgraded...) — never metric samples, which go to the metric store — and keeps
 * the latest report and a bounded recent window in memory for the live dashboard, pushing every change to its
 * subscribers.
 *
 * <p>The persisted event stream is the server's audit history ({@code GET /api/servers/{id}/events}).
 */
public final class ServerEntity
        extends EventSourcedBehaviorWithEnforcedReplies<ServerEntity.Command, ServerEntity.Event, ServerEntity.State> {

    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Server");

    // ---------------------------------------------------------------- protocol

    public sealed interface Command extends CborSerializable {}

    /**
     * An authenticated agent connection says hello. Registers the server on first contact, records hostname and
     * agent version changes, and remembers the connection so the entity can revoke it.
     */
    public record Attach(
            String hostname,
            String machineId,
            String agentVersion,
            ActorRef<AgentCommand> connection,
            ActorRef<StatusReply<Done>> replyTo) implements Command {}

    /** A report that the metric store has accepted. Fire-and-forget: the agent's ack does not wait for this. */
    public record ReportReceived(long sequence, MetricsReport report) implements Command {}

    public record GetSummary(ActorRef<StatusReply<ServerSummary>> replyTo) implements Command {}

    public record GetDetail(ActorRef<StatusReply<ServerDetail>> replyTo) implements Command {}

    /** Edits the operator's details; only fields named in {@code patch.fields()} change. */
    public record UpdateDetails(DetailsPatch patch, String by, ActorRef<StatusReply<ServerSummary>> replyTo)
            implements Command {}

    public record Delete(String by, ActorRef<StatusReply<Done>> replyTo) implements Command {}

    /** Starts pushing {@link ServerUpdate}s to the subscriber until it stops or unsubscribes. */
    public record Subscribe(ActorRef<ServerUpdate> subscriber) implements Command {}

    public record Unsubscribe(ActorRef<ServerUpdate> subscriber) implements Command {}

    /** Acknowledges a pending or firing alert; replies with the alert as it now stands. */
    public record Acknowledge(String key, String by, String comment, ActorRef<StatusReply<ActiveAlert>> replyTo)
            implements Command {}

    /** Records the opening ({@code until} set) or closing ({@code until} null) of a maintenance window. */
    public record RecordSilence(String silenceId, Instant until, String by, String comment,
            ActorRef<StatusReply<Done>> replyTo) implements Command {}

    /**
     * The agent's latest service check (live state; transitions are persisted as events). {@code connection} lets an
     * entity that restarted or moved since the agent attached reach the agent again without waiting for a reconnect.
     */
    public record ServicesReported(Instant checkedAt, List<ServiceState> services, ActorRef<AgentCommand> connection)
            implements Command {}

    public record GetServices(ActorRef<StatusReply<ServicesView>> replyTo) implements Command {}

    /** A person asks for start/stop/restart (recorded with their name) or for log lines (not recorded). */
    public record RunServiceAction(String service, ServiceAction action, int lines, String by,
            ActorRef<StatusReply<ServiceCommandOutcome>> replyTo) implements Command {}

    public record SetAutoRestart(String service, boolean enabled, String by, ActorRef<StatusReply<Done>> replyTo)
            implements Command {}

    /** Every process on the server, fetched from the agent now (reports carry only the heaviest). */
    public record ListProcesses(ActorRef<StatusReply<ProcessListView>> replyTo) implements Command {}

    private record RecoveryDue(String service) implements Command {}

    private record CommandAnswered(ServiceCommandOutcome outcome) implements Command {}

    /** After recovery: people's actions that were in flight when the node stopped get an answer in the history. */
    private record ResolveLostActions() implements Command {}

    /** The entity's own deadline for a service command, whatever happens to the connection in between. */
    private record CommandExpired(String commandId) implements Command {}

    /** Sent to every known server at node start so entities recover and resume their offline timers. */
    public record Wake() implements Command {}

    private record OfflineCheck() implements Command {}

    private record SubscriberGone(ActorRef<ServerUpdate> subscriber) implements Command {}

    private record ConnectionGone(ActorRef<AgentCommand> connection) implements Command {}

    private record LastKnownLoaded(ServerSummary.Headline headline) implements Command {}

    /** Commands the entity sends to its agent's connection. */
    public sealed interface AgentCommand extends CborSerializable {}

    /** The server was deleted: tell the agent and close. */
    public record Revoke(String reason) implements AgentCommand {}

    /** Asks the agent for its full process list; the connection answers {@code replyTo} exactly once. */
    public record RequestProcesses(String commandId, Duration timeout,
            ActorRef<StatusReply<ProcessListView>> replyTo) implements AgentCommand {}

    public record ProcessListView(Instant collectedAt, List<MetricsReport.ProcessInfo> processes)
            implements CborSerializable {}

    /** Forwards a service command to the agent; the connection answers {@code replyTo} exactly once. */
    public record RunServiceCommand(String commandId, String service, ServiceAction action, int lines,
            Duration timeout, ActorRef<ServiceCommandOutcome> replyTo) implements AgentCommand {}

    /** How a service command ended. */
    public record ServiceCommandOutcome(String commandId, Result result, String message, List<String> lines)
            implements CborSerializable {
        public enum Result { DONE, FAILED, REFUSED, TIMED_OUT, NOT_CONNECTED }

        public ServiceCommandOutcome {
            lines = lines == null ? List.of() : List.copyOf(lines);
        }
    }

    /** The services as the API and the dashboard show them. */
    public record ServicesView(Instant checkedAt, List<ServiceView> services) implements CborSerializable {}

    public record ServiceView(ServiceState state, boolean autoRestart, ServiceBook.Recovery recovery)
            implements CborSerializable {}

    /** Which details a patch sets; a named field with a null value clears it. */
    public enum DetailField { DISPLAY_NAME, GROUP, TAGS, NOTES }

    public record DetailsPatch(
            Set<DetailField> fields, String displayName, String group, List<String> tags, String notes)
            implements CborSerializable {
        public DetailsPatch {
            fields = Set.copyOf(requireNonNull(fields, "fields is null"));
            tags = tags == null ? null : List.copyOf(tags);
        }
    }

    /** Everything the detail page needs in one answer. */
    public record ServerDetail(
            ServerSummary summary,
            SystemIdentity system,
            MetricsReport latest,
            List<WindowPoint> recent,
            long lastEventSequence) implements CborSerializable {}

    // ---------------------------------------------------------------- events

    public sealed interface Event extends CborSerializable {
        Instant at();
    }

    public record Registered(String hostname, String machineId, String agentVersion, Instant at) implements Event {}

    public record HostnameChanged(String from, String to, Instant at) implements Event {}

    public record AgentVersionChanged(String from, String to, Instant at) implements Event {}

    public record SystemChanged(SystemIdentity from, SystemIdentity to, Instant at) implements Event {}

    public record Renamed(String displayName, String by, Instant at) implements Event {}

    public record Regrouped(String group, String by, Instant at) implements Event {}

    public record Retagged(List<String> tags, String by, Instant at) implements Event {}

    public record NotesChanged(String notes, String by, Instant at) implements Event {}

    public record CameOnline(long intervalMillis, Instant at) implements Event {}

    /** The agent's spool overflowed while it could not reach a node: {@code count} reports were lost. */
    public record ReportsDropped(long count, Instant at) implements Event {}

    public record WentOffline(Instant lastSeen, Instant at) implements Event {}

    public record Deleted(String by, Instant at) implements Event {}

    /** A rule's condition started to hold; it fires if it still holds after the rule's {@code for}. */
    public record AlertPending(ActiveAlert alert, AlertSubject subject, Instant at) implements Event {}

    /** The condition no longer held before {@code for} ran out: nothing fired. */
    public record AlertCancelled(ActiveAlert alert, double value, Instant at) implements Event {}

    /** {@code subject} is absent in events persisted before notifications existed. */
    public record AlertFired(ActiveAlert alert, AlertSubject subject, Instant at) implements Event {}

    /**
     * A firing alert ended: the value recovered, or the rule no longer applies (deleted, disabled, out of scope), or
     * the series is no longer reported (a filesystem unmounted).
     */
    public record AlertResolved(ActiveAlert alert, double value, String reason, AlertSubject subject, Instant at)
            implements Event {}

    public record AlertAcknowledged(String key, ActiveAlert.Acknowledgement acknowledgement) implements Event {
        @Override
        public Instant at() {
            return acknowledgement.at();
        }
    }

    /**
     * A maintenance window was opened or closed for this server (the window itself lives in the silences table,
     * which the notifier reads; this event is the server's history of it).
     */
    public record Silenced(String silenceId, Instant until, String by, String comment, Instant at) implements Event {}

    public record SilenceEnded(String silenceId, String by, Instant at) implements Event {}

    public record ServiceWentDown(String service, String detail, Instant at) implements Event {}

    /** Running again; {@code attempts} restarts it took (0 = it came back by itself). */
    public record ServiceRecovered(String service, int attempts, Instant at) implements Event {}

    public record ServiceRestartAttempted(String service, int attempt, String commandId, Instant at)
            implements Event {}

    /** {@code nextAttemptAt} is when the next attempt is due. */
    public record ServiceRestartFailed(String service, int attempt, String reason, Instant nextAttemptAt, Instant at)
            implements Event {}

    public record ServiceRecoveryGaveUp(String service, int attempts, String reason, Instant at) implements Event {}

    public record ServiceFlapping(String service, int restartsInWindow, Instant at) implements Event {}

    public record ServiceActionRequested(String service, ServiceAction action, String by, String commandId,
            Instant at) implements Event {}

    public record ServiceActionCompleted(String service, ServiceAction action, String result, String message,
            String by, String commandId, Instant at) implements Event {}

    public record AutoRestartChanged(String service, boolean enabled, String by, Instant at) implements Event {}

    /** Events the notifier follows (by this tag) to keep the alert read side and the outbox. */
    public static final String ALERT_TAG = "alert";

    // ---------------------------------------------------------------- state

    public sealed interface State extends CborSerializable {}

    public record Unregistered() implements State {}

    public record Active(
            String hostname,
            String machineId,
            String displayName,
            String group,
            List<String> tags,
            String notes,
            boolean online,
            Instant lastSeen,
            long intervalMillis,
            String agentVersion,
            SystemIdentity system,
            Instant registeredAt,
            Map<String, ActiveAlert> alerts,
            ServiceBook services) implements State {
        public Active {
            tags = tags == null ? List.of() : List.copyOf(tags);
            // Snapshots and events from before services replay without a service book.
            services = services == null ? ServiceBook.EMPTY : services;
            // Snapshots and events from before alerting replay without alerts.
            alerts = alerts == null ? Map.of() : Map.copyOf(alerts);
        }

        Active withServices(ServiceBook value) {
            return new Active(hostname, machineId, displayName, group, tags, notes, online, lastSeen, intervalMillis,
                    agentVersion, system, registeredAt, alerts, value);
        }

        Active withRecovery(String service, ServiceBook.Recovery recovery) {
            return withServices(services.with(service, recovery));
        }

        Active withAlert(ActiveAlert alert) {
            Map<String, ActiveAlert> changed = new HashMap<>(alerts);
            changed.put(alert.key(), alert);
            return new Active(hostname, machineId, displayName, group, tags, notes, online, lastSeen, intervalMillis,
                    agentVersion, system, registeredAt, changed, services);
        }

        Active withoutAlert(String key) {
            Map<String, ActiveAlert> changed = new HashMap<>(alerts);
            changed.remove(key);
            return new Active(hostname, machineId, displayName, group, tags, notes, online, lastSeen, intervalMillis,
                    agentVersion, system, registeredAt, changed, services);
        }

        Active withHostname(String value) {
            return new Active(value, machineId, displayName, group, tags, notes, online, lastSeen, intervalMillis,
                    agentVersion, system, registeredAt, alerts, services);
        }

        Active withAgentVersion(String value) {
            return new Active(hostname, machineId, displayName, group, tags, notes, online, lastSeen, intervalMillis,
                    value, system, registeredAt, alerts, services);
        }

        Active withSystem(SystemIdentity value) {
            return new Active(hostname, machineId, displayName, group, tags, notes, online, lastSeen, intervalMillis,
                    agentVersion, value, registeredAt, alerts, services);
        }

        Active withDisplayName(String value) {
            return new Active(hostname, machineId, value, group, tags, notes, online, lastSeen, intervalMillis,
                    agentVersion, system, registeredAt, alerts, services);
        }

        Active withGroup(String value) {
            return new Active(hostname, machineId, displayName, value, tags, notes, online, lastSeen, intervalMillis,
                    agentVersion, system, registeredAt, alerts, services);
        }

        Active withTags(List<String> value) {
            return new Active(hostname, machineId, displayName, group, value, notes, online, lastSeen, intervalMillis,
                    agentVersion, system, registeredAt, alerts, services);
        }

        Active withNotes(String value) {
            return new Active(hostname, machineId, displayName, group, tags, value, online, lastSeen, intervalMillis,
                    agentVersion, system, registeredAt, alerts, services);
        }

        Active online(long interval, Instant at) {
            return new Active(hostname, machineId, displayName, group, tags, notes, true, at, interval,
                    agentVersion, system, registeredAt, alerts, services);
        }

        Active offline(Instant seen) {
            return new Active(hostname, machineId, displayName, group, tags, notes, false, seen, intervalMillis,
                    agentVersion, system, registeredAt, alerts, services);
        }
    }

    public record Removed(Instant at) implements State {}

    // ---------------------------------------------------------------- behavior

    public static Behavior<Command> create(String serverId, ServerEntitySettings settings, LastKnownValues lastKnown) {
        return create(serverId, settings, lastKnown, FleetFeed.NONE, RuleSource.NONE, Clock.systemUTC());
    }

    public static Behavior<Command> create(String serverId, ServerEntitySettings settings, LastKnownValues lastKnown,
            FleetFeed fleet, RuleSource rules) {
        return create(serverId, settings, lastKnown, fleet, rules, Clock.systemUTC());
    }

    public static Behavior<Command> create(String serverId, ServerEntitySettings settings, LastKnownValues lastKnown,
            FleetFeed fleet, RuleSource rules, Clock clock) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers ->
                new ServerEntity(serverId, settings, lastKnown, fleet, rules, clock, context, timers)));
    }

    private final String serverId;
    private final ServerEntitySettings settings;
    private final LastKnownValues lastKnown;
    private final FleetFeed fleet;
    private final RuleSource ruleSource;
    private final Clock clock;
    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;

    // Live, non-persisted view: rebuilt from the next report after a restart or rebalance.
    private MetricsReport latest;
    private ServerSummary.Headline headline;
    private final ArrayDeque<WindowPoint> recent = new ArrayDeque<>();
    private final Set<ActorRef<ServerUpdate>> subscribers = new HashSet<>();
    private ActorRef<AgentCommand> connection;
    /** The agent's latest service check, in memory only. */
    private ServicesReported latestServices;
    /** Service commands sent in this incarnation and not answered: the service (recovery) or the person's request. */
    private final Map<String, Object> pendingCommands = new HashMap<>();
    /** Services whose restart command succeeded, and by when a check must show them running. */
    private final Map<String, Instant> confirmBy = new HashMap<>();
    private ActorRef<ServiceCommandOutcome> serviceOutcomes;

    private ServerEntity(
            String serverId,
            ServerEntitySettings settings,
            LastKnownValues lastKnown,
            FleetFeed fleet,
            RuleSource ruleSource,
            Clock clock,
            ActorContext<Command> context,
            TimerScheduler<Command> timers) {
        super(PersistenceId.of(TYPE_KEY.name(), serverId));
        this.serverId = serverId;
        this.settings = settings;
        this.lastKnown = lastKnown;
        this.fleet = requireNonNull(fleet, "fleet is null");
        this.ruleSource = requireNonNull(ruleSource, "ruleSource is null");
        this.clock = clock;
        this.context = context;
        this.timers = timers;
        this.serviceOutcomes = context.messageAdapter(ServiceCommandOutcome.class, CommandAnswered::new);
    }

    @Override
    public State emptyState() {
        return new Unregistered();
    }

    @Override
    public Set<String> tagsFor(Event event) {
        return tagsOf(event);
    }

    /** Alert transitions (and deletion, which ends a server's alerts) carry {@link #ALERT_TAG}. */
    static Set<String> tagsOf(Event event) {
        return event instanceof AlertPending || event instanceof AlertFired || event instanceof AlertCancelled
                || event instanceof AlertResolved || event instanceof AlertAcknowledged || event instanceof Deleted
                ? Set.of(ALERT_TAG) : Set.of();
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), state -> {
                    if (state instanceof Active active) {
                        if (active.online()) {
                            startOfflineTimer(active.intervalMillis());
                        }
                        if (!active.services().actions().isEmpty()) {
                            context.getSelf().tell(new ResolveLostActions());
                        }
                        // Timers do not survive a restart or a move to another node: re-arm due restarts.
                        active.services().recoveries().forEach((service, recovery) -> {
                            if (recovery.phase() == ServiceBook.Phase.WAITING) {
                                scheduleRecovery(service, recovery.nextAttemptAt());
                            }
                        });
                        context.pipeToSelf(lastKnown.load(serverId), (found, failure) ->
                                new LastKnownLoaded(found == null ? null : found.orElse(null)));
                    }
                })
                .build();
    }

    @Override
    public CommandHandlerWithReply<Command, Event, State> commandHandler() {
        CommandHandlerWithReplyBuilder<Command, Event, State> builder = newCommandHandlerWithReplyBuilder();

        builder.forStateType(Unregistered.class)
                .onCommand(Attach.class, this::register)
                .onCommand(ReportReceived.class, (state, command) -> Effect().noReply())
                .onCommand(GetSummary.class, (state, command) -> Effect().reply(command.replyTo(), unknown()))
                .onCommand(GetDetail.class, (state, command) -> Effect().reply(command.replyTo(), unknown()))
                .onCommand(UpdateDetails.class, (state, command) -> Effect().reply(command.replyTo(), unknown()))
                .onCommand(Delete.class, (state, command) -> Effect().reply(command.replyTo(), unknown()));

        builder.forStateType(Active.class)
                .onCommand(Attach.class, this::reattach)
                .onCommand(ReportReceived.class, this::onReport)
                .onCommand(GetSummary.class, (state, command) ->
                        Effect().reply(command.replyTo(), StatusReply.success(summary(state))))
                .onCommand(GetDetail.class, (state, command) ->
                        Effect().reply(command.replyTo(), StatusReply.success(detail(state))))
                .onCommand(UpdateDetails.class, this::updateDetails)
                .onCommand(Delete.class, this::delete)
                .onCommand(Acknowledge.class, this::acknowledge)
                .onCommand(RecordSilence.class, (state, command) -> recordSilence(command))
                .onCommand(ServicesReported.class, this::onServices)
                .onCommand(GetServices.class, (state, command) ->
                        Effect().reply(command.replyTo(), StatusReply.success(servicesView(state))))
                .onCommand(RunServiceAction.class, this::runAction)
                .onCommand(ListProcesses.class, (state, command) -> {
                    if (connection == null) {
                        return Effect().reply(command.replyTo(), StatusReply.error("the agent is not connected"));
                    }
                    connection.tell(new RequestProcesses(newCommandId(), Duration.ofSeconds(10), command.replyTo()));
                    return Effect().noReply();
                })
                .onCommand(SetAutoRestart.class, this::setAutoRestart)
                .onCommand(RecoveryDue.class, this::recoveryDue)
                .onCommand(CommandAnswered.class, this::commandAnswered)
                .onCommand(ResolveLostActions.class, (state, command) -> {
                    Instant now = clock.instant();
                    List<Event> lost = new ArrayList<>();
                    state.services().actions().forEach((commandId, action) -> {
                        if (!pendingCommands.containsKey(commandId)) {
                            lost.add(new ServiceActionCompleted(action.service(), action.action(), "lost",
                                    "the node restarted before the agent answered; check the service's state",
                                    action.by(), commandId, now));
                        }
                    });
                    return Effect().persist(lost).thenNoReply();
                })
                .onCommand(CommandExpired.class, (state, command) -> {
                    if (pendingCommands.containsKey(command.commandId())) {
                        serviceOutcomes.tell(new ServiceCommandOutcome(command.commandId(),
                                ServiceCommandOutcome.Result.TIMED_OUT, "no answer from the agent within "
                                + settings.commandTimeout().toSeconds() + " s", List.of()));
                    }
                    return Effect().noReply();
                })
                .onCommand(Subscribe.class, this::subscribe)
                .onCommand(OfflineCheck.class, this::offlineCheck)
                .onCommand(LastKnownLoaded.class, (state, command) -> {
                    if (headline == null && command.headline() != null) {
                        headline = command.headline();
                    }
                    return Effect().noReply();
                });

        builder.forStateType(Removed.class)
                .onCommand(Attach.class, (state, command) -> Effect().reply(command.replyTo(),
                        StatusReply.error("server " + serverId + " was deleted")))
                .onCommand(ReportReceived.class, (state, command) -> Effect().noReply())
                .onCommand(GetSummary.class, (state, command) -> Effect().reply(command.replyTo(), unknown()))
                .onCommand(GetDetail.class, (state, command) -> Effect().reply(command.replyTo(), unknown()))
                .onCommand(UpdateDetails.class, (state, command) -> Effect().reply(command.replyTo(), unknown()))
                .onCommand(Delete.class, (state, command) -> Effect().reply(command.replyTo(), unknown()))
                .onCommand(Subscribe.class, (state, command) -> {
                    command.subscriber().tell(new ServerUpdate.Removed(serverId));
                    return Effect().noReply();
                });

        // Commands every state handles the same way.
        builder.forAnyState()
                .onCommand(Acknowledge.class, (state, command) -> Effect().reply(command.replyTo(), unknown()))
                .onCommand(RecordSilence.class, (state, command) -> Effect().reply(command.replyTo(), unknown()))
                .onCommand(ServicesReported.class, (state, command) -> Effect().noReply())
                .onCommand(GetServices.class, (state, command) -> Effect().reply(command.replyTo(), unknown()))
                .onCommand(RunServiceAction.class, (state, command) -> Effect().reply(command.replyTo(), unknown()))
                .onCommand(ListProcesses.class, (state, command) -> Effect().reply(command.replyTo(), unknown()))
                .onCommand(SetAutoRestart.class, (state, command) -> Effect().reply(command.replyTo(), unknown()))
                .onCommand(RecoveryDue.class, (state, command) -> Effect().noReply())
                .onCommand(CommandAnswered.class, (state, command) -> Effect().noReply())
                .onCommand(CommandExpired.class, (state, command) -> Effect().noReply())
                .onCommand(ResolveLostActions.class, (state, command) -> Effect().noReply())
                .onCommand(Subscribe.class, (state, command) -> Effect().noReply())
                .onCommand(Unsubscribe.class, (state, command) -> {
                    subscribers.remove(command.subscriber());
                    context.unwatch(command.subscriber());
                    return Effect().noReply();
                })
                .onCommand(SubscriberGone.class, (state, command) -> {
                    subscribers.remove(command.subscriber());
                    return Effect().noReply();
                })
                .onCommand(ConnectionGone.class, (state, command) -> {
                    if (command.connection().equals(connection)) {
                        connection = null;
                        // Commands sent through it will not be answered: say so now rather than at the deadline.
                        for (String commandId : List.copyOf(pendingCommands.keySet())) {
                            serviceOutcomes.tell(new ServiceCommandOutcome(commandId,
                                    ServiceCommandOutcome.Result.NOT_CONNECTED,
                                    "the agent disconnected before answering", List.of()));
                        }
                    }
                    return Effect().noReply();
                })
                .onCommand(Wake.class, (state, command) -> Effect().noReply())
                .onCommand(OfflineCheck.class, (state, command) -> Effect().noReply())
                .onCommand(LastKnownLoaded.class, (state, command) -> Effect().noReply());

        return builder.build();
    }

    private ReplyEffect<Event, State> register(Unregistered state, Attach command) {
        Instant now = clock.instant();
        rememberConnection(command.connection());
        return Effect()
                .persist(new Registered(command.hostname(), command.machineId(), command.agentVersion(), now))
                .thenReply(command.replyTo(), newState -> StatusReply.ack());
    }

    private ReplyEffect<Event, State> reattach(Active state, Attach command) {
        Instant now = clock.instant();
        List<Event> events = new ArrayList<>(2);
        if (!Objects.equals(state.hostname(), command.hostname())) {
            events.add(new HostnameChanged(state.hostname(), command.hostname(), now));
        }
        if (!Objects.equals(state.agentVersion(), command.agentVersion())) {
            events.add(new AgentVersionChanged(state.agentVersion(), command.agentVersion(), now));
        }
        rememberConnection(command.connection());
        return Effect().persist(events).thenReply(command.replyTo(), newState -> StatusReply.ack());
    }

    private void rememberConnection(ActorRef<AgentCommand> newConnection) {
        if (connection != null && !connection.equals(newConnection)) {
            context.unwatch(connection);
        }
        connection = newConnection;
        if (newConnection != null) {
            context.watchWith(newConnection, new ConnectionGone(newConnection));
        }
    }

    private ReplyEffect<Event, State> onReport(Active state, ReportReceived command) {
        MetricsReport report = command.report();
        Instant now = clock.instant();
        List<Event> events = new ArrayList<>(2);
        if (!state.online()) {
            events.add(new CameOnline(report.intervalMillis(), now));
        }
        if (report.droppedReports() > 0) {
            events.add(new ReportsDropped(report.droppedReports(), now));
        }
        boolean newest = latest == null || !report.collectedAt().isBefore(latest.collectedAt());
        SystemIdentity system = SystemIdentity.of(report.host(), report.interfaces());
        if (newest && !system.equals(state.system())) {
            events.add(new SystemChanged(state.system(), system, now));
        }
        if (newest) {
            // Alerts follow the present: a replayed old report must not fire or resolve anything.
            Map<String, Double> samples = new HashMap<>(ReportSamples.of(report));
            samples.put(AlertRule.SERVER_OFFLINE, 0.0);
            events.addAll(evaluateAlerts(state, samples, report.collectedAt(), now, series -> !isServiceSeries(series)));
        }
        return Effect().persist(events)
                .thenRun(newState -> {
                    // Replayed spool reports arrive late and out of order: only the newest one is "latest".
                    if (newest) {
                        latest = report;
                        headline = ServerSummary.Headline.of(report);
                    }
                    addToWindow(WindowPoint.of(report));
                    startOfflineTimer(report.intervalMillis());
                    if (newest) {
                        publish(new ServerUpdate.Reported(summary((Active) newState), report));
                    } else if (!events.isEmpty()) {
                        publish(new ServerUpdate.Changed(summary((Active) newState)));
                    }
                })
                .thenNoReply();
    }

    /**
     * Runs every applicable rule over {@code samples} and returns the alert transitions as events. Alerts whose rule
     * no longer applies resolve; an alert whose series is missing resolves only if this evaluation {@code owns}
     * that series (a metric report owns the metric series, a service check the service series; the offline check
     * owns only what it carries).
     */
    private List<Event> evaluateAlerts(
            Active state, Map<String, Double> samples, Instant measuredAt, Instant now,
            java.util.function.Predicate<String> owns) {
        RuleSource.Rules rules = ruleSource.rules();
        ServerFacts facts = new ServerFacts(serverId, state.group(), state.tags());
        List<Event> events = new ArrayList<>();
        Set<String> evaluated = new HashSet<>();
        for (Map.Entry<String, Double> sample : samples.entrySet()) {
            String seriesText = sample.getKey();
            int brace = seriesText.indexOf('{');
            if (!rules.metrics().contains(brace < 0 ? seriesText : seriesText.substring(0, brace))) {
                continue;
            }
            SeriesName series = SeriesName.parse(seriesText);
            double value = sample.getValue();
            for (AlertRule rule : RuleSelection.applicable(rules.all(), facts, series)) {
                String key = ActiveAlert.key(rule.id(), seriesText);
                evaluated.add(key);
                ActiveAlert existing = state.alerts().get(key);
                AlertEvaluation.Step step = AlertEvaluation.evaluate(rule, existing == null
                        ? AlertState.INACTIVE : existing.toState(), value, measuredAt);
                switch (step.transition()) {
                    case PENDING -> events.add(new AlertPending(
                            ActiveAlert.of(rule, seriesText, ActiveAlert.Phase.PENDING, measuredAt, value),
                            subject(state), now));
                    case FIRING -> events.add(new AlertFired(ActiveAlert.of(rule, seriesText,
                            ActiveAlert.Phase.FIRING, measuredAt, value)
                            .withAcknowledgement(existing == null ? null : existing.acknowledged()),
                            subject(state), now));
                    case CANCELLED -> events.add(new AlertCancelled(existing, value, now));
                    case RESOLVED -> events.add(new AlertResolved(existing, value, "recovered", subject(state), now));
                    default -> { }
                }
            }
        }
        for (ActiveAlert alert : state.alerts().values()) {
            if (evaluated.contains(alert.key())
                    || (!samples.containsKey(alert.series()) && !owns.test(alert.series()))) {
                continue;
            }
            String reason = samples.containsKey(alert.series()) ? "rule no longer applies" : "series no longer reported";
            events.add(alert.phase() == ActiveAlert.Phase.FIRING
                    ? new AlertResolved(alert, Double.NaN, reason, subject(state), now)
                    : new AlertCancelled(alert, Double.NaN, now));
        }
        return events;
    }

    private static AlertSubject subject(Active state) {
        return new AlertSubject(state.displayName() != null ? state.displayName() : state.hostname(), state.group(),
                state.tags());
    }

    private ReplyEffect<Event, State> acknowledge(Active state, Acknowledge command) {
        ActiveAlert alert = state.alerts().get(command.key());
        if (alert == null) {
            return Effect().reply(command.replyTo(), StatusReply.error("no active alert " + command.key()));
        }
        String comment = command.comment() == null || command.comment().isBlank() ? null : command.comment().strip();
        ActiveAlert.Acknowledgement ack = new ActiveAlert.Acknowledgement(command.by(), clock.instant(), comment);
        return Effect().persist(new AlertAcknowledged(command.key(), ack))
                .thenRun(newState -> publish(new ServerUpdate.Changed(summary((Active) newState))))
                .thenReply(command.replyTo(), newState ->
                        StatusReply.success(((Active) newState).alerts().get(command.key())));
    }

    private ReplyEffect<Event, State> recordSilence(RecordSilence command) {
        Instant now = clock.instant();
        Event event = command.until() == null
                ? new SilenceEnded(command.silenceId(), command.by(), now)
                : new Silenced(command.silenceId(), command.until(), command.by(), command.comment(), now);
        return Effect().persist(event).thenReply(command.replyTo(), newState -> StatusReply.ack());
    }

    // ---------------------------------------------------------------- services and their recovery

    /**
     * A service check from the agent: records went-down and recovered as facts, starts the restart policy for a
     * controllable service that just went down (the first attempt at once), notices attempts that did not bring it
     * back, and feeds the "service down" and "recovery failed" series to the alert rules.
     */
    private ReplyEffect<Event, State> onServices(Active state, ServicesReported report) {
        latestServices = report;
        if (connection == null && report.connection() != null) {
            rememberConnection(report.connection());
        }
        Instant now = clock.instant();
        List<Event> events = new ArrayList<>();
        List<String[]> attempts = new ArrayList<>(); // {service, commandId}
        Map<String, Double> samples = new HashMap<>();
        Set<String> unknown = new HashSet<>();
        ServiceBook book = state.services();
        for (ServiceState service : report.services()) {
            String name = service.name();
            ServiceBook.Recovery recovery = book.recovery(name);
            ServiceBook.Phase phase = recovery.phase();
            boolean down = service.status() == ServiceState.Status.DOWN;
            if (service.status() == ServiceState.Status.UNKNOWN) {
                unknown.add(name); // the check itself failed: neither down nor up; alerts keep their state
                continue;
            }
            if (!down) {
                confirmBy.remove(name);
                if (service.status() == ServiceState.Status.RUNNING
                        && (phase != ServiceBook.Phase.IDLE || recovery.downSince() != null)) {
                    events.add(new ServiceRecovered(name, recovery.attempts(), now));
                    phase = ServiceBook.Phase.IDLE;
                }
            } else if (phase == ServiceBook.Phase.IDLE && recovery.downSince() == null) {
                events.add(new ServiceWentDown(name, service.detail(), now));
                // A person acting on it right now (or the agent not connected) goes first: no policy restart.
                if (service.controllable() && book.autoRestart(name) && !manualActionPending(name)
                        && connection != null) {
                    if (settings.recovery().flapping(recovery.restarts(), now)) {
                        events.add(new ServiceFlapping(name,
                                settings.recovery().withinWindow(recovery.restarts(), now).size(), now));
                        phase = ServiceBook.Phase.FLAPPING;
                    } else {
                        String commandId = newCommandId();
                        events.add(new ServiceRestartAttempted(name, 1, commandId, now));
                        attempts.add(new String[] {name, commandId});
                        phase = ServiceBook.Phase.IN_FLIGHT;
                    }
                }
            } else if (phase == ServiceBook.Phase.IN_FLIGHT) {
                String reason = null;
                Instant deadline = confirmBy.get(name);
                if (!pendingCommands.containsKey(recovery.commandId()) && !confirmBy.containsKey(name)) {
                    // Sent by an earlier incarnation (node restart, rebalance): its answer is lost. It is not sent
                    // again blindly; it counts as a failed attempt and the policy goes on.
                    reason = "no answer: the node restarted while the restart was in flight";
                } else if (deadline != null && now.isAfter(deadline)) {
                    reason = "the restart command succeeded but the service is still down";
                }
                if (reason != null) {
                    confirmBy.remove(name);
                    pendingCommands.remove(recovery.commandId());
                    timers.cancel("command-" + recovery.commandId());
                    Event failed = attemptFailed(name, recovery.attempts(), reason, false, now);
                    events.add(failed);
                    phase = failed instanceof ServiceRecoveryGaveUp
                            ? ServiceBook.Phase.GAVE_UP : ServiceBook.Phase.WAITING;
                }
            }
            // A service a person stopped is not "down" for alerting.
            putSample(samples, DefaultRules.SERVICE_DOWN, name, down && phase != ServiceBook.Phase.HELD ? 1.0 : 0.0);
            putSample(samples, DefaultRules.SERVICE_RECOVERY_FAILED, name,
                    phase == ServiceBook.Phase.GAVE_UP || phase == ServiceBook.Phase.FLAPPING ? 1.0 : 0.0);
        }
        events.addAll(evaluateAlerts(state, samples, report.checkedAt(), now, series -> isServiceSeries(series)
                && unknown.stream().noneMatch(name -> series.endsWith("{service=" + name + "}"))));
        return Effect().persist(events)
                .thenRun(newState -> {
                    for (String[] attempt : attempts) {
                        sendRecovery(attempt[0], attempt[1]);
                    }
                    armRecoveryTimers(events);
                    publishServices((Active) newState);
                    if (events.stream().anyMatch(e -> e instanceof AlertFired || e instanceof AlertResolved)) {
                        publish(new ServerUpdate.Changed(summary((Active) newState)));
                    }
                })
                .thenNoReply();
    }

    /** The next attempt after a failed one, or giving up after the last (or at once when the agent refuses). */
    private Event attemptFailed(String service, int attempt, String reason, boolean refused, Instant now) {
        if (refused || !settings.recovery().mayRetry(attempt)) {
            return new ServiceRecoveryGaveUp(service, attempt, reason, now);
        }
        return new ServiceRestartFailed(service, attempt, reason,
                now.plus(settings.recovery().delayBefore(attempt + 1)), now);
    }

    private void armRecoveryTimers(List<Event> events) {
        for (Event event : events) {
            if (event instanceof ServiceRestartFailed failed) {
                scheduleRecovery(failed.service(), failed.nextAttemptAt());
            }
        }
    }

    private void scheduleRecovery(String service, Instant at) {
        Duration delay = Duration.between(clock.instant(), at);
        timers.startSingleTimer("recovery-" + service, new RecoveryDue(service),
                delay.isNegative() ? Duration.ZERO : delay);
    }

    private ReplyEffect<Event, State> recoveryDue(Active state, RecoveryDue due) {
        ServiceBook.Recovery recovery = state.services().recovery(due.service());
        if (recovery.phase() != ServiceBook.Phase.WAITING || !state.services().autoRestart(due.service())) {
            return Effect().noReply();
        }
        if (connection == null || manualActionPending(due.service())) {
            // Not an attempt: nothing can run now. Look again shortly (the agent reconnects by itself).
            scheduleRecovery(due.service(), clock.instant().plusSeconds(5));
            return Effect().noReply();
        }
        String commandId = newCommandId();
        int attempt = recovery.attempts() + 1;
        return Effect().persist(new ServiceRestartAttempted(due.service(), attempt, commandId, clock.instant()))
                .thenRun(newState -> {
                    sendRecovery(due.service(), commandId);
                    publishServices((Active) newState);
                })
                .thenNoReply();
    }

    private void sendRecovery(String service, String commandId) {
        pendingCommands.put(commandId, service);
        sendCommand(new RunServiceCommand(commandId, service, ServiceAction.RESTART, 0, settings.commandTimeout(),
                serviceOutcomes));
    }

    private void sendCommand(RunServiceCommand command) {
        timers.startSingleTimer("command-" + command.commandId(), new CommandExpired(command.commandId()),
                settings.commandTimeout().plusSeconds(5));
        if (connection == null) {
            serviceOutcomes.tell(new ServiceCommandOutcome(command.commandId(),
                    ServiceCommandOutcome.Result.NOT_CONNECTED, "the agent is not connected", List.of()));
        } else {
            connection.tell(command);
        }
    }

    private ReplyEffect<Event, State> runAction(Active state, RunServiceAction request) {
        if (request.service() == null || !ServiceState.NAME.matcher(request.service()).matches()) {
            return Effect().reply(request.replyTo(), StatusReply.error("not a service name"));
        }
        String commandId = newCommandId();
        RunServiceCommand command = new RunServiceCommand(commandId, request.service(), request.action(),
                request.lines(), settings.commandTimeout(), serviceOutcomes);
        pendingCommands.put(commandId, request);
        if (request.action() == ServiceAction.LOGS) {
            sendCommand(command);
            return Effect().noReply();
        }
        return Effect().persist(new ServiceActionRequested(request.service(), request.action(), request.by(),
                        commandId, clock.instant()))
                .thenRun(newState -> sendCommand(command))
                .thenNoReply();
    }

    private ReplyEffect<Event, State> commandAnswered(Active state, CommandAnswered answered) {
        ServiceCommandOutcome outcome = answered.outcome();
        Object pending = pendingCommands.remove(outcome.commandId());
        timers.cancel("command-" + outcome.commandId());
        Instant now = clock.instant();
        if (pending instanceof RunServiceAction request) {
            if (request.action() == ServiceAction.LOGS) {
                return Effect().reply(request.replyTo(), StatusReply.success(outcome));
            }
            return Effect().persist(new ServiceActionCompleted(request.service(), request.action(),
                            outcome.result().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                            outcome.message(), request.by(), outcome.commandId(), now))
                    .thenRun(newState -> publishServices((Active) newState))
                    .thenReply(request.replyTo(), newState -> StatusReply.success(outcome));
        }
        if (!(pending instanceof String service)) {
            return Effect().noReply(); // answered after a timeout, or for an earlier incarnation
        }
        ServiceBook.Recovery recovery = state.services().recovery(service);
        if (recovery.phase() != ServiceBook.Phase.IN_FLIGHT || !outcome.commandId().equals(recovery.commandId())) {
            return Effect().noReply();
        }
        if (outcome.result() == ServiceCommandOutcome.Result.DONE) {
            // Confirmed by a check (the agent checks right after acting); allow two intervals for a slow start.
            Duration grace = Duration.ofMillis(Math.max(5_000, 2 * state.intervalMillis()));
            confirmBy.put(service, now.plus(grace));
            return Effect().noReply();
        }
        Event failed = attemptFailed(service, recovery.attempts(), outcome.message(),
                outcome.result() == ServiceCommandOutcome.Result.REFUSED, now);
        return Effect().persist(failed)
                .thenRun(newState -> {
                    armRecoveryTimers(List.of(failed));
                    publishServices((Active) newState);
                })
                .thenNoReply();
    }

    private ReplyEffect<Event, State> setAutoRestart(Active state, SetAutoRestart command) {
        if (state.services().autoRestart(command.service()) == command.enabled()) {
            return Effect().reply(command.replyTo(), StatusReply.ack());
        }
        if (!command.enabled()) {
            timers.cancel("recovery-" + command.service());
        }
        return Effect().persist(new AutoRestartChanged(command.service(), command.enabled(), command.by(),
                        clock.instant()))
                .thenRun(newState -> publishServices((Active) newState))
                .thenReply(command.replyTo(), newState -> StatusReply.ack());
    }

    private ServicesView servicesView(Active state) {
        if (latestServices == null) {
            return new ServicesView(null, List.of());
        }
        List<ServiceView> views = new ArrayList<>();
        for (ServiceState service : latestServices.services()) {
            views.add(new ServiceView(service, state.services().autoRestart(service.name()),
                    state.services().recovery(service.name())));
        }
        return new ServicesView(latestServices.checkedAt(), views);
    }

    /** Service states go to the browsers watching this server only, not to the fleet feed. */
    private void publishServices(Active state) {
        if (latestServices == null || subscribers.isEmpty()) {
            return;
        }
        ServerUpdate update = new ServerUpdate.ServicesChanged(serverId, servicesView(state));
        for (ActorRef<ServerUpdate> subscriber : subscribers) {
            subscriber.tell(update);
        }
    }

    /** Series fed by service checks, not by metric reports. */
    private static boolean isServiceSeries(String series) {
        return series.startsWith(DefaultRules.SERVICE_DOWN + "{")
                || series.startsWith(DefaultRules.SERVICE_RECOVERY_FAILED + "{");
    }

    private boolean manualActionPending(String service) {
        return pendingCommands.values().stream().anyMatch(pending -> pending instanceof RunServiceAction request
                && request.service().equals(service) && request.action() != ServiceAction.LOGS);
    }

    private static void putSample(Map<String, Double> samples, String metric, String service, double value) {
        String series = metric + "{service=" + service + "}";
        try {
            SeriesName.parse(series);
            samples.put(series, value);
        } catch (IllegalArgumentException e) {
            // a name the series syntax cannot carry: no alert for it, the service still shows
        }
    }

    private static String newCommandId() {
        return java.util.UUID.randomUUID().toString();
    }

    private void addToWindow(WindowPoint point) {
        if (!recent.isEmpty() && point.at().isBefore(recent.peekLast().at())) {
            return; // the window shows the present; history queries cover replayed past reports
        }
        recent.addLast(point);
        while (recent.size() > settings.recentWindow()) {
            recent.removeFirst();
        }
    }

    private void startOfflineTimer(long intervalMillis) {
        timers.startSingleTimer("offline", new OfflineCheck(), settings.offlineDelay(intervalMillis));
    }

    private ReplyEffect<Event, State> offlineCheck(Active state, OfflineCheck command) {
        if (!state.online()) {
            return Effect().noReply();
        }
        Instant lastSeen = lastSeen(state);
        Instant now = clock.instant();
        List<Event> events = new ArrayList<>(2);
        events.add(new WentOffline(lastSeen, now));
        events.addAll(evaluateAlerts(state, Map.of(AlertRule.SERVER_OFFLINE, 1.0), now, now, series -> false));
        return Effect().persist(events)
                .thenRun(newState -> publish(new ServerUpdate.Changed(summary((Active) newState))))
                .thenNoReply();
    }

    private ReplyEffect<Event, State> updateDetails(Active state, UpdateDetails command) {
        DetailsPatch patch = command.patch();
        Optional<String> problem = validate(patch);
        if (problem.isPresent()) {
            return Effect().reply(command.replyTo(), StatusReply.error(problem.get()));
        }
        Instant now = clock.instant();
        List<Event> events = new ArrayList<>(4);
        if (patch.fields().contains(DetailField.DISPLAY_NAME)) {
            String value = ServerDetails.normalizeText(patch.displayName());
            if (!Objects.equals(value, state.displayName())) {
                events.add(new Renamed(value, command.by(), now));
            }
        }
        if (patch.fields().contains(DetailField.GROUP)) {
            String value = ServerDetails.normalizeText(patch.group());
            if (!Objects.equals(value, state.group())) {
                events.add(new Regrouped(value, command.by(), now));
            }
        }
        if (patch.fields().contains(DetailField.TAGS)) {
            List<String> value = ServerDetails.normalizeTags(patch.tags());
            if (!value.equals(state.tags())) {
                events.add(new Retagged(value, command.by(), now));
            }
        }
        if (patch.fields().contains(DetailField.NOTES)) {
            String value = ServerDetails.normalizeText(patch.notes());
            if (!Objects.equals(value, state.notes())) {
                events.add(new NotesChanged(value, command.by(), now));
            }
        }
        return Effect().persist(events)
                .thenRun(newState -> {
                    if (!events.isEmpty()) {
                        publish(new ServerUpdate.Changed(summary((Active) newState)));
                    }
                })
                .thenReply(command.replyTo(), newState -> StatusReply.success(summary((Active) newState)));
    }

    private static Optional<String> validate(DetailsPatch patch) {
        return ServerDetails.checkDisplayName(patch.displayName())
                .or(() -> ServerDetails.checkGroup(patch.group()))
                .or(() -> ServerDetails.checkTags(patch.tags()))
                .or(() -> ServerDetails.checkNotes(patch.notes()));
    }

    private ReplyEffect<Event, State> delete(Active state, Delete command) {
        return Effect().persist(new Deleted(command.by(), clock.instant()))
                .thenRun(newState -> {
                    timers.cancelAll();
                    publish(new ServerUpdate.Removed(serverId));
                    subscribers.clear();
                    if (connection != null) {
                        connection.tell(new Revoke("server " + serverId + " was deleted by " + command.by()));
                    }
                    latest = null;
                    headline = null;
                    recent.clear();
                })
                .thenReply(command.replyTo(), newState -> StatusReply.ack());
    }

    private ReplyEffect<Event, State> subscribe(Active state, Subscribe command) {
        if (subscribers.add(command.subscriber())) {
            context.watchWith(command.subscriber(), new SubscriberGone(command.subscriber()));
        }
        // The subscriber starts from the current picture, not from the next report.
        command.subscriber().tell(latest == null
                ? new ServerUpdate.Changed(summary(state))
                : new ServerUpdate.Reported(summary(state), latest));
        if (latestServices != null) {
            command.subscriber().tell(new ServerUpdate.ServicesChanged(serverId, servicesView(state)));
        }
        return Effect().noReply();
    }

    private void publish(ServerUpdate update) {
        for (ActorRef<ServerUpdate> subscriber : subscribers) {
            subscriber.tell(update);
        }
        // The overview needs the headline, not the whole report (a fleet of 500 would be megabytes a second).
        fleet.publish(update instanceof ServerUpdate.Reported reported
                ? new ServerUpdate.Changed(reported.summary())
                : update);
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        var builder = newEventHandlerBuilder();
        builder.forStateType(Unregistered.class)
                .onEvent(Registered.class, (state, event) -> new Active(event.hostname(), event.machineId(), null,
                        null, List.of(), null, false, null, 0, event.agentVersion(), null, event.at(), Map.of(),
                        ServiceBook.EMPTY));
        builder.forStateType(Active.class)
                .onEvent(HostnameChanged.class, (state, event) -> state.withHostname(event.to()))
                .onEvent(AgentVersionChanged.class, (state, event) -> state.withAgentVersion(event.to()))
                .onEvent(SystemChanged.class, (state, event) -> state.withSystem(event.to()))
                .onEvent(Renamed.class, (state, event) -> state.withDisplayName(event.displayName()))
                .onEvent(Regrouped.class, (state, event) -> state.withGroup(event.group()))
                .onEvent(Retagged.class, (state, event) -> state.withTags(event.tags()))
                .onEvent(NotesChanged.class, (state, event) -> state.withNotes(event.notes()))
                .onEvent(CameOnline.class, (state, event) -> state.online(event.intervalMillis(), event.at()))
                .onEvent(WentOffline.class, (state, event) -> state.offline(event.lastSeen()))
                .onEvent(ReportsDropped.class, (state, event) -> state)
                .onEvent(AlertPending.class, (state, event) -> state.withAlert(event.alert()))
                .onEvent(AlertFired.class, (state, event) -> state.withAlert(event.alert()))
                .onEvent(AlertCancelled.class, (state, event) -> state.withoutAlert(event.alert().key()))
                .onEvent(AlertResolved.class, (state, event) -> state.withoutAlert(event.alert().key()))
                .onEvent(AlertAcknowledged.class, (state, event) -> {
                    ActiveAlert alert = state.alerts().get(event.key());
                    return alert == null ? state : state.withAlert(alert.withAcknowledgement(event.acknowledgement()));
                })
                .onEvent(Silenced.class, (state, event) -> state)
                .onEvent(SilenceEnded.class, (state, event) -> state)
                .onEvent(ServiceWentDown.class, (state, event) -> {
                    ServiceBook.Recovery r = state.services().recovery(event.service());
                    return state.withRecovery(event.service(), r.with(ServiceBook.Phase.IDLE, 0, event.at(), null,
                            null, event.detail(), r.restarts()));
                })
                .onEvent(ServiceRestartAttempted.class, (state, event) -> {
                    ServiceBook.Recovery r = state.services().recovery(event.service());
                    return state.withRecovery(event.service(), r.with(ServiceBook.Phase.IN_FLIGHT, event.attempt(),
                            r.downSince() == null ? event.at() : r.downSince(), null, event.commandId(),
                            r.lastResult(), r.restarts()));
                })
                .onEvent(ServiceRestartFailed.class, (state, event) -> {
                    ServiceBook.Recovery r = state.services().recovery(event.service());
                    return state.withRecovery(event.service(), r.with(ServiceBook.Phase.WAITING, event.attempt(),
                            r.downSince(), event.nextAttemptAt(), null, event.reason(), r.restarts()));
                })
                .onEvent(ServiceRecoveryGaveUp.class, (state, event) -> {
                    ServiceBook.Recovery r = state.services().recovery(event.service());
                    return state.withRecovery(event.service(), r.with(ServiceBook.Phase.GAVE_UP, event.attempts(),
                            r.downSince(), null, null, event.reason(), r.restarts()));
                })
                .onEvent(ServiceFlapping.class, (state, event) -> {
                    ServiceBook.Recovery r = state.services().recovery(event.service());
                    return state.withRecovery(event.service(), r.with(ServiceBook.Phase.FLAPPING, 0, r.downSince(),
                            null, null, "restarted " + event.restartsInWindow() + " times recently", r.restarts()));
                })
                .onEvent(ServiceRecovered.class, (state, event) -> {
                    ServiceBook.Recovery r = state.services().recovery(event.service());
                    List<Instant> restarts = new ArrayList<>(r.restarts());
                    if (event.attempts() > 0) {
                        restarts.add(event.at());
                    }
                    return state.withRecovery(event.service(), new ServiceBook.Recovery(ServiceBook.Phase.IDLE, 0,
                            null, null, null, r.lastResult(),
                            settings.recovery().withinWindow(restarts, event.at())));
                })
                .onEvent(ServiceActionRequested.class, (state, event) -> {
                    state = state.withServices(state.services().withAction(event.commandId(),
                            new ServiceBook.PendingAction(event.service(), event.action(), event.by())));
                    if (event.action() != ServiceAction.STOP) {
                        return state;
                    }
                    // Held from the moment a person asks: a check that sees it down meanwhile must not restart it.
                    ServiceBook.Recovery r = state.services().recovery(event.service());
                    return state.withRecovery(event.service(), r.with(ServiceBook.Phase.HELD, 0, event.at(), null,
                            null, "stopped by " + event.by(), r.restarts()));
                })
                .onEvent(ServiceActionCompleted.class, (state, event) -> {
                    if (event.commandId() != null) {
                        state = state.withServices(state.services().withAction(event.commandId(), null));
                    }
                    if (event.action() != ServiceAction.STOP || !"done".equals(event.result())) {
                        return state;
                    }
                    ServiceBook.Recovery r = state.services().recovery(event.service());
                    return state.withRecovery(event.service(), r.with(ServiceBook.Phase.HELD, 0, event.at(), null,
                            null, "stopped by " + event.by(), r.restarts()));
                })
                .onEvent(AutoRestartChanged.class, (state, event) -> {
                    Active changed = state.withServices(state.services().withAutoRestart(event.service(),
                            event.enabled()));
                    ServiceBook.Recovery r = changed.services().recovery(event.service());
                    if (!event.enabled() && (r.phase() == ServiceBook.Phase.WAITING
                            || r.phase() == ServiceBook.Phase.IN_FLIGHT)) {
                        return changed.withRecovery(event.service(), r.with(ServiceBook.Phase.IDLE, r.attempts(),
                                r.downSince(), null, null, "auto-restart turned off by " + event.by(),
                                r.restarts()));
                    }
                    if (event.enabled() && r.phase() == ServiceBook.Phase.IDLE && r.downSince() != null) {
                        // Still down: the next check treats it as newly down and starts the policy.
                        return changed.withRecovery(event.service(), r.with(ServiceBook.Phase.IDLE, 0, null, null,
                                null, r.lastResult(), r.restarts()));
                    }
                    return changed;
                })
                .onEvent(Deleted.class, (state, event) -> new Removed(event.at()));
        return builder.build();
    }

    // ---------------------------------------------------------------- views

    private Instant lastSeen(Active state) {
        if (latest != null) {
            return latest.collectedAt();
        }
        if (headline != null) {
            return headline.at();
        }
        return state.lastSeen();
    }

    private ServerSummary summary(Active state) {
        ServerSummary.Headline values = headline;
        SystemIdentity system = state.system();
        return new ServerSummary(serverId, state.hostname(), state.displayName(), state.group(), state.tags(),
                state.notes(), state.online(), lastSeen(state), state.agentVersion(), state.registeredAt(),
                system == null ? null : system.displayOs(),
                system == null ? List.of() : system.addresses(),
                values == null ? null : values.cpuPercent(),
                values == null ? null : values.memoryPercent(),
                values == null ? null : values.diskPercent(),
                values == null ? null : values.load1(),
                values == null ? null : values.uptimeSeconds(),
                firingAlerts(state, Severity.CRITICAL),
                firingAlerts(state, Severity.WARNING));
    }

    private static int firingAlerts(Active state, Severity severity) {
        int count = 0;
        for (ActiveAlert alert : state.alerts().values()) {
            if (alert.phase() == ActiveAlert.Phase.FIRING && alert.severity() == severity) {
                count++;
            }
        }
        return count;
    }

    private ServerDetail detail(Active state) {
        SystemIdentity system = latest != null ? SystemIdentity.of(latest.host(), latest.interfaces()) : state.system();
        return new ServerDetail(summary(state), system, latest, List.copyOf(recent), lastSequenceNumber(context));
    }

    private <T> StatusReply<T> unknown() {
        return StatusReply.error("unknown server " + serverId);
    }

}
