package io.steward.node.server;

import io.steward.core.alerting.DefaultRules;
import io.steward.core.metrics.SeriesName;
import io.steward.core.retry.OverdueTimers;
import io.steward.core.services.ServiceAction;
import io.steward.core.services.ServiceState;
import io.steward.node.problem.Problem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.jspecify.annotations.Nullable;

/**
 * The services the agent watches: each check records went-down and recovered as facts, runs the restart policy
 * ({@link RecoveryDecisions}) and feeds the "service down" and "recovery failed" series to the alert rules; people's
 * start/stop/restart go to the agent and are recorded with their name. Only the agent decides whether it may act.
 */
final class ServiceHandler {
    /** A restart attempt is due (the backoff after a failed one ran out). */
    record RecoveryDue(String service) implements ServiceCommand {}

    /** After recovery: people's actions that were in flight when the node stopped get an answer in the history. */
    record ResolveLostActions() implements ServiceCommand {}

    /** While the agent is away, a due attempt looks again this much later (it is not counted). */
    private static final Duration RETRY_WHEN_AWAY = Duration.ofSeconds(5);

    private final EntityContext entity;
    private final AgentChannel channel;
    private final AlertHandler alerts;
    private final LiveView live;
    private final ClusterHealth cluster;

    /** The agent's latest service check, in memory only. */
    private ServiceCommand.ServicesReported latestCheck;
    /** Services whose restart command succeeded, and by when a check must show them running. */
    private final Map<String, Confirmation> confirmBy = new HashMap<>();
    /** Each service's armed recovery timer: when it was armed and due, and since when it has been rechecked. */
    private final Map<String, RecoveryTimer> recoveryTimers = new HashMap<>();
    /** Services this incarnation's checks have shown running, stopped or down (not "unknown"). */
    private final Set<String> checkedHere = new HashSet<>();
    /** Services whose due restart waits for such a check, and since when. */
    private final Map<String, Instant> waitingForACheck = new HashMap<>();

    private record RecoveryTimer(Instant armedAt, Instant dueAt, @Nullable Instant overdueSince) {}

    /** A restart the agent reported done, to be confirmed by a check by {@code by}; its wait began when done. */
    private record Confirmation(OneMoreWindow window, Instant by) {}

    ServiceHandler(EntityContext entity, AgentChannel channel, AlertHandler alerts, LiveView live,
            ClusterHealth cluster) {
        this.entity = entity;
        this.channel = channel;
        this.alerts = alerts;
        this.live = live;
        this.cluster = cluster;
    }

    ReplyEffect<ServerEvent, ServerState> onCommand(ServerState.Active state, ServiceCommand command) {
        if (command instanceof ServiceCommand.ServicesReported check) {
            return onCheck(state, check);
        }
        if (command instanceof ServiceCommand.GetServices get) {
            return entity.effects.reply(get.replyTo(), StatusReply.success(view(state)));
        }
        if (command instanceof ServiceCommand.RunServiceAction request) {
            return runAction(request);
        }
        if (command instanceof ServiceCommand.SetAutoRestart set) {
            return setAutoRestart(state, set);
        }
        if (command instanceof RecoveryDue due) {
            return recoveryDue(state, due.service());
        }
        return resolveLostActions(state);
    }

    /** After recovery: lost actions are resolved and due restarts re-armed (timers do not survive a restart). */
    void onRecovered(ServerState.Active state) {
        if (!state.services().actions().isEmpty()) {
            entity.actor.getSelf().tell(new ResolveLostActions());
        }
        state.services().recoveries().forEach((service, recovery) -> {
            if (recovery.phase() == ServiceBook.Phase.WAITING) {
                scheduleRecovery(service, recovery.nextAttemptAt());
            }
        });
    }

    /** A new subscriber's first picture includes the services, if a check has come. */
    void greet(ServerState.Active state, ActorRef<ServerUpdate> subscriber) {
        if (latestCheck != null) {
            subscriber.tell(new ServerUpdate.ServicesChanged(entity.serverId.value(), view(state)));
        }
    }

