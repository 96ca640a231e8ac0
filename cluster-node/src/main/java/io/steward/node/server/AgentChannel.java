package io.steward.node.server;

import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.ErrorCode;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.services.ServiceAction;
import io.steward.node.problem.Problem;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entity's line to its agent: the connection actor (wherever in the cluster it lives), the commands sent through
 * it and not answered yet, and each command's deadline. Every command is answered exactly once: by the agent, by the
 * deadline, or by the connection going away. The concern that sent a command hears its answer through
 * {@link Answers}.
 */
final class AgentChannel {
    private static final Logger log = LoggerFactory.getLogger(AgentChannel.class);
    /** The agent's connection stopped. */
    record ConnectionGone(ActorRef<AgentCommand> connection) implements ChannelCommand {}

    /** The entity's own deadline for a command, whatever happens to the connection in between. */
    record CommandExpired(String commandId) implements ChannelCommand {}

    /** Commands sent through a connection that has ended, still unanswered once its answers in flight are in. */
    record LeftUnanswered(List<String> commandIds) implements ChannelCommand {}

    /** A command sent to the agent and not answered yet: what it was for decides what its answer means. */
    sealed interface Pending {
        String commandId();

        /** The restart policy restarting a service that went down. */
        record Restart(String commandId, String service) implements Pending {}

        /** A person's start, stop or restart (recorded in the history). */
        record PersonAction(String commandId, ServiceCommand.RunServiceAction request) implements Pending {}

        /** A person reading log lines (not recorded). */
        record LogRequest(String commandId, ServiceCommand.RunServiceAction request) implements Pending {}
    }

    /** Where answers go: the concern that sent the command. */
    @FunctionalInterface
    interface Answers {
        ReplyEffect<ServerEvent, ServerState> answered(ServerState.Active state, Pending pending,
                ServiceCommandOutcome outcome);
    }

    /** How long the agent's connection has to list every process. */
    private static final Duration PROCESS_LIST_TIMEOUT = Duration.ofSeconds(10);
    /**
     * After a connection ends, how long its unanswered commands wait before they are called "not connected". Its
     * answers come along the server's entity ref (behind its checks), the signal that it stopped comes straight from
     * death watch: an answer relayed just before the end can arrive after the signal.
     */
    private static final Duration ANSWERS_IN_FLIGHT = Duration.ofSeconds(2);
    /** Past the command's own timeout, the connection has this long to say so before the entity decides. */
    private static final Duration DEADLINE_MARGIN = Duration.ofSeconds(5);

    /**
     * How long a deletion waits for its agent's reports in flight to be stored; a healthy store commits a report
     * within its admission wait (2 s). Whoever asks for a deletion waits this much longer than for other requests.
     */
    static final Duration DRAIN_LIMIT = Duration.ofSeconds(4);

    private final EntityContext entity;
    private final ClusterHealth cluster;
    private final ActorRef<ServiceCommandOutcome> outcomes;
    private final Map<String, Pending> pending = new HashMap<>();
    /** When each pending command was sent, and whether its deadline was already put off once after a pause. */
    private final Map<String, OneMoreWindow> deadlines = new HashMap<>();
    private Answers answers;
    private ActorRef<AgentCommand> connection;
    /** The last attached connection that ended: word it relayed late is never taken for a live connection's. */
    private @Nullable ActorRef<AgentCommand> lastEnded;
    /** Numbers the waits for ended connections' answers (two ends with the same commands are two waits). */
    private long endings;
    /** The last connection ended because its node was lost (killed, frozen and downed): its agent is moving. */
    private boolean lostWithItsNode;
    /** When the attached connection was opened, if its attach said so. */
    private Instant connectedAt;

    AgentChannel(EntityContext entity, ClusterHealth cluster) {
        this.entity = entity;
        this.cluster = cluster;
        this.outcomes = entity.actor.messageAdapter(ServiceCommandOutcome.class, ChannelCommand.CommandAnswered::new);
    }

    /** Set once by the shell: the concern that sends service commands hears their answers. */
    void answersTo(Answers receiver) {
        this.answers = receiver;
    }

