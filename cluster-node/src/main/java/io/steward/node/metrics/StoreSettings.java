package io.steward.node.metrics;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import io.steward.core.metrics.TierPlanner;
import java.time.Duration;

/**
 * Limits and schedules of the metric store, read once from {@code steward.store}.
 *
 * @param queueSize reports accepted but not yet written; beyond it writes fail at once with
 *     {@link StoreBusyException} (bounds memory under back-pressure)
 * @param maxBatch reports written in one transaction at most
 * @param maxBatchDelay how long the writer waits to fill a batch
 * @param rawRetention age (by collection time) after which raw reports are deleted
 * @param minuteRetention age after which 1-minute rollups are deleted
 * @param hourRetention age after which 1-hour rollups are deleted
 * @param rollupInterval pause between rollup runs
 * @param retentionInterval pause between retention sweeps
 * @param maxRowsRead rows a chart query may read before the planner picks a coarser tier
 * @param maxPoints points a chart query returns at most
 * @param rollupChunkRows raw rows folded into the rollups per transaction (bounds the job's memory)
 * @param deleteChunkRows rows deleted per statement by retention and server deletion
 * @param maxQueueWait a write is refused ({@link StoreBusyException}) when the reports queued ahead of it would take
 *     longer than this to write at the recent rate ({@link WriteAdmission})
 * @param compactionWindow the span of collection time whose rolled-up raw reports of one server are packed into one
 *     chunk ({@link CompactionJob}); at most {@link CompactionJob#MAX_WINDOW}
 */
