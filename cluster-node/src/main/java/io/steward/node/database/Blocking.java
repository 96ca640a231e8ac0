package io.steward.node.database;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The one way the node runs blocking work (JDBC, bcrypt, file I/O): on the dedicated blocking executor, never on a
 * Pekko dispatcher thread. A failure completes the future with the exception the work threw, unwrapped.
 */
public final class Blocking {
    private final Executor executor;

    /** Work that blocks and may throw a checked exception (most JDBC calls). */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws Exception;
    }

    /** Work that blocks and returns nothing. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    public Blocking(Executor executor) {
        this.executor = requireNonNull(executor, "executor is null");
    }

    /** Runs {@code work} on the blocking executor; completes with its result or with what it threw. */
    public <T> CompletableFuture<T> supply(Work<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(work.run());
                } catch (Exception e) {
                    result.completeExceptionally(e);
                } catch (Error e) {
                    result.completeExceptionally(e);
                    throw e;
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /** Runs {@code action} on the blocking executor. */
    public CompletableFuture<Void> run(Action action) {
        return supply(() -> {
            action.run();
            return null;
        });
    }

    /** The executor itself, for APIs that take one (stream stages, Pekko's pipeToSelf on a future). */
    public Executor executor() {
        return executor;
    }
}
