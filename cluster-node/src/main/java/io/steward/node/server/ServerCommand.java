package io.steward.node.server;

import io.steward.node.serialization.CborSerializable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * Everything a server's entity handles, in families: the shell ({@link ServerEntity}) routes each family to the one
 * concern that handles it. Commands cross the cluster (an HTTP request on one node, the entity on another).
 */
public sealed interface ServerCommand extends CborSerializable
        permits LifecycleCommand, PresenceCommand, DetailsCommand, LiveCommand, ChannelCommand, AlertCommand,
        ServiceCommand, BackupCommand {

    /**
     * A command that expects an answer. An unregistered or deleted server answers every one with not-found, in one
     * place ({@link ServerEntity}), instead of a handler per command.
     */
    interface Request<T> {
        ActorRef<StatusReply<T>> replyTo();
    }
}
