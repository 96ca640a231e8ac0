package io.steward.node.server;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Whether this node's view of the cluster is settled: it is up itself and sees every member reachable. A node that
 * resumes from a freeze long enough to have been downed sees the survivors unreachable until one tells it so; an
 * entity there does not judge a silence meanwhile (see {@link io.steward.core.retry.OverdueTimers}).
 */
@FunctionalInterface
public interface ClusterHealth {
    boolean settled();

    /** For entities outside a cluster (tests). */
    ClusterHealth SETTLED = () -> true;

    /** This node's current view, read from the cluster's state on each call (no subscription to keep). */
    static ClusterHealth of(ActorSystem<?> system) {
        Cluster cluster = Cluster.get(system);
        return () -> {
            ClusterEvent.CurrentClusterState state = cluster.state();
            return state.getUnreachable().isEmpty() && cluster.selfMember().status().equals(MemberStatus.up());
        };
    }
}
