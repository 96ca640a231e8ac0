package io.steward.node.it;

import static io.steward.core.testing.Eventually.await;
import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.steward.agent.Agent;
import io.steward.agent.AgentSettings;
import io.steward.node.StewardNode;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.CountingSource;
import io.steward.node.testing.LiveSocket;
import io.steward.node.testing.TestNodes;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overview's read model in a real node with real agents: {@code GET /api/servers} and the {@code /ws/ui} snapshot
 * list every server, current as the entities push (a report, a rename, a deletion), with no reconcile running (its
 * interval is an hour, so only the pushes can have brought what the list shows); after a restart the first list is
 * complete at once (readers wait for the model's first read) and the stored values come back.
 */
class FleetOverviewIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path nodeDir;
    @TempDir
    Path agentDirs;

    private Config config() {
        return TestNodes.h2(nodeDir)
                .withValue("steward.overview.reconcile-interval", ConfigValueFactory.fromAnyRef("1h"))
                .withValue("steward.live.flush-interval", ConfigValueFactory.fromAnyRef("200ms"));
    }

    private Agent startAgent(StewardNode node, ApiClient api, String hostname) {
        return Agent.start(AgentSettings.builder()
                        .hub(URI.create("ws://127.0.0.1:" + node.httpPort() + "/ws/agent"))
                        .token(api.enrollmentToken())
                        .interval(Duration.ofSeconds(1))
                        .stateDirectory(agentDirs.resolve(hostname))
                        .hostname(hostname)
                        .machineId("machine-" + hostname)
                        .build(),
                new CountingSource(hostname, 1000));
    }

    private static Map<String, JsonNode> listed(ApiClient api) {
        Map<String, JsonNode> byId = new HashMap<>();
        for (JsonNode server : api.get("/api/servers").json()) {
            byId.put(server.get("id").asText(), server);
        }
        return byId;
    }

    @Test
    void theListAndTheSnapshotFollowThePushesAndSurviveARestart() throws Exception {
        StewardNode node = StewardNode.start(config());
        List<Agent> agents = new ArrayList<>();
        String first;
        String second;
        String third;
        try {
            ApiClient api = new ApiClient(node.httpPort());
            api.loginAsAdmin();
            // The model read the fleet at start, when there was none: everything below arrives by push.
            assertThat(listed(api)).isEmpty();
            agents.add(startAgent(node, api, "fleet-one"));
            agents.add(startAgent(node, api, "fleet-two"));
            agents.add(startAgent(node, api, "fleet-three"));
            first = await(WAIT, "fleet-one to enroll", () -> agents.get(0).status().serverId());
            second = await(WAIT, "fleet-two to enroll", () -> agents.get(1).status().serverId());
            third = await(WAIT, "fleet-three to enroll", () -> agents.get(2).status().serverId());

            eventually(WAIT, () -> assertThat(listed(api)).hasSize(3).allSatisfy((id, server) -> {
                assertThat(server.get("online").asBoolean()).isTrue();
                assertThat(server.get("cpuPercent").isNumber()).isTrue();
            }));
            // Current, not a picture taken once: each report moves lastSeen on.
            String seen = listed(api).get(first).get("lastSeen").asText();
            eventually(WAIT, () -> assertThat(listed(api).get(first).get("lastSeen").asText()).isNotEqualTo(seen));

            api.patch("/api/servers/" + second, "{\"displayName\":\"Database primary\"}").json();
            eventually(WAIT, () -> assertThat(listed(api).get(second).get("displayName").asText())
                    .isEqualTo("Database primary"));

            api.delete("/api/servers/" + third).json();
            eventually(WAIT, () -> assertThat(listed(api)).containsOnlyKeys(first, second));

            // The browser's snapshot is the same list as the API's, in the same order.
            try (LiveSocket socket = api.liveSocket()) {
                socket.send("{\"type\":\"watch-fleet\"}");
                JsonNode snapshot = socket.next("fleet", WAIT);
                assertThat(snapshot.get("snapshot").asBoolean()).isTrue();
                List<String> inSnapshot = new ArrayList<>();
                snapshot.get("servers").forEach(server -> inSnapshot.add(server.get("id").asText()));
                List<String> inList = new ArrayList<>();
                api.get("/api/servers").json().forEach(server -> inList.add(server.get("id").asText()));
                assertThat(inSnapshot).containsExactlyElementsOf(inList).containsExactlyInAnyOrder(first, second);
            }
        } finally {
            agents.forEach(Agent::close);
            node.close();
        }

        // Restarted with its agents gone: the first list already holds every server (readers wait for the model's
        // first read), with the stored hostname and details; the stored values follow the entities' first push.
        node = StewardNode.start(config());
        try {
            ApiClient api = new ApiClient(node.httpPort());
            api.loginAsAdmin();
            Map<String, JsonNode> afterRestart = listed(api);
            assertThat(afterRestart).containsOnlyKeys(first, second);
            assertThat(afterRestart.get(first).get("hostname").asText()).isEqualTo("fleet-one");
            assertThat(afterRestart.get(second).get("displayName").asText()).isEqualTo("Database primary");
            eventually(WAIT, () -> assertThat(listed(api).values())
                    .allSatisfy(server -> assertThat(server.get("cpuPercent").isNumber()).isTrue()));
        } finally {
            node.close();
        }
    }
}