    ReplyEffect<ServerEvent, ServerState> onCommand(ServerState.Active state, ChannelCommand command) {
        if (command instanceof ChannelCommand.ListProcesses list) {
            if (connection == null) {
                return entity.effects.reply(list.replyTo(),
                        StatusReply.error(Problem.notConnected("the agent is not connected")));
            }
            connection.tell(new AgentCommand.RequestProcesses(EntityContext.newCommandId(), PROCESS_LIST_TIMEOUT,
                    list.replyTo()));
            return entity.effects.noReply();
        }
        if (command instanceof ChannelCommand.Forward forward) {
            return entity.effects.reply(forward.replyTo(), StatusReply.success(send(forward.frame())));
        }
        if (command instanceof ChannelCommand.CommandAnswered answered) {
            Pending sent = pending.remove(answered.outcome().commandId());
            deadlines.remove(answered.outcome().commandId());
            entity.timers.cancel(timerKey(answered.outcome().commandId()));
            return sent == null
                    ? entity.effects.noReply() // answered after its deadline, or sent by an earlier incarnation
                    : answers.answered(state, sent, answered.outcome());
        }
        if (command instanceof CommandExpired expired) {
            OneMoreWindow deadline = deadlines.get(expired.commandId());
            if (deadline != null && deadline.earned(cluster, entity.settings.overdueTimers().tolerance()).isPresent()) {
                // This process stood still while the agent had the command: its answer may be unread still, behind
                // this timer that fired as the process woke (the connection puts off its own deadline alike).
                log.info("{}: command {} not answered by its deadline, but this process stood still meanwhile; waiting"
                        + " {} s more", entity.serverId, expired.commandId(),
                        entity.settings.commandTimeout().plus(DEADLINE_MARGIN).toSeconds());
                deadlines.put(expired.commandId(), deadline.taken());
                entity.timers.startSingleTimer(timerKey(expired.commandId()), expired,
                        entity.settings.commandTimeout().plus(DEADLINE_MARGIN));
                return entity.effects.noReply();
            }
            if (pending.containsKey(expired.commandId())) {
                outcomes.tell(new ServiceCommandOutcome(expired.commandId(), ServiceCommandOutcome.Result.TIMED_OUT,
                        ServiceCommandOutcome.noAnswerWithin(entity.settings.commandTimeout(),
                                deadline != null && deadline.given()),
                        List.of()));
            }
            return entity.effects.noReply();
        }
        if (command instanceof LeftUnanswered left) {
            for (String commandId : left.commandIds()) {
                if (pending.containsKey(commandId)) {
                    outcomes.tell(new ServiceCommandOutcome(commandId, ServiceCommandOutcome.Result.NOT_CONNECTED,
                            "the agent disconnected before answering", List.of()));
                }
            }
            return entity.effects.noReply();
        }
        ActorRef<AgentCommand> gone = ((ConnectionGone) command).connection();
        // A connection on a lost node ends when that node is removed, ~10 s after it was lost and often before the
        // offline timer fires: remember why, or the timer would no longer see that the agent is on its way to another
        // node and give it no failover grace.
        if (gone.equals(connection)) {
            lostWithItsNode = nodeLost(gone);
        }
        connectionGone(gone);
        return entity.effects.noReply();
    }

    /**
     * Remembers the agent's connection (a new one replaces the old), opened at {@code openedAt} (null if unknown),
     * and watches it.
     */
    void connect(ActorRef<AgentCommand> newConnection, Instant openedAt) {
        boolean same = newConnection != null && newConnection.equals(connection);
        if (connection != null && !same) {
            entity.actor.unwatch(connection);
        }
        if (!same || openedAt != null) {
            connectedAt = openedAt;
        }
        connection = newConnection;
        if (newConnection != null) {
            if (newConnection.equals(lastEnded)) {
                lastEnded = null; // attached again (a late attach): its checks count until death watch says otherwise
            }
            lostWithItsNode = false;
            entity.actor.watchWith(newConnection, new ConnectionGone(newConnection));
        }
    }

    /** A report came: whatever the last connection's end said about the agent moving is past. */
    void heardFromAgent() {
        lostWithItsNode = false;
    }

