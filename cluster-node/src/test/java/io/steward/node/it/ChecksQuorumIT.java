package io.steward.node.it;

import static io.steward.core.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.steward.agent.Agent;
import io.steward.agent.AgentSettings;
import io.steward.agent.checks.CheckOptions;
import io.steward.agent.checks.Resolver;
import io.steward.core.testing.FreePort;
import io.steward.node.StewardNode;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.HttpTarget;
import io.steward.node.testing.SteerableSource;
import io.steward.node.testing.TestNodes;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quorum with three real agents probing a real HTTP server: one vantage whose name resolves elsewhere (its own
 * DNS view sends it to an address where nothing listens, as a server behind a broken resolver would be) makes the
 * check partial with that vantage named; once that vantage cannot reach its own reference either, it abstains and
 * the check is up, with nothing alerting. The per-agent name lookup is the only stand-in: one machine has one
 * resolver, so the test gives that agent its own.
 */
class ChecksQuorumIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path nodeDir;
    @TempDir
    Path dirA;
    @TempDir
    Path dirB;
    @TempDir
    Path dirC;

    @Test
    void oneFailingVantageOfThreeIsPartialAndNamedAndOneCutOffFromItsReferenceAbstains() throws Exception {
        int port = FreePort.find();
        HttpServer site = HttpTarget.start(port, "ok");
        Resolver toSite = host -> List.of(InetAddress.getByName(host.equals("site.test") ? "127.0.0.1" : host));
        Resolver elsewhere = host -> List.of(InetAddress.getByName(host.equals("site.test") ? "127.0.0.2" : host));
        try (StewardNode node = StewardNode.start(TestNodes.h2(nodeDir))) {
            ApiClient api = new ApiClient(node.httpPort());
            api.loginAsAdmin();
            try (Agent a = agent(node, api, dirA, "vantage-a", CheckOptions.DEFAULT.withResolver(toSite));
                    Agent b = agent(node, api, dirB, "vantage-b", CheckOptions.DEFAULT.withResolver(toSite))) {
                String idA = await(WAIT, "agent a", () -> a.status().serverId());
                String idB = await(WAIT, "agent b", () -> b.status().serverId());
                String idC;
                try (Agent c = agent(node, api, dirC, "vantage-c", CheckOptions.DEFAULT.withResolver(elsewhere))) {
                    idC = await(WAIT, "agent c", () -> c.status().serverId());
                    ApiClient.Response created = api.post("/api/checks", """
                            {"name":"Shop","kind":"http","url":"http://site.test:%d/health","interval":"PT10S",
                             "retries":0,"timeout":"PT2S","vantages":{"kind":"servers","values":["%s","%s","%s"]}}"""
                            .formatted(port, idA, idB, idC));
                    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
                    String id = created.json().get("id").asText();

                    // Partial as soon as one vantage is down and one up; wait until the third has reported too.
                    JsonNode partial = await(WAIT, "the check partial with every vantage reported", () -> {
                        JsonNode check = state(api, id, "partial");
                        return check != null && vantage(check, idA).get("state").asText().equals("up")
                                && vantage(check, idB).get("state").asText().equals("up") ? check : null;
                    });
                    JsonNode failing = vantage(partial, idC);
                    assertThat(failing.get("state").asText()).isEqualTo("down");
                    assertThat(failing.get("reason").asText()).isEqualTo("connect-refused");
                    assertThat(partial.get("failingAddresses").toString()).contains("127.0.0.2");
                    assertThat(vantage(partial, idA).get("state").asText()).isEqualTo("up");
                    await(WAIT, "the partial alert", () -> alerts(api).contains("url.partial{check=" + id + "}")
                            ? true : null);
                    assertThat(alerts(api)).doesNotContain("url.down{check=" + id + "}");
                    c.close();

                    // The same vantage, now also unable to reach its own reference: its failures are abstentions.
                    int closed = FreePort.find();
                    try (Agent cutOff = agent(node, api, dirC, "vantage-c", CheckOptions.DEFAULT
                            .withResolver(elsewhere)
                            .withReference(URI.create("http://127.0.0.1:" + closed + "/")))) {
                        JsonNode up = await(WAIT, "the check up with c abstaining", () -> {
                            api.post("/api/checks/" + id + "/run", "{}");
                            JsonNode check = state(api, id, "up");
                            return check != null && vantage(check, idC).get("state").asText().equals("abstained")
                                    ? check : null;
                        });
                        assertThat(vantage(up, idB).get("state").asText()).isEqualTo("up");
                        await(WAIT, "the partial alert resolved", () -> alerts(api).contains("url.partial{check="
                                + id + "}") ? null : true);
                        assertThat(alerts(api)).doesNotContain("url.down{check=" + id + "}");
                    }
                }
            }
        } finally {
            site.stop(0);
        }
    }

    private static JsonNode state(ApiClient api, String id, String state) {
        JsonNode check = api.get("/api/checks/" + id).json();
        return check.get("state").asText().equals(state) ? check : null;
    }

    private static JsonNode vantage(JsonNode check, String serverId) {
        for (JsonNode vantage : check.get("vantages")) {
            if (vantage.get("serverId").asText().equals(serverId)) {
                return vantage;
            }
        }
        throw new AssertionError("no vantage " + serverId + " in " + check);
    }

    private static String alerts(ApiClient api) {
        return api.get("/api/alerts").raw().body();
    }

    private static Agent agent(StewardNode node, ApiClient api, Path state, String name, CheckOptions checks) {
        return Agent.start(AgentSettings.builder()
                .hub(URI.create("ws://127.0.0.1:" + node.httpPort() + "/ws/agent"))
                .token(api.enrollmentToken())
                .interval(Duration.ofSeconds(1))
                .stateDirectory(state)
                .machineId("machine-" + name)
                .checks(checks.withMaxStartJitter(Duration.ZERO))
                .build(), new SteerableSource(name, 1000, 10));
    }
}
