package io.steward.node.server;

import io.steward.core.services.ServiceAction;
import io.steward.core.services.ServiceState;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/** The services the agent watches, their restart policy and people's actions: handled by {@link ServiceHandler}. */
public sealed interface ServiceCommand extends ServerCommand permits ServiceCommand.ServicesReported,
        ServiceCommand.GetServices, ServiceCommand.RunServiceAction, ServiceCommand.SetAutoRestart,
        ServiceHandler.RecoveryDue, ServiceHandler.ResolveLostActions {

    /**
     * The agent's latest service check (live state; transitions are persisted as events). {@code connection} lets an
     * entity that restarted or moved since the agent attached reach the agent again without waiting for a reconnect.
     */
    record ServicesReported(Instant checkedAt, List<ServiceState> services, ActorRef<AgentCommand> connection)
            implements ServiceCommand {}

    record GetServices(ActorRef<StatusReply<ServicesView>> replyTo)
            implements ServiceCommand, ServerCommand.Request<ServicesView> {}

    /** A person asks for start/stop/restart (recorded with their name) or for log lines (not recorded). */
    record RunServiceAction(String service, ServiceAction action, int lines, String by,
            ActorRef<StatusReply<ServiceCommandOutcome>> replyTo)
            implements ServiceCommand, ServerCommand.Request<ServiceCommandOutcome> {}

    record SetAutoRestart(String service, boolean enabled, String by, ActorRef<StatusReply<Done>> replyTo)
            implements ServiceCommand, ServerCommand.Request<Done> {}
}
