package io.steward.node.server;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/** Reading the server as it is now, and following it: handled by {@link LiveView}. */
public sealed interface LiveCommand extends ServerCommand permits LiveCommand.GetSummary, LiveCommand.GetDetail,
        LiveCommand.Subscribe, LiveCommand.Unsubscribe, LiveView.SubscriberGone, LiveView.LastKnownLoaded {

    record GetSummary(ActorRef<StatusReply<ServerSummary>> replyTo)
            implements LiveCommand, ServerCommand.Request<ServerSummary> {}

    record GetDetail(ActorRef<StatusReply<ServerDetail>> replyTo)
            implements LiveCommand, ServerCommand.Request<ServerDetail> {}

    /** Starts pushing {@link ServerUpdate}s to the subscriber until it stops or unsubscribes. */
    record Subscribe(ActorRef<ServerUpdate> subscriber) implements LiveCommand {}

    record Unsubscribe(ActorRef<ServerUpdate> subscriber) implements LiveCommand {}
}
