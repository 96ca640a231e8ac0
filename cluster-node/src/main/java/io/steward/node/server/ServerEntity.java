package io.steward.node.server;

import static java.util.Objects.requireNonNull;

import io.steward.core.alerting.AlertEvaluation;
import io.steward.core.alerting.AlertRule;
import io.steward.core.alerting.AlertState;
import io.steward.core.alerting.RuleSelection;
import io.steward.core.alerting.ServerFacts;
import io.steward.core.alerting.Severity;
import io.steward.core.fleet.ServerDetails;
import io.steward.core.metrics.ReportSamples;
import io.steward.core.metrics.SeriesName;
import io.steward.core.protocol.MetricsReport;
import io.steward.node.CborSerializable;
import io.steward.node.alerting.ActiveAlert;
import io.steward.node.alerting.AlertSubject;
import io.steward.node.alerting.RuleSource;
import java.time.Clock;
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
            Map<String, ActiveAlert> alerts) implements State {
        public Active {
            tags = tags == null ? List.of() : List.copyOf(tags);
            // Snapshots and events from before alerting replay without alerts.
            alerts = alerts == null ? Map.of() : Map.copyOf(alerts);
        }

        Active withAlert(ActiveAlert alert) {
            Map<String, ActiveAlert> changed = new HashMap<>(alerts);
            changed.put(alert.key(), alert);
            return new Active(hostname, machineId, displayName, group, tags, notes, online, lastSeen, intervalMillis,
                    agentVersion, system, registeredAt, changed);
        }

        Active withoutAlert(String key) {
            Map<String, ActiveAlert> changed = new HashMap<>(alerts);
            changed.remove(key);
            return new Active(hostname, machineId, displayName, group, tags, notes, online, lastSeen, intervalMillis,
                    agentVersion, system, registeredAt, changed);
        }

        Active withHostname(String value) {
            return new Active(value, machineId, displayName, group, tags, notes, online, lastSeen, intervalMillis,
                    agentVersion, system, registeredAt, alerts);
        }

        Active withAgentVersion(String value) {
            return new Active(hostname, machineId, displayName, group, tags, notes, online, lastSeen, intervalMillis,
                    value, system, registeredAt, alerts);
        }

        Active withSystem(SystemIdentity value) {
            return new Active(hostname, machineId, displayName, group, tags, notes, online, lastSeen, intervalMillis,
                    agentVersion, value, registeredAt, alerts);
        }

        Active withDisplayName(String value) {
            return new Active(hostname, machineId, value, group, tags, notes, online, lastSeen, intervalMillis,
                    agentVersion, system, registeredAt, alerts);
        }

        Active withGroup(String value) {
            return new Active(hostname, machineId, displayName, value, tags, notes, online, lastSeen, intervalMillis,
                    agentVersion, system, registeredAt, alerts);
        }

        Active withTags(List<String> value) {
            return new Active(hostname, machineId, displayName, group, value, notes, online, lastSeen, intervalMillis,
                    agentVersion, system, registeredAt, alerts);
        }

        Active withNotes(String value) {
            return new Active(hostname, machineId, displayName, group, tags, value, online, lastSeen, intervalMillis,
                    agentVersion, system, registeredAt, alerts);
        }

        Active online(long interval, Instant at) {
            return new Active(hostname, machineId, displayName, group, tags, notes, true, at, interval,
                    agentVersion, system, registeredAt, alerts);
        }

        Active offline(Instant seen) {
            return new Active(hostname, machineId, displayName, group, tags, notes, false, seen, intervalMillis,
                    agentVersion, system, registeredAt, alerts);
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
            events.addAll(evaluateAlerts(state, samples, report.collectedAt(), now, false));
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
     * no longer applies, or whose series is gone, resolve; with {@code partial} only alerts on the given series are
     * considered (the offline check carries no report).
     */
    private List<Event> evaluateAlerts(
            Active state, Map<String, Double> samples, Instant measuredAt, Instant now, boolean partial) {
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
            if (evaluated.contains(alert.key()) || (partial && !samples.containsKey(alert.series()))) {
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
        events.addAll(evaluateAlerts(state, Map.of(AlertRule.SERVER_OFFLINE, 1.0), now, now, true));
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
                        null, List.of(), null, false, null, 0, event.agentVersion(), null, event.at(), Map.of()));
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
