package io.steward.agent.link;

import static java.util.Objects.requireNonNull;

import io.steward.core.checks.AssignedCheck;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.MetricsReport;
import io.steward.core.protocol.NodeMessage;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * What the node asks of the agent besides storing reports: service commands (handed to the service monitor, or
 * refused when this agent watches none), the full process list, backup frames (handed to the agent's backups,
 * which answer them themselves) and check frames (handed to the agent's checks, or every check refused when there
 * are none). Answers go out as live frames; check results are pulled from the checks by the outbox. Also tells
 * whoever listens that the node welcomed the agent (backups then say what they allow and send their unacknowledged
 * results again; the agent hears the collection interval the node suggests), and of the interval the node
 * suggests meanwhile.
 */
final class NodeRequests {
    private final Consumer<AgentMessage> answers;
    private volatile Consumer<NodeMessage.ServiceCommand> serviceCommands;
    private volatile Supplier<List<MetricsReport.ProcessInfo>> processList = List::of;
    private volatile BackupFrames backupFrames;
    private volatile CheckFrames checkFrames;
    private volatile LongConsumer suggestedInterval;

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

    void onBackupFrames(BackupFrames frames) {
        this.backupFrames = requireNonNull(frames, "frames is null");
    }

    void onCheckFrames(CheckFrames frames) {
        this.checkFrames = requireNonNull(frames, "frames is null");
    }

    void onSuggestedInterval(LongConsumer listener) {
        this.suggestedInterval = requireNonNull(listener, "listener is null");
    }

    /** The next check-results frame to write, or null. */
    String nextCheckResults() {
        var frames = checkFrames;
        return frames == null ? null : frames.nextFrame();
    }

    /** The node welcomed this agent. */
    void welcomed(NodeMessage.Welcome welcome) {
        var interval = suggestedInterval;
        if (interval != null) {
            interval.accept(welcome.suggestedIntervalMillis());
        }
        var frames = backupFrames;
        if (frames != null) {
            frames.welcomed();
        }
    }

    /** The node suggested another interval while connected: its listener hears it as it hears a welcome's. */
    void intervalSuggested(long millis) {
        var interval = suggestedInterval;
        if (interval != null) {
            interval.accept(millis);
        }
    }

    /** Handles {@code message} if it is a request; returns whether it was one. */
    boolean handle(NodeMessage message) {
        if (message instanceof NodeMessage.ListProcesses list) {
            answers.accept(new AgentMessage.ProcessList(list.commandId(), Instant.now(), processList.get()));
            return true;
        }
        var frames = backupFrames;
        if (frames != null && frames.accepts(message)) {
            frames.handle(message);
            return true;
        }
        if (message instanceof NodeMessage.ChecksAssign assign) {
            var checks = checkFrames;
            if (checks != null) {
                checks.assign(assign.checks());
            } else {
                // An agent that runs no checks (an embedder that set none up) says so rather than going silent.
                answers.accept(new AgentMessage.CheckResults(List.of(), null,
                        assign.checks().stream().map(AssignedCheck::id).toList()));
            }
            return true;
        }
        if (message instanceof NodeMessage.ChecksRun run) {
            var checks = checkFrames;
            if (checks != null) {
                checks.runNow(run.ids());
            }
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
