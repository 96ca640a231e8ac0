package io.steward.node.cluster;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether this node should get traffic from a load balancer ({@code GET /readyz}): it is an Up member (not joining,
 * not leaving), its database answers, and its shard regions are registered with the coordinator. Liveness is
 * {@code /healthz}'s business; a node that is not ready may be perfectly alive (starting, or draining for a restart).
 *
 * @param reasons why it is not ready, one line per failed condition; empty when ready
 */
public record Readiness(boolean ready, MemberState member, boolean databaseUp, boolean shardingReady,
        List<String> reasons) {
    public Readiness {
        requireNonNull(member, "member is null");
        reasons = List.copyOf(reasons);
    }

    /** The verdict on the three conditions; {@code shardingProblem} is empty when sharding is ready. */
    public static Readiness of(MemberState member, boolean databaseUp, String shardingProblem) {
        List<String> reasons = new ArrayList<>();
        if (member != MemberState.UP) {
            reasons.add("this node is " + member.wireName() + ", not an up cluster member");
        }
        if (!databaseUp) {
            reasons.add("the database does not answer");
        }
        if (!shardingProblem.isEmpty()) {
            reasons.add(shardingProblem);
        }
        return new Readiness(reasons.isEmpty(), member, databaseUp, shardingProblem.isEmpty(), reasons);
    }
}
