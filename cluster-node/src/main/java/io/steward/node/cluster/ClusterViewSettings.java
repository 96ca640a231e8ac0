package io.steward.node.cluster;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The cluster view's timing and limits, read once from {@code steward.cluster.view} (defaults and reasons in this
 * node's {@code application.conf}), plus the role a node needs to host entities ({@code steward.cluster.entity-role}).
 *
 * @param statsTimeout how long {@code /api/cluster} waits for the shard regions' entity counts
 * @param readinessTimeout how long {@code /readyz} waits for the database and the shard coordinator
 * @param dedupWindow copies of one repeatable event seen by several nodes within this are one
 * @param shardPollInterval how often a node looks at which shards it hosts
 * @param failoverWindow shard arrivals this long after a member was lost are failover phases
 * @param handoffLead shard arrivals this long before a member left are its handoff (a graceful stop hands its
 *     shards off before it tells the cluster it leaves)
 * @param historyLimit how many events {@code /api/cluster} reads
 * @param retention events older than this are deleted
 * @param pruneInterval how often a node deletes them
 * @param entityRole the role a node needs to host entities; empty = every node hosts them
 */
public record ClusterViewSettings(Duration statsTimeout, Duration readinessTimeout, Duration dedupWindow,
        Duration shardPollInterval, Duration failoverWindow, Duration handoffLead, int historyLimit,
        Duration retention, Duration pruneInterval, String entityRole) {

    public ClusterViewSettings {
        positive("stats-timeout", statsTimeout);
        positive("readiness-timeout", readinessTimeout);
        positive("dedup-window", dedupWindow);
        positive("shard-poll-interval", shardPollInterval);
        positive("failover-window", failoverWindow);
        requireNonNull(handoffLead, "steward.cluster.view.handoff-lead is null");
        if (handoffLead.isNegative()) {
            throw new IllegalArgumentException("steward.cluster.view.handoff-lead must not be negative");
        }
        if (historyLimit < 1 || historyLimit > 10_000) {
            throw new IllegalArgumentException("steward.cluster.view.history-limit must be within 1..10000");
        }
        positive("retention", retention);
        positive("prune-interval", pruneInterval);
        requireNonNull(entityRole, "steward.cluster.entity-role is null");
    }

    public static ClusterViewSettings fromConfig(Config config) {
        Config view = config.getConfig("steward.cluster.view");
        return new ClusterViewSettings(view.getDuration("stats-timeout"), view.getDuration("readiness-timeout"),
                view.getDuration("dedup-window"), view.getDuration("shard-poll-interval"),
                view.getDuration("failover-window"), view.getDuration("handoff-lead"), view.getInt("history-limit"),
                view.getDuration("retention"), view.getDuration("prune-interval"),
                config.getString("steward.cluster.entity-role"));
    }

    private static void positive(String key, Duration value) {
        requireNonNull(value, "steward.cluster.view." + key + " is null");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("steward.cluster.view." + key + " must be positive");
        }
    }
}
