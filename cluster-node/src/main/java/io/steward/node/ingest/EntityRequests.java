package io.steward.node.ingest;

import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.NodeMessage;
import io.steward.node.problem.Problem;
import io.steward.node.server.AgentCommand;
import io.steward.node.server.ProcessListView;
import io.steward.node.server.ServiceCommandOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.pekko.pattern.StatusReply;

/**
 * What the server's entity asked this connection to ask the agent, not answered yet: each request is answered
 * exactly once — by the agent, by its deadline, or by the connection going away. The connection actor owns the
 * timers; this class owns the bookkeeping and the answers.
 */
final class EntityRequests {
    private final Map<String, SentCommand> commands = new HashMap<>();
    private final Map<String, AgentCommand.RequestProcesses> processLists = new HashMap<>();
    private final Map<String, AgentCommand.Ask> asks = new HashMap<>();

    /** A service command sent at {@code sentAt}; {@code putOff} once its deadline was put off after a pause. */
    private record SentCommand(AgentCommand.RunServiceCommand command, Instant sentAt, boolean putOff) {}

    /** Remembers a service command sent at {@code now} and gives the frame that carries it to the agent. */
    NodeMessage track(AgentCommand.RunServiceCommand command, Instant now) {
        commands.put(command.commandId(), new SentCommand(command, now, false));
        return new NodeMessage.ServiceCommand(command.commandId(), command.service(), command.action(),
                command.lines());
    }

    /**
     * The command's deadline has passed: if it is still awaited, was not put off before, and {@code stoodStillSince}
     * its sending, it is put off (once) and the time to wait again is returned (its own timeout); else empty, and
     * {@link #commandTimedOut} answers it.
     */
    Optional<Duration> putOffOnce(String commandId, Predicate<Instant> stoodStillSince) {
        SentCommand sent = commands.get(commandId);
        if (sent == null || sent.putOff() || !stoodStillSince.test(sent.sentAt())) {
            return Optional.empty();
        }
        commands.put(commandId, new SentCommand(sent.command(), sent.sentAt(), true));
        return Optional.of(sent.command().timeout());
    }

    /** Remembers a process-list request and gives the frame that carries it to the agent. */
    NodeMessage track(AgentCommand.RequestProcesses request) {
        processLists.put(request.commandId(), request);
        return new NodeMessage.ListProcesses(request.commandId());
    }

    /** Remembers a request frame (host key, snapshot listing) and gives it back to send. */
    NodeMessage track(AgentCommand.Ask ask) {
        asks.put(ask.commandId(), ask);
        return ask.frame();
    }

    /** The agent answered a request frame; the id of the request if it was awaited (its timer goes). */
    Optional<String> answer(String commandId, AgentMessage answer) {
        AgentCommand.Ask ask = asks.remove(commandId);
        if (ask == null) {
            return Optional.empty();
        }
        ask.replyTo().tell(StatusReply.success(answer));
        return Optional.of(commandId);
    }

    void askTimedOut(String commandId) {
        AgentCommand.Ask ask = asks.remove(commandId);
        if (ask != null) {
            ask.replyTo().tell(StatusReply.error(Problem.timedOut(noAnswerWithin(ask.timeout()))));
        }
    }

    /**
     * The agent answered a service command: its outcome if the command was awaited (its timer goes), for the caller
     * to send the entity along the route the agent's service checks take, so the entity reads both in order.
     */
    Optional<ServiceCommandOutcome> answer(AgentMessage.CommandResult result) {
        SentCommand sent = commands.remove(result.commandId());
        if (sent == null) {
            return Optional.empty();
        }
        ServiceCommandOutcome.Result outcome = result.refused() ? ServiceCommandOutcome.Result.REFUSED
                : result.ok() ? ServiceCommandOutcome.Result.DONE : ServiceCommandOutcome.Result.FAILED;
        return Optional.of(new ServiceCommandOutcome(result.commandId(), outcome, result.message(), result.lines()));
    }

    /** The agent sent its process list; the id of the request if it was awaited (its timer goes). */
    Optional<String> answer(AgentMessage.ProcessList list) {
        AgentCommand.RequestProcesses request = processLists.remove(list.commandId());
        if (request == null) {
            return Optional.empty();
        }
        request.replyTo().tell(StatusReply.success(new ProcessListView(list.collectedAt(), list.processes())));
        return Optional.of(list.commandId());
    }

    void commandTimedOut(String commandId) {
        SentCommand sent = commands.remove(commandId);
        if (sent != null) {
            AgentCommand.RunServiceCommand command = sent.command();
            command.replyTo().tell(new ServiceCommandOutcome(commandId, ServiceCommandOutcome.Result.TIMED_OUT,
                    ServiceCommandOutcome.noAnswerWithin(command.timeout(), sent.putOff()), List.of()));
        }
    }

    void processListTimedOut(String commandId) {
        AgentCommand.RequestProcesses request = processLists.remove(commandId);
        if (request != null) {
            request.replyTo().tell(StatusReply.error(Problem.timedOut(noAnswerWithin(request.timeout()))));
        }
    }

    /** The connection is going: whoever waits hears it now, not at a deadline much later. */
    void disconnected() {
        String message = "the agent disconnected before answering";
        commands.values().forEach(sent -> sent.command().replyTo().tell(new ServiceCommandOutcome(
                sent.command().commandId(), ServiceCommandOutcome.Result.NOT_CONNECTED, message, List.of())));
        commands.clear();
        processLists.values().forEach(request ->
                request.replyTo().tell(StatusReply.error(Problem.notConnected(message))));
        processLists.clear();
        asks.values().forEach(ask -> ask.replyTo().tell(StatusReply.error(Problem.notConnected(message))));
        asks.clear();
    }

    private static String noAnswerWithin(Duration timeout) {
        return ServiceCommandOutcome.noAnswerWithin(timeout, false);
    }
}
