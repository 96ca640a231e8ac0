package io.steward.node.server;

import io.steward.core.protocol.NodeMessage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/** The entity's line to its agent's connection: handled by {@link AgentChannel}. */
public sealed interface ChannelCommand extends ServerCommand permits ChannelCommand.ListProcesses, ChannelCommand.Forward,
        ChannelCommand.CommandAnswered, AgentChannel.ConnectionGone, AgentChannel.CommandExpired,
        AgentChannel.LeftUnanswered {

    /**
     * How a service command ended. The agent's answer comes from its connection along the route its service checks
     * take (the server's entity ref), so the entity reads the two in the order the agent sent them: a check sent
     * before the answer to a person's stop is read while the stop is still awaited, not after it, where a "running"
     * would end the stop's hold. The connection's own verdicts (timed out, disconnected) come through the entity's
     * adapter.
     */
    record CommandAnswered(ServiceCommandOutcome outcome) implements ChannelCommand {}

    /** Every process on the server, fetched from the agent now (reports carry only the heaviest). */
    record ListProcesses(ActorRef<StatusReply<ProcessListView>> replyTo)
            implements ChannelCommand, ServerCommand.Request<ProcessListView> {}

    /**
     * Passes a frame that needs no answer to the agent (a check assignment, "run these checks now"); the reply says
     * whether an agent was connected to take it.
     */
    record Forward(NodeMessage frame, ActorRef<StatusReply<Boolean>> replyTo)
            implements ChannelCommand, ServerCommand.Request<Boolean> {}
}
