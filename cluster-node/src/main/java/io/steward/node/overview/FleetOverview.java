package io.steward.node.overview;

import static java.util.Objects.requireNonNull;

import io.steward.node.server.ServerSummary;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/** The fleet as the overview's readers see it (the API's list, the browser's snapshot): this node's read model. */
public final class FleetOverview {
    private final ActorRef<FleetReadModel.Command> model;
    private final Scheduler scheduler;
    private final Duration timeout;

    /** @param timeout how long a reader waits, including the model's first read of the fleet at start */
    public FleetOverview(ActorRef<FleetReadModel.Command> model, Scheduler scheduler, Duration timeout) {
        this.model = requireNonNull(model, "model is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    /** Every server's summary, in the order the servers were enrolled. */
    public CompletionStage<List<ServerSummary>> summaries() {
        return AskPattern.askWithStatus(model, FleetReadModel.Get::new, timeout, scheduler);
    }
}
