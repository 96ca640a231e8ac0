/**
 * The node's own metrics for Prometheus ({@code GET /metrics}): ingest, the store's write queue, the notification
 * outbox, the JVM, and — only when {@code steward.metrics.fleet} is on — every server's latest values. Built on the
 * official Prometheus Java client with a registry per node (never the library's global default one).
 */
package io.steward.node.telemetry;