    private ReplyEffect<ServerEvent, ServerState> onCheck(ServerState.Active state,
            ServiceCommand.ServicesReported check) {
        if (channel.isSuperseded(check.connection())) {
            // From a connection that ended or that another replaced (the agent moved to another node): sent before the
            // new one's, it may arrive after that one's answers, where an old "running" would end a new stop's hold.
            return entity.effects.noReply();
        }
        latestCheck = check;
        channel.connectIfUnknown(check.connection());
        Instant now = entity.clock.instant();
        List<ServerEvent> events = new ArrayList<>();
        Map<String, String> restarts = new HashMap<>(); // service -> command id, sent once persisted
        Map<String, Double> samples = new HashMap<>();
        Set<String> unknown = new HashSet<>();
        ServiceBook book = state.services();
        for (ServiceState service : check.services()) {
            String name = service.name();
            if (service.status() == ServiceState.Status.UNKNOWN) {
                unknown.add(name); // the check itself failed: neither down nor up; alerts keep their state
                continue;
            }
            checkedHere.add(name);
            ServiceBook.Recovery recovery = book.recovery(name);
            // Only a "down" is held back for a newer check: the decisions settle any other status at once.
            Confirmation confirmation = service.status() == ServiceState.Status.DOWN
                    ? confirmationAfterPauses(state, name, now) : confirmBy.get(name);
            RecoveryDecisions.Decision decision = RecoveryDecisions.onCheck(service, recovery,
                    new RecoveryDecisions.Situation(book.autoRestart(name), channel.isConnected(),
                            channel.personActing(name), channel.isAwaited(recovery.commandId()),
                            confirmation == null ? null : confirmation.by()),
                    entity.settings.recovery(), now, EntityContext::newCommandId);
            if (decision.confirmed()) {
                confirmBy.remove(name);
            }
            if (decision.abandonInFlight()) {
                channel.abandon(recovery.commandId());
            }
            if (decision.restartCommandId() != null) {
                restarts.put(name, decision.restartCommandId());
            }
            events.addAll(decision.events());
            boolean down = service.status() == ServiceState.Status.DOWN;
            // A service a person stopped is not "down" for alerting.
            putSample(samples, DefaultRules.SERVICE_DOWN, name,
                    down && decision.phase() != ServiceBook.Phase.HELD ? 1.0 : 0.0);
            putSample(samples, DefaultRules.SERVICE_RECOVERY_FAILED, name,
                    decision.phase() == ServiceBook.Phase.GAVE_UP || decision.phase() == ServiceBook.Phase.FLAPPING
                            ? 1.0 : 0.0);
        }
        events.addAll(alerts.evaluate(state, samples, check.checkedAt(), now, series ->
                RecoveryDecisions.isServiceSeries(series)
                        && unknown.stream().noneMatch(name -> series.endsWith("{service=" + name + "}"))));
        return entity.effects.persist(events)
                .thenRun(newState -> {
                    restarts.forEach(this::sendRestart);
                    armRecoveryTimers(events);
                    lookAgainAtOnceIfChecked(now);
                    publish((ServerState.Active) newState);
                    if (events.stream().anyMatch(e ->
                            e instanceof AlertEvent.Fired || e instanceof AlertEvent.Resolved)) {
                        live.publishChanged(newState);
                    }
                })
                .thenNoReply();
    }

