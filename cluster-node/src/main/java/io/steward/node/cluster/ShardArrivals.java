package io.steward.node.cluster;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Which shard arrivals on this node are failover phases, from what the node hosts poll after poll (pure; one actor
 * owns an instance). Shards arrive at a node after another member was downed and removed (its shards are allocated
 * anew), after a graceful stop handed them off (which happens a little before the cluster hears that member leave),
 * when a node joins (rebalancing) and at a node's first allocation. Only the first two are a failover: a burst of
 * arrivals is written down as {@link ClusterEventKind#SHARDS_MOVED} when a loss of another member lies within the
 * failover window before it or the handoff lead after it; then, once the number of entities running in the arrived
 * shards holds still for one poll, as {@link ClusterEventKind#ENTITIES_RECOVERED}, stamped when it reached that
 * number. Entities that never start within the window (no agent, no remembered entities) give no second phase.
 */
public final class ShardArrivals {

    /** What a node hosts: per entity type ("server", "check"), per shard id, how many entities run in it. */
    public record LocalShards(Map<String, Map<String, Integer>> byType) {
        public LocalShards {
            byType = Map.copyOf(byType);
        }

        Set<TypedShard> shards() {
            Set<TypedShard> shards = new HashSet<>();
            byType.forEach((type, byShard) -> byShard.keySet().forEach(id -> shards.add(new TypedShard(type, id))));
            return shards;
        }

        int entitiesIn(TypedShard shard) {
            return byType.getOrDefault(shard.type(), Map.of()).getOrDefault(shard.id(), 0);
        }
    }

    /** A phase to write down about this node. */
    public record Phase(ClusterEventKind kind, Instant at, String detail) {}

    record TypedShard(String type, String id) {}

    /** Arrivals since the last burst ended: gathered until they settle, then their entities counted. */
    private static final class Burst {
        final Instant firstArrival;
        final Set<TypedShard> arrived = new HashSet<>();
        boolean shardsRecorded;
        int entities = -1;
        @Nullable Instant entitiesSince;

        Burst(Instant firstArrival, Set<TypedShard> arrived) {
            this.firstArrival = firstArrival;
            this.arrived.addAll(arrived);
        }
    }

    private final Duration failoverWindow;
    private final Duration handoffLead;
    private @Nullable Set<TypedShard> known;
    private @Nullable Instant lastLoss;
    private @Nullable Burst burst;

    public ShardArrivals(Duration failoverWindow, Duration handoffLead) {
        this.failoverWindow = requireNonNull(failoverWindow, "failoverWindow is null");
        this.handoffLead = requireNonNull(handoffLead, "handoffLead is null");
    }

    /** Another member was lost or left at {@code at}. */
    public void memberLost(Instant at) {
        if (lastLoss == null || at.isAfter(lastLoss)) {
            lastLoss = at;
        }
    }

    /** What the node hosts at {@code at}; the phases this completes, to write down. */
    public List<Phase> observe(Instant at, LocalShards hosted) {
        Set<TypedShard> current = hosted.shards();
        if (known == null) {
            known = current; // the first look is the baseline, not an arrival
            return List.of();
        }
        Set<TypedShard> arrived = new HashSet<>(current);
        arrived.removeAll(known);
        known = current;
        if (!arrived.isEmpty()) {
            if (burst == null) {
                burst = new Burst(at, arrived);
            } else {
                burst.arrived.addAll(arrived);
            }
            return List.of(); // still arriving: wait until they settle
        }
        if (burst == null) {
            return List.of();
        }
        List<Phase> phases = new ArrayList<>();
        if (!burst.shardsRecorded) {
            if (!explainedByLoss(burst.firstArrival)) {
                if (at.isAfter(burst.firstArrival.plus(handoffLead))) {
                    burst = null; // a join or a first allocation; no loss can explain it any more
                }
                return phases;
            }
            burst.shardsRecorded = true;
            phases.add(new Phase(ClusterEventKind.SHARDS_MOVED, burst.firstArrival, shardCounts(burst.arrived)));
        }
        int entities = burst.arrived.stream().mapToInt(hosted::entitiesIn).sum();
        if (entities != burst.entities) {
            burst.entities = entities;
            burst.entitiesSince = at;
        } else if (entities > 0) {
            phases.add(new Phase(ClusterEventKind.ENTITIES_RECOVERED, requireNonNull(burst.entitiesSince),
                    entityCounts(burst.arrived, hosted)));
            burst = null;
            return phases;
        }
        if (at.isAfter(burst.firstArrival.plus(failoverWindow))) {
            burst = null; // their entities did not start within the window
        }
        return phases;
    }

    private boolean explainedByLoss(Instant firstArrival) {
        return lastLoss != null && !lastLoss.isBefore(firstArrival.minus(failoverWindow))
                && !lastLoss.isAfter(firstArrival.plus(handoffLead));
    }

    /** "12 server shards, 3 check shards". */
    private static String shardCounts(Set<TypedShard> shards) {
        Map<String, Integer> byType = new TreeMap<>();
        shards.forEach(shard -> byType.merge(shard.type(), 1, Integer::sum));
        return describe(byType, "shard", "shards");
    }

    /** "240 server entities, 12 check entities". */
    private static String entityCounts(Set<TypedShard> shards, LocalShards hosted) {
        Map<String, Integer> byType = new TreeMap<>();
        shards.forEach(shard -> byType.merge(shard.type(), hosted.entitiesIn(shard), Integer::sum));
        return describe(byType, "entity", "entities");
    }

    private static String describe(Map<String, Integer> counts, String one, String many) {
        List<String> parts = new ArrayList<>();
        counts.forEach((type, count) -> parts.add(count + " " + type + " " + (count == 1 ? one : many)));
        return String.join(", ", parts);
    }
}
