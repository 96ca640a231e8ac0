package io.steward.node.it;

import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.protocol.ProtocolVersion;
import io.steward.core.protocol.WireFormat;
import io.steward.core.testing.FreePort;
import io.steward.node.StewardNode;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.PostgresServer;
import io.steward.node.testing.RawAgentSocket;
import io.steward.node.testing.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one PostgreSQL database, both hosting server entities. The cluster view lists both members with what
 * each hosts, and both are ready. Then node 2 dies without leaving (its actor system ends with no goodbye to the
 * cluster, as a killed process would): node 1's history shows node 2 unreachable, downed and removed, its shards
 * arriving at node 1 and their entities running again there, as one failover.
 */
class ClusterViewIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int SERVERS = 20;

    @TempDir
    Path node1Dir;
    @TempDir
    Path node2Dir;

    @Test
    void listsBothMembersWithTheirEntitiesAndRecordsTheFailoverWhenOneDies() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            String database = postgres.jdbcUrl(postgres.createDatabase());
            // With two members, the split-brain resolver keeps the side with the lowest address: node 1's.
            int[] ports = IntStream.generate(FreePort::find).limit(2).sorted().toArray();
            StewardNode node1 = StewardNode.start(member(TestNodes.postgres(node1Dir, database, postgres.user(),
                    postgres.password()), ports[0], List.of()));
            StewardNode node2 = null;
            try {
                String seed = Cluster.get(node1.system()).selfMember().address().toString();
                // Node 2 ends without the coordinated leave: what the cluster sees of a killed process.
                node2 = StewardNode.start(member(TestNodes.postgres(node2Dir, database, postgres.user(),
                        postgres.password()), ports[1], List.of(seed))
                        .withValue("pekko.coordinated-shutdown.run-by-actor-system-terminate",
                                ConfigValueFactory.fromAnyRef(false)));
                String address1 = seed;
                String address2 = Cluster.get(node2.system()).selfMember().address().toString();
                ApiClient api = new ApiClient(node1.httpPort());
                api.loginAsAdmin();

                for (StewardNode node : List.of(node1, node2)) {
                    ApiClient client = new ApiClient(node.httpPort());
                    eventually(WAIT, () -> {
                        ApiClient.Response ready = client.get("/readyz");
                        assertThat(ready.status()).as(ready.raw().body()).isEqualTo(200);
                        assertThat(ready.json().get("ready").asBoolean()).isTrue();
                    });
                }
                enrollServers(node1, api);
                eventually(WAIT, () -> {
                    JsonNode cluster = api.get("/api/cluster").json();
                    assertThat(cluster.get("self").asText()).isEqualTo(address1);
                    assertThat(cluster.get("entityTypes").toString()).isEqualTo("[\"server\",\"check\"]");
                    List<JsonNode> members = list(cluster.get("members"));
                    assertThat(members).extracting(member -> member.get("address").asText())
                            .containsExactlyInAnyOrder(address1, address2);
                    assertThat(members).allSatisfy(member -> {
                        assertThat(member.get("status").asText()).isEqualTo("up");
                        assertThat(member.get("reachable").asBoolean()).isTrue();
                        assertThat(member.get("upSince").isTextual()).as("up since, from the history").isTrue();
                        assertThat(serverEntities(member)).as("each hosts some").isPositive();
                    });
                    assertThat(members.stream().mapToInt(ClusterViewIT::serverEntities).sum()).isEqualTo(SERVERS);
                    assertThat(members).filteredOn(member -> member.get("self").asBoolean()).singleElement()
                            .satisfies(member -> assertThat(member.get("address").asText()).isEqualTo(address1));
                    assertThat(members).filteredOn(member -> member.get("leader").asBoolean()).hasSize(1);
                    assertThat(cluster.get("oldest").asText()).isEqualTo(address1);
                    assertThat(cluster.get("hostingProblem").isNull()).isTrue();
                    // Both nodes saw node 2 come up (node 1 as it happened, node 2 from its start): one row each.
                    assertThat(list(cluster.get("events"))).filteredOn(event -> event.get("kind").asText()
                            .equals("up")).extracting(event -> event.get("member").asText())
                            .containsExactlyInAnyOrder(address1, address2);
                });

                node2.system().terminate();
                node2.system().getWhenTerminated().toCompletableFuture().get();
                // The entities of node 2's shards come back on node 1 by themselves (remembered entities), though
                // no agent reconnects.
                eventually(WAIT, () -> assertThat(list(api.get("/api/cluster").json().get("members")))
                        .hasSize(1));

                eventually(WAIT, () -> {
                    JsonNode cluster = api.get("/api/cluster").json();
                    JsonNode member = cluster.get("members").get(0);
                    assertThat(serverEntities(member)).isEqualTo(SERVERS);
                    JsonNode failover = cluster.get("failovers").get(0);
                    assertThat(failover.get("member").asText()).isEqualTo(address2);
                    assertThat(failover.get("outcome").asText()).isEqualTo("failed-over");
                    List<String> phases = list(failover.get("phases")).stream()
                            .map(phase -> phase.get("kind").asText()).distinct().toList();
                    assertThat(phases).containsSubsequence("unreachable", "downed", "removed", "shards-moved",
                            "entities-recovered");
                    assertThat(list(failover.get("phases")).stream()
                            .filter(phase -> phase.get("kind").asText().equals("entities-recovered")).findFirst()
                            .orElseThrow().get("node").asText()).isEqualTo(address1);
                });
                ApiClient.Response ready = new ApiClient(node1.httpPort()).get("/readyz");
                assertThat(ready.status()).isEqualTo(200);
            } finally {
                if (node2 != null) {
                    node2.close();
                }
                node1.close();
            }
        }
    }

    private static Config member(Config config, int clusterPort, List<String> seeds) {
        return ConfigFactory.empty()
                .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(clusterPort))
                .withValue("steward.cluster.insecure-transport", ConfigValueFactory.fromAnyRef(true))
                // Down an unreachable member soon, so the test does not wait out the production margin.
                .withValue("pekko.cluster.split-brain-resolver.stable-after", ConfigValueFactory.fromAnyRef("2s"))
                // This test's own shard allocations come seconds before the failover; they are not its handoff.
                .withValue("steward.cluster.view.handoff-lead", ConfigValueFactory.fromAnyRef("1s"))
                .withFallback(TestNodes.member(config, seeds, List.of("entities"), ""))
                .resolve();
    }

    /** Enrolls {@code SERVERS} servers through {@code node}, each with a real agent handshake that then ends. */
    private static void enrollServers(StewardNode node, ApiClient api) {
        String token = api.post("/api/enrollment-tokens", "{\"maxUses\":" + SERVERS + "}").json().get("token")
                .asText();
        for (int i = 1; i <= SERVERS; i++) {
            try (RawAgentSocket agent = new RawAgentSocket(node.httpPort())) {
                agent.send(WireFormat.encode(new AgentMessage.Hello(ProtocolVersion.CURRENT, "1.0", token,
                        "view-" + i, "view-machine-" + i)));
                assertThat(agent.next()).isInstanceOf(NodeMessage.Welcome.class);
            }
        }
    }

    private static int serverEntities(JsonNode member) {
        return StreamSupport.stream(member.get("hosted").spliterator(), false)
                .filter(hosted -> hosted.get("type").asText().equals("server"))
                .mapToInt(hosted -> hosted.get("entities").asInt()).sum();
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }
}
