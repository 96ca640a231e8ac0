package io.steward.node.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node from forming a second cluster on the shared database. Pekko lets the first of the seed nodes form a new
 * cluster when it reaches none of the others within the seed timeout — right at the first start, but wrong when that
 * node was downed on the losing side of a partition and systemd started it again: it would found a cluster of its own
 * beside the running one, both writing the same journal. So when other members wrote a heartbeat recently, the first
 * seed moves itself to the end of the list and only joins. When the whole cluster was stopped, the heartbeats go stale
 * within the window and the first seed forms the cluster as before (a full restart quicker than the window waits for
 * one startup timeout and a restart by systemd).
 */
public final class SeedGuard {
    private static final Logger log = LoggerFactory.getLogger(SeedGuard.class);

    private SeedGuard() {
    }

    /**
     * {@code config} with its seed nodes reordered by {@link #seeds} from the heartbeats written within {@code
     * steward.cluster.heartbeat-fresh}; unchanged unless this node ({@code self}, as a seed-node address) is the first.
     */
    public static Config apply(Config config, ClusterHeartbeats heartbeats, String self, Clock clock) {
        List<String> configured = config.getStringList("pekko.cluster.seed-nodes");
        if (!configured.isEmpty() && !configured.contains(self)) {
            log.warn("This node's cluster address [{}] is not among the seed nodes {} as written: if it is one of them"
                    + " under another name, write it as it is here, or the guard against a second cluster is off",
                    self, configured);
        }
        if (configured.isEmpty() || !configured.get(0).equals(self)) {
            return config;
        }
        java.time.Duration fresh = config.getDuration("steward.cluster.heartbeat-fresh");
        List<String> alive;
        try {
            alive = heartbeats.othersSeenSince(self, clock.instant().minus(fresh));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the members' heartbeats to decide whether to form the"
                    + " cluster", e);
        }
        List<String> seeds = seeds(configured, self, alive);
        if (seeds.equals(configured)) {
            return config;
        }
        log.warn("Members {} wrote heartbeats within {}: a cluster is running, so this node (the first seed) joins it"
                + " and does not form a new one", alive, fresh);
        return config.withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seeds));
    }

    /**
     * The seed nodes this node should use: {@code configured} as is, unless this node ({@code self}) is the first and
     * {@code othersAlive} is not empty — then with itself last, so it joins and never forms.
     */
    public static List<String> seeds(List<String> configured, String self, List<String> othersAlive) {
        if (configured.isEmpty() || !configured.get(0).equals(self) || othersAlive.isEmpty()) {
            return configured;
        }
        List<String> joinOnly = new ArrayList<>(configured.subList(1, configured.size()));
        joinOnly.add(self);
        return List.copyOf(joinOnly);
    }
}
