package io.steward.node.server;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/** The whole fleet's summaries, asked of every known server's entity in parallel. */
public final class FleetDirectory {
    private final ClusterSharding sharding;
    private final Supplier<CompletionStage<List<String>>> serverIds;
    private final Duration askTimeout;

    /**
     * @param serverIds the ids of every server ever enrolled (the credential table knows them), read off the
     *     caller's thread
     */
    public FleetDirectory(
            ClusterSharding sharding, Supplier<CompletionStage<List<String>>> serverIds, Duration askTimeout) {
        this.sharding = requireNonNull(sharding, "sharding is null");
        this.serverIds = requireNonNull(serverIds, "serverIds is null");
        this.askTimeout = requireNonNull(askTimeout, "askTimeout is null");
    }

    /** Whether the server was ever enrolled (and so may have an entity worth starting). */
    public CompletionStage<Boolean> isKnown(String serverId) {
        return serverIds.get().thenApply(ids -> ids.contains(serverId));
    }

    /** Every enrolled server's id, in the order they were enrolled. */
    public CompletionStage<List<String>> serverIds() {
        return serverIds.get();
    }

    public CompletionStage<List<ServerSummary>> summaries() {
        return serverIds.get().thenCompose(this::summariesOf);
    }

    /** The summaries of these servers, asked of their entities in parallel; one that does not answer is left out. */
    public CompletionStage<List<ServerSummary>> summariesOf(List<String> ids) {
        List<CompletableFuture<Optional<ServerSummary>>> asks = new ArrayList<>(ids.size());
        for (String id : ids) {
            asks.add(sharding.entityRefFor(ServerEntity.TYPE_KEY, id)
                    .<ServerSummary>askWithStatus(LiveCommand.GetSummary::new, askTimeout)
                    .thenApply(Optional::of)
                    // A server enrolled but never attached, or deleted, has no summary: leave it out.
                    .exceptionally(failure -> Optional.empty())
                    .toCompletableFuture());
        }
        return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
                .thenApply(done -> asks.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList());
    }
}
