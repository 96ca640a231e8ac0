/**
 * Metric series: how a report becomes named samples, how samples are encoded for storage, aggregated into rollups
 * and thinned for charts. Pure functions; the node's store calls them.
 */
package io.steward.core.metrics;
