package io.steward.node.server;

import java.time.Instant;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.jspecify.annotations.Nullable;

/** Registration, deletion and waking: handled by the shell itself ({@link ServerEntity}). */
public sealed interface LifecycleCommand extends ServerCommand {

    /**
     * An authenticated agent connection says hello. Registers the server on first contact, records hostname and
     * agent version changes, and remembers the connection so the entity can reach and revoke it.
     *
     * @param connectedAt when the node opened the connection (by its clock): an attach delivered late, after the
     *     agent attached again through a newer connection, must not displace it; null when unknown
     * @param registered the agent authenticated with its credential, so its server is registered: an entity that is
     *     not (the server was deleted while the attach was on its way) refuses it rather than register it again
     */
    record Attach(
            String hostname,
            String machineId,
            String agentVersion,
            ActorRef<AgentCommand> connection,
            @Nullable Instant connectedAt,
            boolean registered,
            ActorRef<StatusReply<Done>> replyTo) implements LifecycleCommand, ServerCommand.Request<Done> {

        /** An attach whose connection's age is unknown (it never counts as stale), which may register the server. */
        public Attach(String hostname, String machineId, String agentVersion, ActorRef<AgentCommand> connection,
                ActorRef<StatusReply<Done>> replyTo) {
            this(hostname, machineId, agentVersion, connection, null, false, replyTo);
        }

        /** An attach that may register the server (an enrollment's). */
        public Attach(String hostname, String machineId, String agentVersion, ActorRef<AgentCommand> connection,
                @Nullable Instant connectedAt, ActorRef<StatusReply<Done>> replyTo) {
            this(hostname, machineId, agentVersion, connection, connectedAt, false, replyTo);
        }
    }

    record Delete(String by, ActorRef<StatusReply<Done>> replyTo)
            implements LifecycleCommand, ServerCommand.Request<Done> {}

    /**
     * A known machine enrolled again ({@code AgentCredentials.ReEnrollment}): recorded in the history; the reply says
     * whether an admin must approve — the old credential is in use (its agent is connected and reporting).
     */
    record ReEnroll(String requestId, String hostname, String remote, ActorRef<StatusReply<Boolean>> replyTo)
            implements LifecycleCommand, ServerCommand.Request<Boolean> {}

    /** What an admin decided about the agent's credential (already stored by {@code AgentCredentials}). */
    enum CredentialDecision { APPROVED, DENIED, REVOKED }

    /**
     * Records an admin's decision; an approval or revocation also closes the connection of the agent that holds the
     * old credential.
     *
     * @param requestId the re-enrollment decided, null for a revocation
     */
    record DecideCredential(CredentialDecision decision, String requestId, String by,
            ActorRef<StatusReply<Done>> replyTo) implements LifecycleCommand, ServerCommand.Request<Done> {}

    /** Sent to every known server at node start so entities recover and resume their offline timers. */
    record Wake() implements LifecycleCommand {}

    /**
     * The entity's own check after it started with no history: still unregistered, it passivates (nothing but an
     * agent's first attach makes a server known).
     */
    record ForgetIfUnknown() implements LifecycleCommand {}
}
