package io.steward.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.steward.node.database.Database;
import io.steward.node.database.DatabaseSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first seed node forms a cluster only when no other member wrote a heartbeat recently (read from a real
 * database): restarted beside a running cluster it cannot reach, it joins instead of founding a second one.
 */
class SeedGuardTest {
    private static final String A = "pekko://steward@10.0.0.1:2551";
    private static final String B = "pekko://steward@10.0.0.2:2551";
    private static final String C = "pekko://steward@10.0.0.3:2551";
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dataDir;
    private Database database;
    private ClusterHeartbeats heartbeats;

    @BeforeEach
    void open() throws Exception {
        database = Database.open(DatabaseSettings.h2File(dataDir.toAbsolutePath()));
        database.migrate();
        heartbeats = new ClusterHeartbeats(database.dataSource());
    }

    @AfterEach
    void close() {
        database.close();
    }

    private static Config seeds(String... seeds) {
        return ConfigFactory.parseString("steward.cluster.heartbeat-fresh = 15s")
                .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(List.of(seeds)));
    }

    private static List<String> seedsOf(Config config) {
        return config.getStringList("pekko.cluster.seed-nodes");
    }

    @Test
    void theFirstSeedFormsWhenNoOtherMemberIsAlive() throws Exception {
        assertThat(seedsOf(SeedGuard.apply(seeds(A, B, C), heartbeats, A, CLOCK))).as("an empty table: a first start")
                .containsExactly(A, B, C);
        heartbeats.beat(B, NOW.minusSeconds(16));
        heartbeats.beat(A, NOW.minusSeconds(1)); // its own earlier incarnation does not count
        assertThat(seedsOf(SeedGuard.apply(seeds(A, B, C), heartbeats, A, CLOCK))).as("the cluster was stopped")
                .containsExactly(A, B, C);
    }

    @Test
    void theFirstSeedOnlyJoinsWhileAnotherMemberWroteRecently() throws Exception {
        heartbeats.beat(C, NOW.minusSeconds(20));
        heartbeats.beat(C, NOW.minusSeconds(3)); // the upsert keeps the newest
        assertThat(seedsOf(SeedGuard.apply(seeds(A, B, C), heartbeats, A, CLOCK)))
                .as("not first any more: Pekko's joining process never forms a cluster").containsExactly(B, C, A);
    }

    @Test
    void otherSeedsAndSeedlessNodesAreLeftAlone() throws Exception {
        heartbeats.beat(A, NOW);
        assertThat(seedsOf(SeedGuard.apply(seeds(A, B, C), heartbeats, B, CLOCK))).containsExactly(A, B, C);
        assertThat(seedsOf(SeedGuard.apply(seeds(), heartbeats, A, CLOCK))).isEmpty();
    }
}
