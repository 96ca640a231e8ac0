package io.steward.core.runtime;

/**
 * The JDK's common pool on a small machine. With 2 CPUs its parallelism is 1, and then every
 * {@code CompletableFuture} step run "async" without an executor — every follow-up of a stage Pekko's Java API
 * returns (Scala's future converters run them so) — starts a new thread instead of queueing on a pool: ~5 thread
 * starts a second at 100 reports/s on this project's 2-core machine. Called first thing in a {@code main}, before
 * anything touches the pool (its parallelism is read once, when the class loads).
 */
public final class CommonPool {
    static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    private CommonPool() {}

    /** Raises the common pool's parallelism to {@code minimum} unless the operator set it. */
    public static void atLeast(int minimum) {
        if (System.getProperty(PARALLELISM) == null
                && Runtime.getRuntime().availableProcessors() - 1 < minimum) {
            System.setProperty(PARALLELISM, Integer.toString(minimum));
        }
    }
}
