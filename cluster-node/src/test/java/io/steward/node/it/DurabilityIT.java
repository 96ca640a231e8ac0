package io.steward.node.it;

import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.steward.agent.Agent;
import io.steward.agent.AgentSettings;
import io.steward.core.testing.FreePort;
import io.steward.node.StewardNode;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.CountingSource;
import io.steward.node.testing.TestNodes;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No report is lost and none is stored twice when the node goes away while the agent keeps collecting, or when the
 * agent itself restarts with reports still in its spool.
 */
class DurabilityIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path nodeDir;
    @TempDir
    Path agentDir;

    private Config nodeConfig(int port) {
        return TestNodes.h2(nodeDir).withValue("steward.http.port", ConfigValueFactory.fromAnyRef(port));
    }

    private static AgentSettings agentSettings(int port, String token, Path stateDir) {
        return AgentSettings.builder()
                .hub(URI.create("ws://127.0.0.1:" + port + "/ws/agent"))
                .token(token)
                .interval(Duration.ofSeconds(1))
                .stateDirectory(stateDir)
                .build();
    }

    private static String serverIdOf(Agent agent) {
        return io.steward.core.testing.Eventually.await(WAIT, "the agent to enroll", () -> agent.status().serverId());
    }

    @Test
    void nodeRestartWhileTheAgentCollectsLosesNothingAndDuplicatesNothing() throws Exception {
        int port = FreePort.find();
        CountingSource source = new CountingSource("durable-1", 1000);
        StewardNode node = StewardNode.start(nodeConfig(port));
        String token;
        try {
            ApiClient api = new ApiClient(port);
            api.loginAsAdmin();
            token = api.enrollmentToken();
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        try (Agent agent = Agent.start(agentSettings(port, token, agentDir), source)) {
            String serverId = serverIdOf(agent);
            eventually(WAIT, () -> assertThat(agent.status().lastAckedSequence()).isGreaterThanOrEqualTo(3));

            node.close();
            int producedWhenStopped = source.produced();
            // The agent keeps collecting into its spool while the node is away.
            eventually(WAIT, () -> assertThat(source.produced()).isGreaterThanOrEqualTo(producedWhenStopped + 3));
            assertThat(agent.status().connected()).isFalse();

            node = StewardNode.start(nodeConfig(port));
            source.pause();
            int produced = source.produced();
            StewardNode restarted = node;
            eventually(WAIT, () -> assertThat(
                    restarted.metrics().storedSequences(serverId).toCompletableFuture().join()).hasSize(produced));
            List<Long> stored = node.metrics().storedSequences(serverId).toCompletableFuture().get();
            assertThat(stored).containsExactlyElementsOf(LongStream.rangeClosed(1, produced).boxed().toList());
            eventually(WAIT, () -> assertThat(agent.status().spooledCount()).isZero());
        } finally {
            node.close();
        }
    }

    @Test
    void agentRestartMidSpoolReplaysEverythingExactlyOnce() throws Exception {
        int port = FreePort.find();
        CountingSource source = new CountingSource("durable-2", 1000);
        StewardNode node = StewardNode.start(nodeConfig(port));
        String serverId;
        try {
            ApiClient api = new ApiClient(port);
            api.loginAsAdmin();
            String token = api.enrollmentToken();

            Agent first = Agent.start(agentSettings(port, token, agentDir), source);
            serverId = serverIdOf(first);
            eventually(WAIT, () -> assertThat(first.status().lastAckedSequence()).isGreaterThanOrEqualTo(2));
            node.close();
            int producedWhenStopped = source.produced();
            eventually(WAIT, () -> assertThat(source.produced()).isGreaterThanOrEqualTo(producedWhenStopped + 3));
            first.close(); // the agent process ends with unacknowledged reports in its spool

            node = StewardNode.start(nodeConfig(port));
            // Same state directory: the saved credential is used (the token is no longer needed).
            Agent second = Agent.start(agentSettings(port, "stw_enroll_not-needed-any-more", agentDir), source);
            try {
                eventually(WAIT, () -> assertThat(second.status().lastAckedSequence())
                        .isGreaterThan(source.produced() - 1L));
                source.pause();
                int produced = source.produced();
                StewardNode restarted = node;
                String id = serverId;
                eventually(WAIT, () -> assertThat(
                        restarted.metrics().storedSequences(id).toCompletableFuture().join()).hasSize(produced));
                assertThat(node.metrics().storedSequences(serverId).toCompletableFuture().get())
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, produced).boxed().toList());
                assertThat(second.status().serverId()).isEqualTo(serverId);
            } finally {
                second.close();
            }
        } finally {
            node.close();
        }
    }
}
