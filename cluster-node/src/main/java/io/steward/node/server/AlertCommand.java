package io.steward.node.server;

import io.steward.node.alerting.ActiveAlert;
import java.time.Instant;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/** People acting on the server's alerts: handled by {@link AlertHandler}. */
public sealed interface AlertCommand extends ServerCommand {

    /** Acknowledges a pending or firing alert; replies with the alert as it now stands. */
    record Acknowledge(String key, String by, String comment, ActorRef<StatusReply<ActiveAlert>> replyTo)
            implements AlertCommand, ServerCommand.Request<ActiveAlert> {}

    /** Records the opening ({@code until} set) or closing ({@code until} null) of a maintenance window. */
    record RecordSilence(String silenceId, Instant until, String by, String comment,
            ActorRef<StatusReply<Done>> replyTo) implements AlertCommand, ServerCommand.Request<Done> {}
}
