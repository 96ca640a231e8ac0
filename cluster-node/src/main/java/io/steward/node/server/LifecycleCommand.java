package io.steward.node.server;

import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/** Registration, deletion and waking: handled by the shell itself ({@link ServerEntity}). */
public sealed interface LifecycleCommand extends ServerCommand {

    /**
     * An authenticated agent connection says hello. Registers the server on first contact, records hostname and
     * agent version changes, and remembers the connection so the entity can reach and revoke it.
     */
    record Attach(
            String hostname,
            String machineId,
            String agentVersion,
            ActorRef<AgentCommand> connection,
            ActorRef<StatusReply<Done>> replyTo) implements LifecycleCommand, ServerCommand.Request<Done> {}

    record Delete(String by, ActorRef<StatusReply<Done>> replyTo)
            implements LifecycleCommand, ServerCommand.Request<Done> {}

    /** Sent to every known server at node start so entities recover and resume their offline timers. */
    record Wake() implements LifecycleCommand {}
}
