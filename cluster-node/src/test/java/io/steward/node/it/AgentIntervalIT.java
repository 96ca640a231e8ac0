package io.steward.node.it;

import static io.steward.core.testing.Eventually.await;
import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.steward.agent.Agent;
import io.steward.agent.AgentSettings;
import io.steward.agent.CollectionInterval.Origin;
import io.steward.agent.CollectionInterval;
import io.steward.core.testing.FreePort;
import io.steward.node.StewardNode;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.CountingSource;
import io.steward.node.testing.TestNodes;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin's "default agent interval" against a real node on H2 and real agents: an agent that sets no interval of
 * its own collects at the interval the node's welcome suggests, and after the admin changes it (PUT /api/settings)
 * at the new one at once — the node tells its connected agents ({@code interval-suggested}), which never reconnect;
 * an agent with its own interval hears it and keeps its own throughout. Judged by what the node stored: the reports'
 * own interval and the spacing of their collection times.
 */
class AgentIntervalIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Scheduling jitter allowed on one gap between stored reports. */
    private static final long SPACING_TOLERANCE_MILLIS = 400;

    @TempDir
    Path nodeDir;
    @TempDir
    Path followerDir;
    @TempDir
    Path ownIntervalDir;

    /** The config file suggests 1 s, so following it is told apart from the agent's own 5 s default. */
    private Config nodeConfig(int port) {
        return TestNodes.h2(nodeDir)
                .withValue("steward.http.port", ConfigValueFactory.fromAnyRef(port))
                .withValue("steward.ingest.agent-interval", ConfigValueFactory.fromAnyRef("1s"));
    }

    private static AgentSettings.Builder agentSettings(int port, String token, Path stateDir, String name) {
        return AgentSettings.builder()
                .hub(URI.create("ws://127.0.0.1:" + port + "/ws/agent"))
                .token(token)
                .stateDirectory(stateDir)
                .hostname(name)
                .machineId(name);
    }

    @Test
    void anAgentWithoutItsOwnIntervalFollowsTheNodesSuggestionAndOneWithItsOwnKeepsIt() throws Exception {
        int port = FreePort.find();
        StewardNode node = StewardNode.start(nodeConfig(port));
        try {
            ApiClient api = new ApiClient(port);
            api.loginAsAdmin();
            String followerToken = api.enrollmentToken();
            String ownToken = api.enrollmentToken();
            try (Agent follower = Agent.start(agentSettings(port, followerToken, followerDir, "follower").build(),
                            new CountingSource("follower", 60_000));
                    Agent ownInterval = Agent.start(agentSettings(port, ownToken, ownIntervalDir, "own-interval")
                            .interval(Duration.ofSeconds(3)).build(), new CountingSource("own-interval", 60_000))) {
                String followerId = await(WAIT, "the follower to enroll", () -> follower.status().serverId());
                String ownId = await(WAIT, "the other agent to enroll", () -> ownInterval.status().serverId());

                // The first welcome suggests the config file's 1 s: the agent without an interval of its own takes it.
                Instant started = Instant.now();
                eventually(WAIT, () -> assertThat(follower.status().interval())
                        .isEqualTo(new CollectionInterval(Duration.ofSeconds(1), Origin.NODE, 1_000)));
                assertReportsEvery(api, followerId, 1_000, started);
                assertThat(ownInterval.status().interval())
                        .isEqualTo(new CollectionInterval(Duration.ofSeconds(3), Origin.LOCAL, 1_000));

                // The admin chooses 2 s: the connected agents hear it at once, without connecting again.
                long connectionsBefore = connectionsOpened(api);
                ApiClient.Response changed = api.put("/api/settings", "{\"agentInterval\": \"2s\"}");
                assertThat(changed.status()).as(changed.raw().body()).isEqualTo(200);

                eventually(WAIT, () -> assertThat(follower.status().interval())
                        .isEqualTo(new CollectionInterval(Duration.ofSeconds(2), Origin.NODE, 2_000)));
                Instant switched = Instant.now();
                assertReportsEvery(api, followerId, 2_000, switched);

                // The agent with its own interval heard the same suggestion and kept its 3 s.
                eventually(WAIT, () -> assertThat(ownInterval.status().interval())
                        .isEqualTo(new CollectionInterval(Duration.ofSeconds(3), Origin.LOCAL, 2_000)));
                assertReportsEvery(api, ownId, 3_000, switched);

                // Neither reconnected: no connection was opened on the node since the change, both are still up.
                assertThat(connectionsOpened(api)).as("connections opened on the node").isEqualTo(connectionsBefore);
                assertThat(follower.status().connected()).isTrue();
                assertThat(ownInterval.status().connected()).isTrue();
            }
        } finally {
            node.close();
        }
    }

    /**
     * The server's latest stored report says {@code intervalMillis}, and at least three gaps between the reports
     * collected after {@code since} are that long (the last three, within a scheduling tolerance).
     */
    private static void assertReportsEvery(ApiClient api, String serverId, long intervalMillis, Instant since) {
        eventually(WAIT, () -> {
            JsonNode latest = api.get("/api/servers/" + serverId).json().get("latest");
            assertThat(latest.get("intervalMillis").asLong()).as("the latest report's interval")
                    .isEqualTo(intervalMillis);
            List<Long> collected = collectedSince(api, serverId, since);
            assertThat(collected).as("reports collected since %s", since).hasSizeGreaterThanOrEqualTo(4);
            List<Long> lastGaps = new ArrayList<>();
            for (int i = collected.size() - 3; i < collected.size(); i++) {
                lastGaps.add(collected.get(i) - collected.get(i - 1));
            }
            assertThat(lastGaps).as("gaps between the last reports (ms)")
                    .allSatisfy(gap -> assertThat(gap).isCloseTo(intervalMillis, within(SPACING_TOLERANCE_MILLIS)));
        });
    }

    /** Agent connections the node has opened since it started ({@code GET /api/node}). */
    private static long connectionsOpened(ApiClient api) {
        return api.get("/api/node").json().get("ingest").get("connectionsOpened").asLong();
    }

    /** The collection times (epoch millis, in order) of the raw reports stored after {@code since}. */
    private static List<Long> collectedSince(ApiClient api, String serverId, Instant since) {
        JsonNode series = api.get("/api/servers/" + serverId + "/metrics?name=cpu.percent&from=" + since + "&to="
                + Instant.now()).json();
        assertThat(series.get("resolution").asText()).isEqualTo("raw");
        List<Long> times = new ArrayList<>();
        series.get("points").forEach(point -> {
            if (point.get(0).asLong() > since.toEpochMilli()) {
                times.add(point.get(0).asLong());
            }
        });
        return times;
    }
}
