package io.steward.agent.link;

import static java.util.Objects.requireNonNull;

import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.MetricsReport;
import io.steward.core.protocol.NodeMessage;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the node asks of the agent besides storing reports: service commands (handed to the service monitor, or
 * refused when this agent watches none) and the full process list. Answers go out as live frames.
 */
final class NodeRequests {
    private final Consumer<AgentMessage> answers;
    private volatile Consumer<NodeMessage.ServiceCommand> serviceCommands;
    private volatile Supplier<List<MetricsReport.ProcessInfo>> processList = List::of;

    /** {@code answers} sends a live frame (and may be called on the link's executor). */
    NodeRequests(Consumer<AgentMessage> answers) {
        this.answers = requireNonNull(answers, "answers is null");
    }

    void onServiceCommand(Consumer<NodeMessage.ServiceCommand> handler) {
        this.serviceCommands = handler;
    }

    void onListProcesses(Supplier<List<MetricsReport.ProcessInfo>> source) {
        this.processList = requireNonNull(source, "source is null");
    }

    /** Handles {@code message} if it is a request; returns whether it was one. */
    boolean handle(NodeMessage message) {
        if (message instanceof NodeMessage.ListProcesses list) {
            answers.accept(new AgentMessage.ProcessList(list.commandId(), Instant.now(), processList.get()));
            return true;
        }
        if (message instanceof NodeMessage.ServiceCommand command) {
            var handler = serviceCommands;
            if (handler != null) {
                handler.accept(command);
            } else {
                answers.accept(new AgentMessage.CommandResult(command.commandId(), false, true,
                        "this agent has no services configured; nothing was run", List.of()));
            }
            return true;
        }
        return false;
    }
}