    private ReplyEffect<ServerEvent, ServerState> recoveryDue(ServerState.Active state, String service) {
        RecoveryTimer timer = recoveryTimers.remove(service);
        ServiceBook.Recovery recovery = state.services().recovery(service);
        if (recovery.phase() != ServiceBook.Phase.WAITING || !state.services().autoRestart(service)) {
            return entity.effects.noReply();
        }
        Instant now = entity.clock.instant();
        Duration paused = timer == null ? Duration.ZERO : cluster.pausedSince(timer.armedAt());
        if (timer != null && entity.settings.overdueTimers().decide(timer.dueAt(), now, timer.overdueSince(),
                cluster.settled(), paused) instanceof OverdueTimers.Recheck recheck) {
            // Late, or this process stood still while the service waited (a suspended VM, a long GC): the agent's
            // newer word on it (back up by itself?) may be unread behind the timer that fired on waking, and this
            // node may have been downed meanwhile. Restarting a service that runs again is an outage of our making:
            // look again, as the offline timer does, until on time with the cluster settled (at most its settle limit).
            Instant overdueSince = timer.overdueSince() == null ? now : timer.overdueSince();
            entity.actor.getLog().info("{}: restart of {} due {} ms ago, this process stood still for up to {} ms"
                    + " meanwhile; looking again in {} s", entity.serverId, service,
                    Duration.between(timer.dueAt(), now).toMillis(), paused.toMillis(),
                    recheck.delay().toSeconds());
            armRecovery(service, recheck.dueAt(), overdueSince);
            return entity.effects.noReply();
        }
        if (!channel.isConnected() || channel.personActing(service)) {
            // Not an attempt: nothing can run now. Look again shortly (the agent reconnects by itself). A wait for a
            // check starts again once it can come: time away does not count.
            waitingForACheck.remove(service);
            scheduleRecovery(service, entity.clock.instant().plus(RETRY_WHEN_AWAY));
            return entity.effects.noReply();
        }
        if (waitsForACheck(state, service, now)) {
            scheduleRecovery(service, now.plus(RETRY_WHEN_AWAY));
            return entity.effects.noReply();
        }
        String commandId = EntityContext.newCommandId();
        return entity.effects.persist(new ServiceEvent.RestartAttempted(service, recovery.attempts() + 1, commandId,
                        entity.clock.instant()))
                .thenRun(newState -> {
                    sendRestart(service, commandId);
                    publish((ServerState.Active) newState);
                })
                .thenNoReply();
    }

    /**
     * Whether a due restart of {@code service} waits for a check: this incarnation has seen none of it yet (the node
     * restarted, or the server moved here in a failover), and the service may have come back by itself, or been
     * started by a person, since the check the old one read. Not an attempt: a check saying "running" ends the
     * recovery first, one saying "down" (or "stopped") lets it go at once. The wait ends after the settle limit or
     * two of the agent's intervals, whichever is longer, so an agent that sends no checks (its service list emptied)
     * still gets the restart, and its refusal ends the recovery as it would have without a node restart.
     */
    private boolean waitsForACheck(ServerState.Active state, String service, Instant now) {
        if (checkedHere.contains(service)) {
            return false;
        }
        Instant since = waitingForACheck.get(service);
        if (since == null) {
            waitingForACheck.put(service, now);
            entity.actor.getLog().info("{}: restart of {} due, but no check of it has come since this entity started;"
                    + " waiting for the agent's", entity.serverId, service);
            return true;
        }
        Duration settle = entity.settings.overdueTimers().settleLimit();
        Duration twoIntervals = Duration.ofMillis(2 * state.presence().intervalMillis());
        Duration limit = settle.compareTo(twoIntervals) >= 0 ? settle : twoIntervals;
        if (Duration.between(since, now).compareTo(limit) < 0) {
            return true;
        }
        waitingForACheck.remove(service);
        entity.actor.getLog().warn("{}: no check of {} has come in {} s; restarting it on the last word from before"
                + " this entity started", entity.serverId, service, Duration.between(since, now).toSeconds());
        return false;
    }

    /**
     * A restart that waited for a check looks again now that one has shown its service: its timer is brought forward,
     * keeping when it was armed and since when it was overdue, so a freeze meanwhile still holds it back.
     */
    private void lookAgainAtOnceIfChecked(Instant now) {
        waitingForACheck.keySet().removeIf(service -> {
            if (!checkedHere.contains(service)) {
                return false;
            }
            RecoveryTimer armed = recoveryTimers.get(service);
            if (armed == null) {
                scheduleRecovery(service, now);
            } else {
                armRecovery(service, armed.armedAt(), now, armed.overdueSince());
            }
            return true;
        });
    }

    private String asReported(String service) {
        return latestCheck == null ? service : ServiceNames.asReported(service, latestCheck.services());
    }

    private void sendRestart(String service, String commandId) {
        channel.send(new AgentChannel.Pending.Restart(commandId, service), service, ServiceAction.RESTART, 0);
    }

