/**
 * The metric time-series store: batched durable report writes ({@link io.steward.node.metrics.MetricWriter}),
 * 1-minute and 1-hour rollups, compaction of rolled-up raw reports into per-server chunks
 * ({@link io.steward.node.metrics.CompactionJob}), retention, and chart queries
 * ({@link io.steward.node.metrics.MetricStore}), on the shared database of {@link io.steward.node.database}. The raw
 * tier is {@code metric_chunk} plus the {@code metric_raw} tail; every raw read sees both.
 *
 * <p>Every JDBC call here blocks; the asynchronous methods of {@link io.steward.node.metrics.MetricStore} run them on
 * the blocking executor given at start, never on a Pekko dispatcher. The synchronous classes
 * ({@link io.steward.node.metrics.MetricQueries}, {@link io.steward.node.metrics.RollupJob},
 * {@link io.steward.node.metrics.RetentionJob}) must only be called from such a thread.
 *
 * <p>It knows nothing of the rooms that use it: ingest and the server entities reach it through seams the node wires
 * ({@code MetricStoreSeams}).
 */
package io.steward.node.metrics;
