package io.steward.node.server;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/** The entity's line to its agent's connection: handled by {@link AgentChannel}. */
public sealed interface ChannelCommand extends ServerCommand permits ChannelCommand.ListProcesses,
        AgentChannel.ConnectionGone, AgentChannel.CommandExpired, AgentChannel.CommandAnswered {

    /** Every process on the server, fetched from the agent now (reports carry only the heaviest). */
    record ListProcesses(ActorRef<StatusReply<ProcessListView>> replyTo)
            implements ChannelCommand, ServerCommand.Request<ProcessListView> {}
}
