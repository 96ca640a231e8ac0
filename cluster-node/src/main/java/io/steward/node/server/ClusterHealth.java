package io.steward.node.server;

import java.time.Duration;
import java.time.Instant;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Whether this node's view of the cluster can be trusted: it is up itself and sees every member reachable, and how
 * long this process stood still lately. A node that resumes from a freeze long enough to have been downed sees the
 * survivors unreachable until one tells it so; an entity there does not judge a silence meanwhile (see
 * {@link io.steward.core.retry.OverdueTimers}).
 */
@FunctionalInterface
public interface ClusterHealth {
    boolean settled();

    /** The longest time this process stood still since {@code since} (zero where nobody watches: tests). */
    default Duration pausedSince(Instant since) {
        return Duration.ZERO;
    }

    /** How long this process stood still between {@code since} and now (zero where nobody watches: tests). */
    default Duration stoodStillWithin(Instant since) {
        return Duration.ZERO;
    }

    /** For entities outside a cluster (tests). */
    ClusterHealth SETTLED = () -> true;

    /**
     * This node's current view, read from the cluster's state on each call (no subscription to keep), and the pauses
     * {@code pauses} saw.
     */
    static ClusterHealth of(ActorSystem<?> system, PauseWatch pauses) {
        Cluster cluster = Cluster.get(system);
        return new ClusterHealth() {
            @Override
            public boolean settled() {
                ClusterEvent.CurrentClusterState state = cluster.state();
                return state.getUnreachable().isEmpty() && cluster.selfMember().status().equals(MemberStatus.up());
            }

            @Override
            public Duration pausedSince(Instant since) {
                return pauses.longestSince(since);
            }

            @Override
            public Duration stoodStillWithin(Instant since) {
                return pauses.stoodStillWithin(since);
            }
        };
    }
}
