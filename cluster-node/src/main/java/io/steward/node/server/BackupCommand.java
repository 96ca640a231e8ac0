package io.steward.node.server;

import io.steward.core.protocol.AgentMessage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.jspecify.annotations.Nullable;

/** What the API and the agent's connection ask of a server's backups. */
public sealed interface BackupCommand extends ServerCommand permits BackupCommand.GetBackups,
        BackupCommand.CreateJob, BackupCommand.UpdateJob, BackupCommand.DeleteJob, BackupCommand.RunNow,
        BackupCommand.TrustHostKey, BackupCommand.Browse, BackupCommand.Restore, BackupCommand.FromAgent,
        BackupHandler.Wake, BackupHandler.StartUnconfirmed, BackupHandler.HostKeyAnswered, BackupHandler.Browsed {

    record GetBackups(ActorRef<StatusReply<BackupsView>> replyTo)
            implements BackupCommand, ServerCommand.Request<BackupsView> {}

    /** {@code settings} carries the new job's id (the route makes it); a name already used is a conflict. */
    record CreateJob(BackupSettings settings, String by, ActorRef<StatusReply<BackupsView>> replyTo)
            implements BackupCommand, ServerCommand.Request<BackupsView> {}

    record UpdateJob(BackupSettings settings, String by, ActorRef<StatusReply<BackupsView>> replyTo)
            implements BackupCommand, ServerCommand.Request<BackupsView> {}

    record DeleteJob(String jobId, String by, ActorRef<StatusReply<Done>> replyTo)
            implements BackupCommand, ServerCommand.Request<Done> {}

    /** Answered with the run's id once it is sent to the agent. */
    record RunNow(String jobId, String by, ActorRef<StatusReply<String>> replyTo)
            implements BackupCommand, ServerCommand.Request<String> {}

    record TrustHostKey(String jobId, String fingerprint, String by, ActorRef<StatusReply<BackupsView>> replyTo)
            implements BackupCommand, ServerCommand.Request<BackupsView> {}

    /** One directory of a snapshot, as the agent lists it. */
    record Browse(String jobId, String snapshot, String path,
            ActorRef<StatusReply<AgentMessage.SnapshotTree>> replyTo)
            implements BackupCommand, ServerCommand.Request<AgentMessage.SnapshotTree> {}

    /** Answered with the restore's id once it is sent to the agent; its end is in the job and the history. */
    record Restore(String jobId, String snapshot, String path, @Nullable String target, String by,
            ActorRef<StatusReply<String>> replyTo) implements BackupCommand, ServerCommand.Request<String> {}

    /** A backup frame from the agent, through its connection (which carries the entity's acknowledgements back). */
    record FromAgent(AgentMessage message, ActorRef<AgentCommand> connection) implements BackupCommand {}
}
