package io.steward.agent;

import static io.steward.core.testing.Eventually.await;
import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.steward.agent.CollectionInterval.Origin;
import io.steward.agent.testing.FakeNode;
import io.steward.agent.testing.NumberedSource;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.MetricsReport;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.retry.Backoff;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent following the interval a (fake) node suggests as it changes between connections: whatever the
 * direction of the change, no report is followed by a silence longer than the interval it carries, which is what the
 * node arms its offline timer by. A suggestion the node sends while the agent is connected ({@code interval-suggested})
 * applies the same way, without a new connection.
 */
class AgentIntervalTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOKEN = "enroll-token";
    /**
     * Scheduling jitter allowed on one gap: a tick late on a loaded machine lengthens one gap and shortens the next.
     * Still well under what the checks tell apart: a burst (gaps near 0), a 3 s silence after a report carrying
     * 1 s, a 1 s gap where 2 s applies.
     */
    private static final long TOLERANCE_MILLIS = 600;

    @TempDir
    Path stateDirectory;

    private FakeNode node;

    @BeforeEach
    void startNode() {
        node = FakeNode.start().acceptEnrollmentToken(TOKEN).suggestInterval(Duration.ofSeconds(1));
    }

    @AfterEach
    void stopNode() {
        node.close();
    }

    @Test
    void aSlowerSuggestionIsInTheReportsBeforeTheLongerSilenceAndAFasterOneStartsWithoutABurst() {
        AgentSettings settings = settings()
                .reconnectBackoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(300), 2.0))
                .build();
        try (Agent agent = Agent.start(settings, new NumberedSource())) {
            String serverId = await(WAIT, "enrollment", () -> agent.status().serverId());
            eventually(WAIT, () -> assertThat(agent.interval())
                    .isEqualTo(new CollectionInterval(Duration.ofSeconds(1), Origin.NODE, 1_000)));
            awaitReportsCarrying(serverId, 1_000, 2);

            reconnectSuggesting(Duration.ofSeconds(3));
            eventually(WAIT, () -> assertThat(agent.interval().value()).isEqualTo(Duration.ofSeconds(3)));
            awaitReportsCarrying(serverId, 3_000, 3);

            reconnectSuggesting(Duration.ofSeconds(1));
            eventually(WAIT, () -> assertThat(agent.interval().value()).isEqualTo(Duration.ofSeconds(1)));
            awaitReportsCarrying(serverId, 1_000, 5);

            List<MetricsReport> reports = distinctInOrder(node.receivedReports(serverId));
            for (int i = 1; i < reports.size(); i++) {
                MetricsReport before = reports.get(i - 1);
                long gap = reports.get(i).collectedAt().toEpochMilli() - before.collectedAt().toEpochMilli();
                assertThat(gap).as("silence after report %s of %s (it carries %s ms)", i, reports.size(),
                        before.intervalMillis()).isLessThanOrEqualTo(before.intervalMillis() + TOLERANCE_MILLIS);
                // No burst: never two collections much closer than the faster interval.
                assertThat(gap).as("gap before report %s", i + 1).isGreaterThanOrEqualTo(1_000 - TOLERANCE_MILLIS);
            }
        }
    }

    @Test
    void anAgentWithItsOwnIntervalKeepsItWhateverTheNodeSuggests() {
        AgentSettings settings = settings().interval(Duration.ofSeconds(2)).build();
        try (Agent agent = Agent.start(settings, new NumberedSource())) {
            String serverId = await(WAIT, "enrollment", () -> agent.status().serverId());
            awaitReportsCarrying(serverId, 2_000, 2);
            assertThat(agent.status().interval())
                    .isEqualTo(new CollectionInterval(Duration.ofSeconds(2), Origin.LOCAL, 1_000));
            assertThat(node.receivedReports(serverId)).allSatisfy(report ->
                    assertThat(report.metrics().intervalMillis()).isEqualTo(2_000));
        }
    }

    @Test
    void aSuggestionSentWhileConnectedAppliesWithoutReconnecting() {
        AgentSettings settings = settings().build(); // no interval of its own
        try (Agent agent = Agent.start(settings, new NumberedSource())) {
            String serverId = await(WAIT, "enrollment", () -> agent.status().serverId());
            awaitReportsCarrying(serverId, 1_000, 2);

            node.sendToAgents(new NodeMessage.IntervalSuggested(2_000));
            eventually(WAIT, () -> assertThat(agent.interval())
                    .isEqualTo(new CollectionInterval(Duration.ofSeconds(2), Origin.NODE, 2_000)));
            awaitReportsCarrying(serverId, 2_000, 4);

            assertThat(node.hellos()).as("hellos: the agent never connected again").hasSize(1);
            assertThat(agent.status().connected()).isTrue();
            List<MetricsReport> atTwoSeconds = distinctInOrder(node.receivedReports(serverId)).stream()
                    .filter(report -> report.intervalMillis() == 2_000).toList();
            for (int i = 1; i < atTwoSeconds.size(); i++) {
                long gap = atTwoSeconds.get(i).collectedAt().toEpochMilli()
                        - atTwoSeconds.get(i - 1).collectedAt().toEpochMilli();
                assertThat(gap).as("gap before report %s at 2 s", i + 1).isBetween(2_000 - TOLERANCE_MILLIS,
                        2_000 + TOLERANCE_MILLIS);
            }
        }
    }

    @Test
    void anAgentWithItsOwnIntervalHearsASuggestionSentWhileConnectedAndKeepsItsOwn() {
        AgentSettings settings = settings().interval(Duration.ofSeconds(2)).build();
        try (Agent agent = Agent.start(settings, new NumberedSource())) {
            String serverId = await(WAIT, "enrollment", () -> agent.status().serverId());
            awaitReportsCarrying(serverId, 2_000, 1);

            node.sendToAgents(new NodeMessage.IntervalSuggested(1_000));
            // Heard (the status names the new suggestion), not followed.
            eventually(WAIT, () -> assertThat(agent.status().interval())
                    .isEqualTo(new CollectionInterval(Duration.ofSeconds(2), Origin.LOCAL, 1_000)));
            awaitReportsCarrying(serverId, 2_000, 3);
            assertThat(node.receivedReports(serverId)).allSatisfy(report ->
                    assertThat(report.metrics().intervalMillis()).isEqualTo(2_000));
            assertThat(node.hellos()).hasSize(1);
        }
    }

    private void reconnectSuggesting(Duration interval) {
        node.stop();
        node.suggestInterval(interval);
        node.restart();
    }

    private void awaitReportsCarrying(String serverId, long intervalMillis, int count) {
        eventually(WAIT, () -> assertThat(distinctInOrder(node.receivedReports(serverId)).stream()
                .filter(report -> report.intervalMillis() == intervalMillis).count())
                .isGreaterThanOrEqualTo(count));
    }

    /** Each sequence once (a reconnect may send one again), in sequence order. */
    private static List<MetricsReport> distinctInOrder(List<AgentMessage.Report> received) {
        Map<Long, MetricsReport> bySequence = new TreeMap<>();
        received.forEach(report -> bySequence.putIfAbsent(report.sequence(), report.metrics()));
        return List.copyOf(bySequence.values());
    }

    /** An agent of the fake node; the tests add a local interval or leave it to the node. */
    private AgentSettings.Builder settings() {
        return AgentSettings.builder().hub(node.hub()).token(TOKEN).stateDirectory(stateDirectory);
    }
}
