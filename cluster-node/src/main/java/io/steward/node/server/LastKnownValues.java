package io.steward.node.server;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where a recovering entity finds its server's last stored headline values, so the overview shows numbers after a
 * node restart before the agent's next report (the metric store implements it from the newest raw row).
 */
@FunctionalInterface
public interface LastKnownValues {
    CompletionStage<Optional<ServerSummary.Headline>> load(String serverId);

    LastKnownValues NONE = serverId -> java.util.concurrent.CompletableFuture.completedFuture(Optional.empty());
}
