package io.steward.node.it;

import static io.steward.core.testing.Eventually.await;
import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.agent.Agent;
import io.steward.agent.AgentSettings;
import io.steward.node.StewardNode;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.SteerableSource;
import io.steward.node.testing.TestNodes;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alert rules through the API against a real node and a real agent: validation, a server-scoped rule that fires and
 * resolves as the agent's CPU crosses it (visible in the server's summary and history), and deletion.
 */
class AlertRulesIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path nodeDir;
    @TempDir
    Path agentDir;

    @Test
    void rulesAreValidatedAndAServerScopedRuleFiresAndResolves() throws Exception {
        try (StewardNode node = StewardNode.start(TestNodes.h2(nodeDir))) {
            ApiClient api = new ApiClient(node.httpPort());
            api.loginAsAdmin();
            assertThat(ids(api.get("/api/alert-rules").json()))
                    .containsExactly("default-backup-failed", "default-backup-host-key", "default-backup-incomplete",
                            "default-backup-missed", "default-backup-shrunk", "default-backup-stale",
                            "default-backup-verify", "default-cert-changed", "default-cert-expiring",
                            "default-cert-expiring-critical", "default-cert-mismatch", "default-cpu", "default-disk",
                            "default-memory", "default-offline", "default-service-down", "default-service-recovery",
                            "default-url-down", "default-url-partial");

            ApiClient.Response wrongSide = api.post("/api/alert-rules", """
                    {"name":"bad","metric":"cpu.percent","comparison":"above","threshold":50,"recovery":60,
                     "severity":"critical"}""");
            assertThat(wrongSide.status()).isEqualTo(400);
            assertThat(wrongSide.body().get("error").asText()).contains("safe side");
            assertThat(api.post("/api/alert-rules", "{\"name\":\"x\",\"comparison\":\"above\",\"threshold\":1,"
                    + "\"severity\":\"critical\"}").body().get("error").asText()).contains("metric");
            assertThat(api.post("/api/alert-rules", "{\"name\":\"x\",\"metric\":\"cpu.percent\",\"comparison\":"
                    + "\"sideways\",\"threshold\":1,\"severity\":\"critical\"}").status()).isEqualTo(400);
            assertThat(api.post("/api/alert-rules", "{\"name\":\"x\",\"metric\":\"cpu.percent\",\"comparison\":"
                    + "\"above\",\"threshold\":1,\"severity\":\"critical\",\"scope\":{\"kind\":\"group\"}}")
                    .body().get("error").asText()).contains("scope");

            SteerableSource source = new SteerableSource("alerting-1", 1000, 10);
            try (Agent agent = Agent.start(AgentSettings.builder()
                    .hub(URI.create("ws://127.0.0.1:" + node.httpPort() + "/ws/agent"))
                    .token(api.enrollmentToken())
                    .interval(Duration.ofSeconds(1))
                    .stateDirectory(agentDir)
                    .build(), source)) {
                String serverId = await(WAIT, "the agent to enroll", () -> agent.status().serverId());
                JsonNode created = api.post("/api/alert-rules", """
                        {"name":"CPU hot here","metric":"cpu.percent","comparison":"above","threshold":50,
                         "recovery":40,"for":"PT0S","severity":"critical",
                         "scope":{"kind":"server","value":"%s"}}""".formatted(serverId)).json();
                String ruleId = created.get("id").asText();
                assertThat(created.get("condition").asText()).isEqualTo("cpu.percent > 50");

                source.cpu(75);
                eventually(WAIT, () -> assertThat(api.get("/api/servers/" + serverId).json()
                        .get("criticalAlerts").asInt()).isEqualTo(1));
                assertThat(eventTypes(api, serverId)).contains("alert-fired");

                source.cpu(45); // between recovery and threshold: still firing
                long acked = agent.status().lastAckedSequence();
                eventually(WAIT, () -> assertThat(agent.status().lastAckedSequence()).isGreaterThan(acked + 1));
                assertThat(api.get("/api/servers/" + serverId).json().get("criticalAlerts").asInt()).isEqualTo(1);

                source.cpu(20);
                eventually(WAIT, () -> assertThat(api.get("/api/servers/" + serverId).json()
                        .get("criticalAlerts").asInt()).isZero());
                assertThat(eventTypes(api, serverId)).contains("alert-resolved");

                assertThat(api.delete("/api/alert-rules/" + ruleId).status()).isEqualTo(200);
                assertThat(api.get("/api/alert-rules/" + ruleId).status()).isEqualTo(404);
                assertThat(api.delete("/api/alert-rules/" + ruleId).status()).isEqualTo(404);
            }
        }
    }

    private static List<String> ids(JsonNode rules) {
        List<String> ids = new ArrayList<>();
        rules.forEach(rule -> ids.add(rule.get("id").asText()));
        return ids;
    }

    private static List<String> eventTypes(ApiClient api, String serverId) {
        List<String> types = new ArrayList<>();
        api.get("/api/servers/" + serverId + "/events?limit=100").json().get("events")
                .forEach(event -> types.add(event.get("type").asText()));
        return types;
    }
}
