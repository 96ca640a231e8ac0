package io.steward.node.it;

import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.protocol.ProtocolVersion;
import io.steward.core.protocol.WireFormat;
import io.steward.core.testing.FreePort;
import io.steward.node.StewardNode;
import io.steward.node.settings.SettingsBook;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.PostgresServer;
import io.steward.node.testing.RawAgentSocket;
import io.steward.node.testing.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one PostgreSQL: a setting changed through one node is in force on the other at once, without a restart
 * — its API shows it, a new agent connection there is welcomed with it, and an agent connected there is told a later
 * change of the interval. The safety-net reload is set to ten
 * minutes, so only the cluster's announcement can have carried the change (once both nodes' topics know each other).
 */
class ClusterSettingsIT {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path node1Dir;
    @TempDir
    Path node2Dir;

    @Test
    void aChangeOnOneNodeIsAppliedOnTheOther() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            String database = postgres.jdbcUrl(postgres.createDatabase());
            try (StewardNode node1 = StewardNode.start(member(TestNodes.postgres(node1Dir, database, postgres.user(),
                    postgres.password()), List.of()))) {
                String seed = Cluster.get(node1.system()).selfMember().address().toString();
                try (StewardNode node2 = StewardNode.start(member(TestNodes.postgres(node2Dir, database,
                        postgres.user(), postgres.password()), List.of(seed)))) {
                    ApiClient api1 = new ApiClient(node1.httpPort());
                    api1.loginAsAdmin();
                    ApiClient api2 = new ApiClient(node2.httpPort());
                    api2.loginAsAdmin();
                    SettingsIT.assertSetting(SettingsIT.settings(api2.get("/api/settings").json())
                            .get("agentInterval"), "5s", "default", "5s");
                    // A node that joined a moment ago is not yet known to the others' topic (the receptionist
                    // spreads it within seconds; until then the safety reload is what reaches it): wait for that.
                    awaitTopicKnowsBothNodes(node1);
                    awaitTopicKnowsBothNodes(node2);

                    api1.put("/api/settings", "{\"agentInterval\": \"3s\", \"offlineAfterMissedReports\": 4}").json();

                    eventually(WAIT, () -> {
                        var settings = SettingsIT.settings(api2.get("/api/settings").json());
                        SettingsIT.assertSetting(settings.get("agentInterval"), "3s", "database", "5s");
                        SettingsIT.assertSetting(settings.get("offlineAfterMissedReports"), "4", "database", "3");
                    });
                    String token = api1.post("/api/enrollment-tokens", "{}").json().get("token").asText();
                    try (RawAgentSocket agent = new RawAgentSocket(node2.httpPort())) {
                        agent.send(WireFormat.encode(new AgentMessage.Hello(ProtocolVersion.CURRENT, "test", token,
                                "on-node-2", "machine-on-node-2")));
                        NodeMessage message = agent.next();
                        assertThat(message).isInstanceOf(NodeMessage.Welcome.class);
                        assertThat(((NodeMessage.Welcome) message).suggestedIntervalMillis()).isEqualTo(3_000);

                        // Changed through node 1 while the agent is connected to node 2: node 2 tells it at once.
                        api1.put("/api/settings", "{\"agentInterval\": \"2s\"}").json();
                        assertThat(agent.next()).isEqualTo(new NodeMessage.IntervalSuggested(2_000));
                    }

                    // Storage and the purge preview on PostgreSQL (SettingsIT measures H2).
                    var storage = api1.get("/api/settings/storage").json();
                    assertThat(storage.get("method").asText()).startsWith("PostgreSQL");
                    assertThat(storage.get("tiers")).hasSize(3);
                    assertThat(storage.get("totalBytes").asLong()).isPositive();
                    assertThat(api2.post("/api/settings/purge", "{\"olderThan\": \"30d\", \"dryRun\": true}").json()
                            .get("totalRows").asLong()).isZero();

                    // And back the other way: a reset through node 2 reaches node 1.
                    api2.put("/api/settings", "{\"agentInterval\": null}").json();
                    eventually(WAIT, () -> SettingsIT.assertSetting(SettingsIT.settings(api1.get("/api/settings")
                            .json()).get("agentInterval"), "5s", "default", "5s"));
                }
            }
        }
    }

    /**
     * Waits until a topic instance on {@code node} lists both nodes' settings topics (each has its node's follower
     * subscribed, so each is registered). The instance made here has no subscriber and does not count itself.
     */
    private static void awaitTopicKnowsBothNodes(StewardNode node) {
        ActorRef<Topic.Command<SettingsBook.SettingsChanged>> watcher = node.system().systemActorOf(
                Topic.create(SettingsBook.SettingsChanged.class, "steward-settings"),
                "settings-topic-watcher-" + System.nanoTime(), Props.empty());
        TestProbe<Topic.TopicStats> stats = TestProbe.create(node.system());
        eventually(WAIT, () -> {
            watcher.tell(Topic.getTopicStats(stats.ref()));
            assertThat(stats.receiveMessage().topicInstanceCount()).isGreaterThanOrEqualTo(2);
        });
    }

    private static Config member(Config config, List<String> seeds) {
        return ConfigFactory.empty()
                .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(FreePort.find()))
                .withValue("steward.cluster.insecure-transport", ConfigValueFactory.fromAnyRef(true))
                // Only the announcement may carry a change within the test.
                .withValue("steward.settings.reload", ConfigValueFactory.fromAnyRef("10m"))
                .withFallback(TestNodes.member(config, seeds, List.of("entities"), ""))
                .resolve();
    }
}