    private ReplyEffect<ServerEvent, ServerState> runAction(ServiceCommand.RunServiceAction asked) {
        if (asked.service() == null || !ServiceState.NAME.matcher(asked.service()).matches()) {
            return entity.effects.reply(asked.replyTo(), StatusReply.error(Problem.invalid("not a service name")));
        }
        // Held, recorded and sent under the name the checks use, so a stop's hold is the one the checks meet.
        ServiceCommand.RunServiceAction request = new ServiceCommand.RunServiceAction(asReported(asked.service()),
                asked.action(), asked.lines(), asked.by(), asked.replyTo());
        String commandId = EntityContext.newCommandId();
        if (request.action() == ServiceAction.LOGS) {
            channel.send(new AgentChannel.Pending.LogRequest(commandId, request), request.service(), request.action(),
                    request.lines());
            return entity.effects.noReply();
        }
        return entity.effects.persist(new ServiceEvent.ActionRequested(request.service(), request.action(),
                        request.by(), commandId, entity.clock.instant()))
                .thenRun(newState -> channel.send(new AgentChannel.Pending.PersonAction(commandId, request),
                        request.service(), request.action(), request.lines()))
                .thenNoReply();
    }

    /** The agent's answer to a command this concern sent (or the deadline's, or the lost connection's). */
    ReplyEffect<ServerEvent, ServerState> answered(ServerState.Active state, AgentChannel.Pending pending,
            ServiceCommandOutcome outcome) {
        Instant now = entity.clock.instant();
        if (pending instanceof AgentChannel.Pending.LogRequest logs) {
            return entity.effects.reply(logs.request().replyTo(), StatusReply.success(outcome));
        }
        if (pending instanceof AgentChannel.Pending.PersonAction action) {
            ServiceCommand.RunServiceAction request = action.request();
            return entity.effects.persist(new ServiceEvent.ActionCompleted(request.service(), request.action(),
                            outcome.result().name().toLowerCase(Locale.ROOT).replace('_', '-'), outcome.message(),
                            request.by(), outcome.commandId(), now))
                    .thenRun(newState -> publish((ServerState.Active) newState))
                    .thenReply(request.replyTo(), newState -> StatusReply.success(outcome));
        }
        String service = ((AgentChannel.Pending.Restart) pending).service();
        ServiceBook.Recovery recovery = state.services().recovery(service);
        if (recovery.phase() != ServiceBook.Phase.IN_FLIGHT || !outcome.commandId().equals(recovery.commandId())) {
            return entity.effects.noReply();
        }
        if (outcome.result() == ServiceCommandOutcome.Result.DONE) {
            // Confirmed by a check (the agent checks right after acting); allow two intervals for a slow start.
            confirmBy.put(service, new Confirmation(OneMoreWindow.from(now), now.plus(confirmationGrace(state))));
            return entity.effects.noReply();
        }
        ServiceEvent failed = RecoveryDecisions.attemptFailed(service, recovery.attempts(), outcome.message(),
                outcome.result() == ServiceCommandOutcome.Result.REFUSED, entity.settings.recovery(), now);
        return entity.effects.persist(failed)
                .thenRun(newState -> {
                    armRecoveryTimers(List.of(failed));
                    publish((ServerState.Active) newState);
                })
                .thenNoReply();
    }

    private static Duration confirmationGrace(ServerState.Active state) {
        return Duration.ofMillis(Math.max(5_000, 2 * state.presence().intervalMillis()));
    }

    /**
     * The service's awaited confirmation, given one more grace, once, when its grace has passed and this process
     * stood still longer than the timers' tolerance since the restart was done. The check read now may then be one
     * the agent took right after acting (a slow start not up yet) that waited unread through the pause, while the
     * checks after it are still on their way: counting it would call a good restart failed.
     */
    private @Nullable Confirmation confirmationAfterPauses(ServerState.Active state, String service, Instant now) {
        Confirmation confirmation = confirmBy.get(service);
        if (confirmation == null || !now.isAfter(confirmation.by())) {
            return confirmation;
        }
        Optional<Duration> paused = confirmation.window().earned(cluster, entity.settings.overdueTimers().tolerance());
        if (paused.isEmpty()) {
            return confirmation;
        }
        entity.actor.getLog().info("{}: service {} not confirmed running yet, but this process stood still for {} ms"
                + " since its restart was done; waiting one more grace for a newer check", entity.serverId, service,
                paused.get().toMillis());
        Confirmation extended = new Confirmation(confirmation.window().taken(), now.plus(confirmationGrace(state)));
        confirmBy.put(service, extended);
        return extended;
    }

