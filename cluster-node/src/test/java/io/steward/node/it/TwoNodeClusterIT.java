package io.steward.node.it;

import static io.steward.core.testing.Eventually.await;
import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.steward.agent.Agent;
import io.steward.agent.AgentSettings;
import io.steward.node.ClusterTransport;
import io.steward.node.StewardNode;
import io.steward.node.server.ServerEntity;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.ClusterCertificates;
import io.steward.node.testing.CountingSource;
import io.steward.node.testing.LiveSocket;
import io.steward.node.testing.PostgresServer;
import io.steward.node.testing.TestNodes;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes form one cluster on PostgreSQL. The agent connects to node 1, which only ingests; its server's entity
 * lives on node 2 (the only node with the entity role). Reports, commands and live updates cross the cluster, and
 * every message is serialized on the way (serialize-messages is on), as it would be between machines. The nodes talk
 * over mutual TLS with certificates from the cluster's own CA; a third party with a certificate from another CA
 * tries to join first and is never let in.
 */
class TwoNodeClusterIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path node1Dir;
    @TempDir
    Path node2Dir;
    @TempDir
    Path agentDir;
    @TempDir
    Path intruderDir;
    @TempDir
    Path plainDir;
    @TempDir
    Path certificates;

    @Test
    void agentOnNodeOneEntityOnNodeTwo() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            String database = postgres.jdbcUrl(postgres.createDatabase());
            ClusterCertificates cluster = ClusterCertificates.authority(certificates.resolve("cluster"));
            Config base1 = withTls(TestNodes.postgres(node1Dir, database, postgres.user(), postgres.password()),
                    cluster.node("node1"));
            // Node 1 is the seed: it joins itself, hosts no entities, only routes to them.
            StewardNode node1 = StewardNode.start(TestNodes.member(base1, List.of(), List.of("ingest"), "entities"));
            ActorSystem<Void> intruder = null;
            ActorSystem<Void> plain = null;
            try {
                String seed = Cluster.get(node1.system()).selfMember().address().toString();
                // Someone with a certificate of another CA (same subject name) knocks first...
                Path foreign = ClusterCertificates.authority(certificates.resolve("foreign")).node("intruder");
                Config intruderConfig = ClusterTransport.apply(TestNodes.member(withTls(TestNodes.h2(intruderDir),
                        foreign), List.of(seed), List.of("entities"), "entities"));
                intruder = ActorSystem.create(Behaviors.empty(), intruderConfig.getString("steward.cluster.name"),
                        intruderConfig);
                Address intruderAddress = Cluster.get(intruder).selfMember().address();
                // ...and someone with no certificate at all, on plain TCP.
                Config plainConfig = ClusterTransport.apply(TestNodes.member(TestNodes.h2(plainDir)
                        .withValue("steward.cluster.insecure-transport", ConfigValueFactory.fromAnyRef(true)),
                        List.of(seed), List.of("entities"), "entities"));
                plain = ActorSystem.create(Behaviors.empty(), plainConfig.getString("steward.cluster.name"),
                        plainConfig);
                Address plainAddress = Cluster.get(plain).selfMember().address();
                Config base2 = withTls(TestNodes.postgres(node2Dir, database, postgres.user(), postgres.password()),
                        cluster.node("node2"));
                StewardNode node2 = StewardNode.start(TestNodes.member(base2, List.of(seed),
                        List.of("entities"), "entities"));
                try {
                    // ...node 2, with the cluster's certificate, joins after it; the intruder never does.
                    eventually(WAIT, () -> assertThat(Cluster.get(node1.system()).state().getMembers())
                            .hasSize(2));
                    assertThat(members(node1.system())).doesNotContain(intruderAddress, plainAddress)
                            .contains(Cluster.get(node2.system()).selfMember().address());
                    assertThat(Cluster.get(intruder).selfMember().status()).isNotEqualTo(MemberStatus.up());
                    assertThat(Cluster.get(plain).selfMember().status()).isNotEqualTo(MemberStatus.up());
                    assertThat(node1.config().getString("pekko.remote.artery.transport")).isEqualTo("tls-tcp");

                    ApiClient api = new ApiClient(node1.httpPort());
                    api.loginAsAdmin();
                    // A welcome names every member's agent endpoint, the welcoming node's first: where an agent
                    // goes when its node is lost.
                    try (io.steward.node.testing.RawAgentSocket raw =
                            new io.steward.node.testing.RawAgentSocket(node1.httpPort())) {
                        String one = "ws://127.0.0.1:" + node1.httpPort() + "/ws/agent";
                        String two = "ws://127.0.0.1:" + node2.httpPort() + "/ws/agent";
                        eventually(WAIT, () -> assertThat(node1.agentHubs()).containsExactly(one, two));
                        raw.send(io.steward.core.protocol.WireFormat.encode(new io.steward.core.protocol
                                .AgentMessage.Hello(io.steward.core.protocol.ProtocolVersion.CURRENT, "1.0",
                                api.enrollmentToken(), "hub-probe", "hub-probe-machine")));
                        var welcome = (io.steward.core.protocol.NodeMessage.Welcome) raw.next();
                        assertThat(welcome.hubs()).containsExactly(one, two);
                        // Node two's receptionist listing arrives by gossip, in its own time.
                        eventually(WAIT, () -> assertThat(node2.agentHubs()).containsExactly(two, one));
                    }
                    CountingSource source = new CountingSource("clustered-1", 1000);
                    try (Agent agent = Agent.start(AgentSettings.builder()
                            .hub(URI.create("ws://127.0.0.1:" + node1.httpPort() + "/ws/agent"))
                            .token(api.enrollmentToken())
                            .interval(Duration.ofSeconds(1))
                            .stateDirectory(agentDir)
                            .build(), source)) {
                        String serverId = await(WAIT, "the agent to enroll", () -> agent.status().serverId());

                        // Node 1 answers from the entity on node 2.
                        eventually(WAIT, () -> {
                            JsonNode server = api.get("/api/servers/" + serverId).json();
                            assertThat(server.get("online").asBoolean()).isTrue();
                            assertThat(server.get("cpuPercent").isNumber()).isTrue();
                        });
                        assertThat(entitiesHostedBy(node2)).contains(serverId);
                        assertThat(entitiesHostedBy(node1)).isEmpty();

                        // A command from node 1's API changes state on node 2, visible from node 2's API.
                        api.patch("/api/servers/" + serverId, "{\"displayName\":\"across the cluster\"}").json();
                        ApiClient api2 = new ApiClient(node2.httpPort());
                        api2.loginAsAdmin();
                        assertThat(api2.get("/api/servers/" + serverId).json().get("displayName").asText())
                                .isEqualTo("across the cluster");
                        // Node 1 hosts no entity: its overview read model hears of the rename from node 2's push.
                        eventually(WAIT, () -> assertThat(api.get("/api/servers").json()).anySatisfy(listed -> {
                            assertThat(listed.get("id").asText()).isEqualTo(serverId);
                            assertThat(listed.get("displayName").asText()).isEqualTo("across the cluster");
                        }));

                        // A browser on node 1 gets the fleet feed and the server's reports from the entity on node 2
                        // (the fleet topic spans the cluster).
                        try (LiveSocket live = api.liveSocket()) {
                            live.send("{\"type\":\"watch-fleet\"}");
                            live.send("{\"type\":\"watch-server\",\"serverId\":\"" + serverId + "\"}");
                            JsonNode snapshot = live.next("fleet", WAIT);
                            assertThat(snapshot.get("servers").toString()).contains(serverId);
                            live.next(message -> "fleet".equals(message.path("type").asText())
                                            && !message.get("snapshot").asBoolean()
                                            && message.get("servers").toString().contains(serverId),
                                    "a fleet change pushed from node 2", WAIT);
                            assertThat(live.next("server", WAIT).get("summary").get("displayName").asText())
                                    .isEqualTo("across the cluster");
                        }

                        // Reports keep flowing and are stored via node 1 while the entity on node 2 follows them.
                        long acked = agent.status().lastAckedSequence();
                        eventually(WAIT, () -> assertThat(agent.status().lastAckedSequence()).isGreaterThan(acked + 2));
                        eventually(WAIT, () -> assertThat(node2.metrics().storedSequences(serverId)
                                .toCompletableFuture().join().size()).isGreaterThan((int) acked + 2));
                    }
                } finally {
                    node2.close();
                }
            } finally {
                if (intruder != null) {
                    intruder.terminate();
                }
                if (plain != null) {
                    plain.terminate();
                }
                node1.close();
            }
        }
    }

    private static Config withTls(Config config, Path directory) {
        return config.withValue("steward.cluster.tls.dir", ConfigValueFactory.fromAnyRef(directory.toString()));
    }

    private static Set<Address> members(ActorSystem<?> system) {
        Set<Address> addresses = new HashSet<>();
        Cluster.get(system).state().getMembers().forEach(member -> addresses.add(member.address()));
        return addresses;
    }

    /** Entity ids currently hosted by the node's own shard region. */
    private static Set<String> entitiesHostedBy(StewardNode node) {
        TestProbe<ShardRegion.CurrentShardRegionState> probe = TestProbe.create(node.system());
        ClusterSharding.get(node.system()).shardState()
                .tell(new GetShardRegionState(ServerEntity.TYPE_KEY, probe.getRef()));
        ShardRegion.CurrentShardRegionState state = probe.receiveMessage(Duration.ofSeconds(10));
        return state.getShards().stream()
                .flatMap(shard -> shard.getEntityIds().stream())
                .collect(Collectors.toSet());
    }
}
