/**
 * The cluster as an operator sees it (issue 14): its members with their state and roles, how many server and check
 * entities each hosts, whether this node is ready for traffic, and the failover history. Every node records the
 * member events it sees and the failover phases it observes on itself ({@link io.steward.node.cluster.ClusterRecorder})
 * into one shared table ({@link io.steward.node.cluster.ClusterEventStore}); {@link io.steward.node.cluster.ClusterView}
 * answers the HTTP edge. The decisions (deduplication, which shard arrivals are a failover, grouping events into
 * failovers) are pure and live apart: {@link io.steward.node.cluster.ClusterEventKind},
 * {@link io.steward.node.cluster.ShardArrivals}, {@link io.steward.node.cluster.FailoverHistory}.
 */
package io.steward.node.cluster;