    private ReplyEffect<ServerEvent, ServerState> setAutoRestart(ServerState.Active state,
            ServiceCommand.SetAutoRestart asked) {
        ServiceCommand.SetAutoRestart command = new ServiceCommand.SetAutoRestart(asReported(asked.service()),
                asked.enabled(), asked.by(), asked.replyTo());
        if (state.services().autoRestart(command.service()) == command.enabled()) {
            return entity.effects.reply(command.replyTo(), StatusReply.ack());
        }
        if (!command.enabled()) {
            entity.timers.cancel(recoveryTimer(command.service()));
            recoveryTimers.remove(command.service());
            waitingForACheck.remove(command.service());
        }
        return entity.effects.persist(new ServiceEvent.AutoRestartChanged(command.service(), command.enabled(),
                        command.by(), entity.clock.instant()))
                .thenRun(newState -> publish((ServerState.Active) newState))
                .thenReply(command.replyTo(), newState -> StatusReply.ack());
    }

    private ReplyEffect<ServerEvent, ServerState> resolveLostActions(ServerState.Active state) {
        Instant now = entity.clock.instant();
        List<ServerEvent> lost = new ArrayList<>();
        state.services().actions().forEach((commandId, action) -> {
            if (channel.find(commandId).isEmpty()) {
                lost.add(new ServiceEvent.ActionCompleted(action.service(), action.action(), "lost",
                        "the node restarted before the agent answered; check the service's state", action.by(),
                        commandId, now));
            }
        });
        return entity.effects.persist(lost).thenNoReply();
    }

    private void armRecoveryTimers(List<? extends ServerEvent> events) {
        for (ServerEvent event : events) {
            if (event instanceof ServiceEvent.RestartFailed failed) {
                scheduleRecovery(failed.service(), failed.nextAttemptAt());
            }
        }
    }

    private void scheduleRecovery(String service, Instant at) {
        armRecovery(service, at, null);
    }

    /** Arms the service's recovery timer for {@code at} (at once if that has passed: due now, not late). */
    private void armRecovery(String service, Instant at, @Nullable Instant overdueSince) {
        armRecovery(service, entity.clock.instant(), at, overdueSince);
    }

    /** As above, for a timer whose pauses count from {@code armedAt} (one brought forward keeps its own). */
    private void armRecovery(String service, Instant armedAt, Instant at, @Nullable Instant overdueSince) {
        Instant now = entity.clock.instant();
        Instant dueAt = at.isBefore(now) ? now : at;
        recoveryTimers.put(service, new RecoveryTimer(armedAt, dueAt, overdueSince));
        entity.timers.startSingleTimer(recoveryTimer(service), new RecoveryDue(service), Duration.between(now, dueAt));
    }

    private static String recoveryTimer(String service) {
        return "recovery-" + service;
    }

    /** The services as the API shows them: the latest check with each one's policy state. */
    ServicesView view(ServerState.Active state) {
        if (latestCheck == null) {
            return ServicesView.NONE_YET;
        }
        List<ServicesView.ServiceView> views = new ArrayList<>();
        for (ServiceState service : latestCheck.services()) {
            views.add(new ServicesView.ServiceView(service, state.services().autoRestart(service.name()),
                    state.services().recovery(service.name())));
        }
        return new ServicesView(latestCheck.checkedAt(), views);
    }

    /** Service states go to the browsers watching this server only, not to the fleet feed. */
    private void publish(ServerState.Active state) {
        if (latestCheck != null && live.hasSubscribers()) {
            live.tellSubscribers(new ServerUpdate.ServicesChanged(entity.serverId.value(), view(state)));
        }
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

    /** The server was deleted: no more restarts. */
    void stop() {
        latestCheck = null;
        checkedHere.clear();
        waitingForACheck.clear();
        confirmBy.clear();
        recoveryTimers.clear();
    }
}
