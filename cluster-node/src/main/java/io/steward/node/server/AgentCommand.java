package io.steward.node.server;

import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.ErrorCode;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.services.ServiceAction;
import io.steward.node.serialization.CborSerializable;
import java.time.Duration;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * What the entity sends to its agent's connection (an actor of the ingest room, possibly on another node), which
 * turns it into a frame for the agent and answers exactly once.
 */
public sealed interface AgentCommand extends CborSerializable {

    /**
     * The server was deleted: tell the agent and close. The connection tells {@code drained} once none of its
     * reports is still on its way into the store (also when it was closing already), so the deletion of the server's
     * data that follows finds them all.
     */
    record Revoke(String reason, ActorRef<Done> drained) implements AgentCommand {}

    /** Ends the connection with this fatal error (its credential was revoked, or a newer connection took over). */
    record Disconnect(ErrorCode code, String reason) implements AgentCommand {}

    /** Asks the agent for its full process list; the connection answers {@code replyTo} exactly once. */
    record RequestProcesses(String commandId, Duration timeout, ActorRef<StatusReply<ProcessListView>> replyTo)
            implements AgentCommand {}

    /** Forwards a service command to the agent; the connection answers {@code replyTo} exactly once. */
    record RunServiceCommand(String commandId, String service, ServiceAction action, int lines, Duration timeout,
            ActorRef<ServiceCommandOutcome> replyTo) implements AgentCommand {}

    /** Sends a frame to the agent; its answers come back to the entity as {@link BackupCommand.FromAgent}. */
    record Send(NodeMessage frame) implements AgentCommand {}

    /**
     * Sends a request frame whose answer (the agent's frame with the same {@code commandId}) the connection gives to
     * {@code replyTo} exactly once: the answer, a timeout, or "not connected".
     */
    record Ask(String commandId, NodeMessage frame, Duration timeout,
            ActorRef<StatusReply<AgentMessage>> replyTo) implements AgentCommand {}
}
