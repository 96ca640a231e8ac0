package io.steward.node.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.steward.node.NodeConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * Configurations for nodes started in-process by tests: loopback, ephemeral ports, a fixed admin password, cheap
 * bcrypt, and every message serialized as if it crossed the cluster (to catch what would break on two nodes).
 */
public final class TestNodes {
    public static final String ADMIN_PASSWORD = "correct horse battery";

    private TestNodes() {}

    /** A single node on an embedded H2 database in {@code dataDir}. */
    public static Config h2(Path dataDir) {
        return NodeConfig.load(base(dataDir));
    }

    /** A node on the given PostgreSQL database. */
    public static Config postgres(Path dataDir, String jdbcUrl, String user, String password) {
        return NodeConfig.load(ConfigFactory.parseString("")
                .withValue("steward.db.url", ConfigValueFactory.fromAnyRef(jdbcUrl))
                .withValue("steward.db.user", ConfigValueFactory.fromAnyRef(user))
                .withValue("steward.db.password", ConfigValueFactory.fromAnyRef(password))
                .withFallback(base(dataDir)));
    }

    /** {@code config} joined to seed nodes instead of forming its own cluster, with the given roles. */
    public static Config member(Config config, List<String> seedNodes, List<String> roles, String entityRole) {
        return ConfigFactory.empty()
                .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seedNodes))
                .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(roles))
                .withValue("steward.cluster.entity-role", ConfigValueFactory.fromAnyRef(entityRole))
                .withFallback(config)
                .resolve();
    }

    private static Config base(Path dataDir) {
        return ConfigFactory.parseString("""
                        steward.http.bind = "127.0.0.1"
                        steward.http.port = 0
                        steward.auth.bcrypt-cost = 4
                        steward.local-agent.enabled = false
                        pekko.remote.artery.canonical.port = 0
                        pekko.actor.serialize-messages = on
                        pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                        pekko.coordinated-shutdown.exit-jvm = off
                        pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
                        """)
                .withValue("steward.data-dir", ConfigValueFactory.fromAnyRef(dataDir.toAbsolutePath().toString()))
                .withValue("steward.admin-password", ConfigValueFactory.fromAnyRef(ADMIN_PASSWORD));
    }
}