    /**
     * A connection learnt from a message, used only when the entity knows none (it restarted or moved), and never
     * the one that just ended: its late word would attach a dead connection, and the agent's next would be refused.
     */
    void connectIfUnknown(ActorRef<AgentCommand> candidate) {
        if (connection == null && candidate != null && !candidate.equals(lastEnded)) {
            connect(candidate, null);
        }
    }

    /** When the attached connection was opened; null if none is attached or its attach did not say. */
    Instant connectedAt() {
        return connection == null ? null : connectedAt;
    }

    boolean isConnected() {
        return connection != null;
    }

    /** Whether a connection other than {@code candidate} is attached. */
    boolean isConnectedOtherThan(ActorRef<AgentCommand> candidate) {
        return connection != null && !connection.equals(candidate);
    }

    /** Whether word relayed by {@code candidate} is older than the agent's latest: another is attached, or it ended. */
    boolean isSuperseded(ActorRef<AgentCommand> candidate) {
        return candidate != null && (candidate.equals(lastEnded) || isConnectedOtherThan(candidate));
    }

    /**
     * Whether the attached connection lives on a node the cluster cannot reach or no longer counts as up (killed,
     * frozen, leaving), or the last one ended when its node was removed: its agent is moving to another node, and may
     * take longer to come back than the offline timer waits.
     */
    boolean connectionNodeLost() {
        if (connection == null) {
            return lostWithItsNode;
        }
        return nodeLost(connection);
    }

    /** Whether {@code connection} lives on a node that is unreachable, not up, or no longer a member. */
    private boolean nodeLost(ActorRef<AgentCommand> connection) {
        org.apache.pekko.actor.Address address = connection.path().address();
        if (address.hasLocalScope()) {
            return false;
        }
        org.apache.pekko.cluster.ClusterEvent.CurrentClusterState cluster =
                org.apache.pekko.cluster.typed.Cluster.get(entity.actor.getSystem()).state();
        for (org.apache.pekko.cluster.Member member : cluster.getUnreachable()) {
            if (member.address().equals(address)) {
                return true;
            }
        }
        for (org.apache.pekko.cluster.Member member : cluster.getMembers()) {
            if (member.address().equals(address)) {
                return member.status() != org.apache.pekko.cluster.MemberStatus.up();
            }
        }
        return true; // not a member any more
    }

    /** The attached connection and where it lives, for a log line. */
    String describe() {
        if (connection == null) {
            return lostWithItsNode ? "none (the last one was lost with its node)" : "none";
        }
        return connection.path() + (connectionNodeLost() ? " (its node lost)" : "");
    }

    /** Closes the attached connection with a fatal error; the entity forgets it at once. */
    void disconnect(ErrorCode code, String reason) {
        if (connection != null) {
            ActorRef<AgentCommand> closing = connection;
            entity.actor.unwatch(closing);
            closing.tell(new AgentCommand.Disconnect(code, reason));
            connectionGone(closing);
        }
    }

    private void connectionGone(ActorRef<AgentCommand> gone) {
        if (!gone.equals(connection)) {
            return;
        }
        connection = null;
        lastEnded = gone;
        // Commands sent through it will not be answered: say so soon rather than at the deadline, once the answers
        // it relayed before it ended have had time to arrive. Commands sent later go through the next connection.
        if (!pending.isEmpty()) {
            entity.timers.startSingleTimer("left-unanswered-" + ++endings,
                    new LeftUnanswered(List.copyOf(pending.keySet())), ANSWERS_IN_FLIGHT);
        }
    }

    /**
     * Sends a service command for {@code purpose}; its answer (or the deadline's) comes back through
     * {@link Answers}.
     */
    void send(Pending purpose, String service, ServiceAction action, int lines) {
        String commandId = purpose.commandId();
        pending.put(commandId, purpose);
        deadlines.put(commandId, OneMoreWindow.from(entity.clock.instant()));
        entity.timers.startSingleTimer(timerKey(commandId), new CommandExpired(commandId),
                entity.settings.commandTimeout().plus(DEADLINE_MARGIN));
        if (connection == null) {
            outcomes.tell(new ServiceCommandOutcome(commandId, ServiceCommandOutcome.Result.NOT_CONNECTED,
                    "the agent is not connected", List.of()));
        } else {
            connection.tell(new AgentCommand.RunServiceCommand(commandId, service, action, lines,
                    entity.settings.commandTimeout(), outcomes));
        }
    }