public record StoreSettings(
        int queueSize,
        int maxBatch,
        Duration maxBatchDelay,
        Duration rawRetention,
        Duration minuteRetention,
        Duration hourRetention,
        Duration rollupInterval,
        Duration retentionInterval,
        int maxRowsRead,
        int maxPoints,
        int rollupChunkRows,
        int deleteChunkRows,
        Duration compactionWindow,
        Duration maxQueueWait) {
    public static final int DEFAULT_ROLLUP_CHUNK_ROWS = 5_000;
    public static final int DEFAULT_DELETE_CHUNK_ROWS = 10_000;
    public static final Duration DEFAULT_COMPACTION_WINDOW = Duration.ofMinutes(10);
    public static final Duration DEFAULT_MAX_QUEUE_WAIT = Duration.ofSeconds(2);

    public StoreSettings {
        positive("queue-size", queueSize);
        positive("max-batch", maxBatch);
        positive("max-batch-delay", maxBatchDelay);
        positive("retention.raw", rawRetention);
        positive("retention.one-minute", minuteRetention);
        positive("retention.one-hour", hourRetention);
        positive("rollup-interval", rollupInterval);
        positive("retention-interval", retentionInterval);
        positive("max-rows-read", maxRowsRead);
        positive("max-points", maxPoints);
        positive("rollup-chunk-rows", rollupChunkRows);
        positive("delete-chunk-rows", deleteChunkRows);
        positive("compaction.window", compactionWindow);
        positive("max-queue-wait", maxQueueWait);
        if (compactionWindow.compareTo(CompactionJob.MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("steward.store.compaction.window must be at most "
                    + CompactionJob.MAX_WINDOW + ", was " + compactionWindow);
        }
        if (minuteRetention.compareTo(rawRetention) < 0 || hourRetention.compareTo(minuteRetention) < 0) {
            throw new IllegalArgumentException("steward.store.retention must not shrink from raw to one-minute to"
                    + " one-hour (raw " + rawRetention + ", one-minute " + minuteRetention + ", one-hour "
                    + hourRetention + ")");
        }
    }

    /** The defaults documented in {@code application.conf}. */
    public static StoreSettings defaults() {
        return new StoreSettings(
                20_000,
                1_000,
                Duration.ofMillis(20),
                Duration.ofDays(7),
                Duration.ofDays(90),
                Duration.ofDays(730),
                Duration.ofSeconds(30),
                Duration.ofHours(1),
                10_000,
                1_000,
                DEFAULT_ROLLUP_CHUNK_ROWS,
                DEFAULT_DELETE_CHUNK_ROWS,
                DEFAULT_COMPACTION_WINDOW,
                DEFAULT_MAX_QUEUE_WAIT);
    }

    /**
     * Reads {@code steward.store} of the node's configuration. The chunk sizes, the compaction window and the queue's
     * wait are optional keys ({@code rollup-chunk-rows}, {@code delete-chunk-rows}, {@code compaction.window},
     * {@code max-queue-wait}); every other key is required.
     */
    public static StoreSettings fromConfig(Config config) {
        Config store = config.getConfig("steward.store");
        return new StoreSettings(
                store.getInt("queue-size"),
                store.getInt("max-batch"),
                store.getDuration("max-batch-delay"),
                store.getDuration("retention.raw"),
                store.getDuration("retention.one-minute"),
                store.getDuration("retention.one-hour"),
                store.getDuration("rollup-interval"),
                store.getDuration("retention-interval"),
                store.getInt("max-rows-read"),
                store.getInt("max-points"),
                store.hasPath("rollup-chunk-rows") ? store.getInt("rollup-chunk-rows") : DEFAULT_ROLLUP_CHUNK_ROWS,
                store.hasPath("delete-chunk-rows") ? store.getInt("delete-chunk-rows") : DEFAULT_DELETE_CHUNK_ROWS,
                store.hasPath("compaction.window") ? store.getDuration("compaction.window")
                        : DEFAULT_COMPACTION_WINDOW,
                store.hasPath("max-queue-wait") ? store.getDuration("max-queue-wait") : DEFAULT_MAX_QUEUE_WAIT);
    }

    /** The chart query planner for these retentions and read budget. */
    public TierPlanner tierPlanner() {
        return new TierPlanner(rawRetention, minuteRetention, maxRowsRead);
    }

    public StoreSettings withQueue(int queueSize, int maxBatch, Duration maxBatchDelay) {
        return new StoreSettings(queueSize, maxBatch, maxBatchDelay, rawRetention, minuteRetention, hourRetention,
                rollupInterval, retentionInterval, maxRowsRead, maxPoints, rollupChunkRows, deleteChunkRows,
                compactionWindow, maxQueueWait);
    }

    public StoreSettings withIntervals(Duration rollupInterval, Duration retentionInterval) {
        return new StoreSettings(queueSize, maxBatch, maxBatchDelay, rawRetention, minuteRetention, hourRetention,
                rollupInterval, retentionInterval, maxRowsRead, maxPoints, rollupChunkRows, deleteChunkRows,
                compactionWindow, maxQueueWait);
    }

    public StoreSettings withQueryLimits(int maxRowsRead, int maxPoints) {
        return new StoreSettings(queueSize, maxBatch, maxBatchDelay, rawRetention, minuteRetention, hourRetention,
                rollupInterval, retentionInterval, maxRowsRead, maxPoints, rollupChunkRows, deleteChunkRows,
                compactionWindow, maxQueueWait);
    }

    public StoreSettings withChunks(int rollupChunkRows, int deleteChunkRows) {
        return new StoreSettings(queueSize, maxBatch, maxBatchDelay, rawRetention, minuteRetention, hourRetention,
                rollupInterval, retentionInterval, maxRowsRead, maxPoints, rollupChunkRows, deleteChunkRows,
                compactionWindow, maxQueueWait);
    }

    public StoreSettings withCompactionWindow(Duration compactionWindow) {
        return new StoreSettings(queueSize, maxBatch, maxBatchDelay, rawRetention, minuteRetention, hourRetention,
                rollupInterval, retentionInterval, maxRowsRead, maxPoints, rollupChunkRows, deleteChunkRows,
                compactionWindow, maxQueueWait);
    }

    public StoreSettings withMaxQueueWait(Duration maxQueueWait) {
        return new StoreSettings(queueSize, maxBatch, maxBatchDelay, rawRetention, minuteRetention, hourRetention,
                rollupInterval, retentionInterval, maxRowsRead, maxPoints, rollupChunkRows, deleteChunkRows,
                compactionWindow, maxQueueWait);
    }

    private static void positive(String key, long value) {
        if (value < 1) {
            throw new IllegalArgumentException("steward.store." + key + " must be >= 1, was " + value);
        }
    }

    private static void positive(String key, Duration value) {
        requireNonNull(value, key + " is null");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("steward.store." + key + " must be positive, was " + value);
        }
    }
}
