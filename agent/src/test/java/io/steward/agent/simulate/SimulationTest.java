package io.steward.agent.simulate;

import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.steward.agent.Agent;
import io.steward.agent.AgentSettings;
import io.steward.agent.link.StateDirectory;
import io.steward.agent.testing.FakeNode;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.retry.Backoff;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulationTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path stateDirectory;

    @Test
    void simulatedAgentsEnrollSeparatelyAndStreamTheirOwnSequences() {
        try (FakeNode node = FakeNode.start().acceptEnrollmentToken("shared-token")) {
            AgentSettings settings = AgentSettings.builder()
                    .hub(node.hub())
                    .token("shared-token")
                    .interval(Duration.ofSeconds(1))
                    .stateDirectory(stateDirectory)
                    .simulatedAgents(5)
                    .inMemorySpool(true)
                    .reconnectBackoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(300), 2.0))
                    .build();
            try (Simulation simulation = Simulation.start(settings)) {
                eventually(WAIT, () -> {
                    assertThat(node.serverIds()).hasSize(5);
                    for (String serverId : node.serverIds()) {
                        assertThat(node.storedSequences(serverId)).startsWith(1L, 2L);
                    }
                    Simulation.Summary summary = simulation.summary();
                    assertThat(summary.agents()).isEqualTo(5);
                    assertThat(summary.connected()).isEqualTo(5);
                    assertThat(summary.acked()).isGreaterThanOrEqualTo(10);
                });
                for (Agent agent : simulation.agents()) {
                    assertThat(agent.settings().inMemorySpool()).isTrue();
                }
            }
            Set<String> hostnames = new HashSet<>();
            Set<String> machineIds = new HashSet<>();
            for (AgentMessage.Hello hello : node.hellos()) {
                hostnames.add(hello.hostname());
                machineIds.add(hello.machineId());
            }
            assertThat(hostnames).containsExactlyInAnyOrder("sim-0001", "sim-0002", "sim-0003", "sim-0004",
                    "sim-0005");
            assertThat(machineIds).hasSize(5);
            for (String serverId : node.serverIds()) {
                // Each report is from one simulated host, and consecutive reports differ.
                List<AgentMessage.Report> reports = node.receivedReports(serverId);
                assertThat(reports).extracting(report -> report.metrics().host().hostname()).containsOnly(
                        reports.get(0).metrics().host().hostname());
                assertThat(reports.get(0).metrics()).isNotEqualTo(reports.get(1).metrics());
            }
            assertThat(StateDirectory.hasCredential(stateDirectory.resolve("sim-0003"))).isTrue();
        }
    }

    @Test
    void simulatedAgentsMoveToTheNextHubAsOneAgentDoes() {
        try (FakeNode first = FakeNode.start().acceptEnrollmentToken("shared-token");
                FakeNode second = first.startPeer()) {
            AgentSettings settings = AgentSettings.builder()
                    .hubs(List.of(first.hub(), second.hub()))
                    .token("shared-token")
                    .interval(Duration.ofSeconds(1))
                    .stateDirectory(stateDirectory)
                    .simulatedAgents(3)
                    // Long: only moving on to the next hub at once can meet the deadline below.
                    .reconnectBackoff(new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(10), 2.0))
                    .build();
            try (Simulation simulation = Simulation.start(settings)) {
                eventually(WAIT, () -> {
                    assertThat(simulation.summary().connected()).isEqualTo(3);
                    assertThat(simulation.agents()).allSatisfy(agent ->
                            assertThat(agent.status().hub()).isEqualTo(first.hub()));
                });
                first.stop();
                eventually(Duration.ofSeconds(3), () -> {
                    assertThat(simulation.summary().connected()).isEqualTo(3);
                    assertThat(simulation.agents()).allSatisfy(agent ->
                            assertThat(agent.status().hub()).isEqualTo(second.hub()));
                });
                eventually(WAIT, () -> assertThat(second.serverIds()).allSatisfy(serverId ->
                        assertThat(second.receivedReports(serverId)).isNotEmpty()));
            }
            for (String serverId : second.serverIds()) {
                List<Long> stored = second.storedSequences(serverId).stream().sorted().toList();
                assertThat(stored).isEqualTo(LongStream.rangeClosed(1, stored.size()).boxed().toList());
            }
        }
    }
}