    /** Whether the answer to {@code commandId} is still awaited by this incarnation. */
    boolean isAwaited(String commandId) {
        return commandId != null && pending.containsKey(commandId);
    }

    /** Stops waiting for {@code commandId}: its answer, if it comes, is ignored. */
    void abandon(String commandId) {
        if (commandId != null) {
            pending.remove(commandId);
            deadlines.remove(commandId);
            entity.timers.cancel(timerKey(commandId));
        }
    }

    /** Whether a person's start, stop or restart of {@code service} is in flight. */
    boolean personActing(String service) {
        return pending.values().stream().anyMatch(sent -> sent instanceof Pending.PersonAction action
                && action.request().service().equals(service));
    }

    /** The person's action sent under {@code commandId}, if this incarnation sent it. */
    Optional<Pending> find(String commandId) {
        return Optional.ofNullable(pending.get(commandId));
    }

    /** Sends a frame that needs no answer from the connection; false when no agent is connected. */
    boolean send(NodeMessage frame) {
        if (connection == null) {
            return false;
        }
        connection.tell(new AgentCommand.Send(frame));
        return true;
    }

    /**
     * Asks the agent for the frame answering {@code commandId}; {@code toCommand} turns the answer (or the problem:
     * not connected, timed out, the agent's refusal) into a command for the entity.
     */
    void ask(String commandId, NodeMessage frame, Duration timeout,
            BiFunction<@Nullable AgentMessage, @Nullable Problem, ServerCommand> toCommand) {
        if (connection == null) {
            entity.actor.getSelf().tell(toCommand.apply(null, Problem.notConnected("the agent is not connected")));
            return;
        }
        entity.actor.ask(StatusReply.class, connection, timeout.plus(DEADLINE_MARGIN),
                (ActorRef<StatusReply> replyTo) ->
                        new AgentCommand.Ask(commandId, frame, timeout, castReplyTo(replyTo)),
                (reply, failure) -> {
                    if (reply != null && reply.isSuccess()) {
                        return toCommand.apply((AgentMessage) reply.getValue(), null);
                    }
                    Throwable cause = reply != null ? reply.getError() : failure;
                    return toCommand.apply(null, cause instanceof Problem problem ? problem
                            : Problem.timedOut(ServiceCommandOutcome.noAnswerWithin(timeout, false)));
                });
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ActorRef<StatusReply<AgentMessage>> castReplyTo(ActorRef<StatusReply> replyTo) {
        return (ActorRef) replyTo;
    }

    /**
     * The server was deleted: the agent is told and the line closed. {@code done} hears once the connection's reports
     * are all stored (so that deleting the server's data afterwards leaves none behind), or after {@link #DRAIN_LIMIT}
     * when the connection does not say (it stopped meanwhile, the store is stuck, its node is unreachable): asked
     * from outside the entity, which stops now. A connection on a node the cluster lost is not asked.
     */
    void revoke(String reason, ActorRef<StatusReply<Done>> done) {
        if (connection == null || nodeLost(connection)) {
            done.tell(StatusReply.ack());
            return;
        }
        ActorRef<AgentCommand> line = connection;
        AskPattern.<AgentCommand, Done>ask(line, drained -> new AgentCommand.Revoke(reason, drained), DRAIN_LIMIT,
                        entity.actor.getSystem().scheduler())
                .whenComplete((drained, failure) -> {
                    if (failure != null) {
                        log.warn("The agent connection of deleted server [{}] did not confirm its reports stored ({});"
                                + " deleting its data now", entity.serverId, failure.toString());
                    }
                    done.tell(StatusReply.ack());
                });
    }

    private static String timerKey(String commandId) {
        return "command-" + commandId;
    }
}
