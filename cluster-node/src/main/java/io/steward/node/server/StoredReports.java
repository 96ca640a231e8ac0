package io.steward.node.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the metric store holds of a server's reports, asked by its entity before it calls a silence offline: reports
 * are stored and acknowledged before the entity hears of them, and that news can be held up. Compared by the agent's
 * report sequence, which needs no clock (the store implements it as the highest stored sequence).
 */
@FunctionalInterface
public interface StoredReports {
    /** The highest report sequence stored for the server, 0 if none. */
    CompletionStage<Long> newestSequence(String serverId);

    /** A store that holds nothing: every silence is judged on what the entity heard. */
    StoredReports NONE = serverId -> CompletableFuture.completedFuture(0L);
}
