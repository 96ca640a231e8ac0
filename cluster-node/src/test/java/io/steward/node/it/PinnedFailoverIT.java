package io.steward.node.it;

import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.steward.agent.Agent;
import io.steward.agent.AgentSettings;
import io.steward.agent.config.SettingsParser;
import io.steward.agent.link.HubTrust;
import io.steward.core.retry.Backoff;
import io.steward.core.testing.FreePort;
import io.steward.core.tls.CertificatePin;
import io.steward.node.StewardNode;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.CountingSource;
import io.steward.node.testing.PostgresServer;
import io.steward.node.testing.TestCertificates;
import io.steward.node.testing.TestNodes;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes that each made their own self-signed certificate, on one PostgreSQL: the enrollment command lists both
 * nodes' hubs and pins, and agents that pin certificates fail over when their node goes, both the one enrolled with
 * that command and one enrolled with a single node's pin, which trusts the other's because its verified node
 * announced it.
 */
class PinnedFailoverIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path node1Dir;
    @TempDir
    Path node2Dir;
    @TempDir
    Path agentDirs;

    private static Config node(Config database, int port, List<String> seeds) {
        return TestNodes.member(database
                .withValue("steward.http.bind", ConfigValueFactory.fromAnyRef("0.0.0.0"))
                .withValue("steward.http.port", ConfigValueFactory.fromAnyRef(port))
                .withValue("steward.http.public-url", ConfigValueFactory.fromAnyRef("https://127.0.0.1:" + port))
                .withValue("steward.cluster.insecure-transport", ConfigValueFactory.fromAnyRef(true)),
                seeds, List.of("entities"), "entities");
    }

    @Test
    void pinningAgentsFailOverToANodeWithAnotherSelfSignedCertificate() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            String database = postgres.jdbcUrl(postgres.createDatabase());
            int port1 = FreePort.find();
            StewardNode node1 = StewardNode.start(node(TestNodes.postgres(node1Dir, database, postgres.user(),
                    postgres.password()), port1, List.of()));
            StewardNode node2 = null;
            List<Agent> agents = new ArrayList<>();
            try {
                String seed = Cluster.get(node1.system()).selfMember().address().toString();
                int port2 = FreePort.find();
                node2 = StewardNode.start(node(TestNodes.postgres(node2Dir, database, postgres.user(),
                        postgres.password()), port2, List.of(seed)));
                String hub1 = "wss://127.0.0.1:" + port1 + "/ws/agent";
                String hub2 = "wss://127.0.0.1:" + port2 + "/ws/agent";
                X509Certificate certificate1 = certificate(node1Dir);
                CertificatePin pin1 = CertificatePin.of(certificate1);
                CertificatePin pin2 = CertificatePin.of(certificate(node2Dir));
                assertThat(pin2).isNotEqualTo(pin1);
                eventually(WAIT, () -> assertThat(node1.agentHubs()).containsExactly(hub1, hub2));

                ApiClient api = new ApiClient(URI.create("https://127.0.0.1:" + port1),
                        TestCertificates.trusting(certificate1));
                api.loginAsAdmin();
                JsonNode token = api.post("/api/enrollment-tokens", "{}").json();
                // Unchanged for tools that read them: this node's hub and pin.
                assertThat(token.get("hub").asText()).isEqualTo(hub1);
                assertThat(token.get("pinSha256").asText()).isEqualTo(pin1.toString());
                assertThat(texts(token.get("hubs"))).containsExactly(hub1, hub2);
                assertThat(texts(token.get("pinsSha256"))).containsExactly(pin1.toString(), pin2.toString());
                String command = token.get("command").asText();
                assertThat(command).contains("--hub " + hub1 + "," + hub2 + " --pin-sha256 " + pin1 + "," + pin2
                        + " --token ");
                assertThat(token.get("systemdUnit").asText()).contains("--hub " + hub1 + "," + hub2);

                // The command as handed out, run as an agent.
                List<String> arguments = new ArrayList<>(Arrays.asList(command.substring(
                        command.indexOf("steward-agent.jar") + "steward-agent.jar".length()).strip().split(" ")));
                arguments.addAll(List.of("--state-dir", agentDirs.resolve("enrolled").toString()));
                AgentSettings parsed = ((SettingsParser.Run) SettingsParser.parse(arguments, Map.of())).settings();
                assertThat(parsed.trust()).isEqualTo(new HubTrust.Pinned(List.of(pin1, pin2)));
                Agent enrolled = start(parsed.toBuilder(), "enrolled", agents);
                // Enrolled before the cluster had a second node: node 1's hub and pin only.
                Agent pinnedOnce = start(AgentSettings.builder()
                        .hub(URI.create(hub1))
                        .trust(new HubTrust.Pinned(pin1))
                        .token(api.enrollmentToken()), "pinned-once", agents);
                for (Agent agent : agents) {
                    eventually(WAIT, () -> {
                        assertThat(agent.status().hub()).isEqualTo(URI.create(hub1));
                        assertThat(agent.status().lastAckedSequence()).isPositive();
                    });
                }
                // The welcome told the single-pin agent the other hub and its pin.
                eventually(WAIT, () -> assertThat(Files.readAllLines(agentDirs.resolve("pinned-once")
                        .resolve("hub-pins"))).contains(pin2.toString()));

                node1.close();
                for (Agent agent : agents) {
                    long acked = agent.status().lastAckedSequence();
                    eventually(WAIT, () -> {
                        assertThat(agent.status().hub()).isEqualTo(URI.create(hub2));
                        assertThat(agent.status().connected()).isTrue();
                        assertThat(agent.status().lastAckedSequence()).isGreaterThan(acked + 1);
                    });
                }
                assertThat(pinnedOnce.status().serverId()).isNotEqualTo(enrolled.status().serverId());
            } finally {
                agents.forEach(Agent::close);
                if (node2 != null) {
                    node2.close();
                }
                node1.close();
            }
        }
    }

    private Agent start(AgentSettings.Builder settings, String hostname, List<Agent> agents) {
        Agent agent = Agent.start(settings
                .interval(Duration.ofSeconds(1))
                .stateDirectory(agentDirs.resolve(hostname))
                .hostname(hostname)
                .machineId("machine-" + hostname)
                .reconnectBackoff(new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1), 2))
                .build(), new CountingSource(hostname, 1000));
        agents.add(agent);
        return agent;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    private static X509Certificate certificate(Path dataDir) throws Exception {
        try (InputStream in = Files.newInputStream(dataDir.resolve("tls").resolve("self-signed-cert.pem"))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

}
