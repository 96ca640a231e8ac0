/**
 * Steward's database layer and metric time-series store: the connection pool and versioned schema
 * ({@link io.steward.node.store.Database}), batched durable report writes ({@link io.steward.node.store.MetricWriter}),
 * 1-minute and 1-hour rollups, retention, and chart queries ({@link io.steward.node.store.MetricStore}).
 *
 * <p>Every JDBC call here blocks; the asynchronous methods of {@link io.steward.node.store.MetricStore} run them on
 * the blocking executor given at start, never on a Pekko dispatcher. The synchronous classes
 * ({@link io.steward.node.store.MetricQueries}, {@link io.steward.node.store.RollupJob},
 * {@link io.steward.node.store.RetentionJob}) must only be called from such a thread.
 */
package io.steward.node.store;
