package io.steward.node.it;

import static io.steward.core.testing.Eventually.await;
import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.agent.Agent;
import io.steward.agent.AgentSettings;
import io.steward.agent.collect.OshiCollector;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.protocol.ProtocolVersion;
import io.steward.core.protocol.WireFormat;
import io.steward.core.testing.Reports;
import io.steward.node.StewardNode;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.RawAgentSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The foundation's contract, end to end on real parts: a real agent collecting this machine with OSHI, a real node,
 * a real WebSocket on loopback and a real database (H2 and PostgreSQL subclasses). Tests run in order because they
 * follow one server's life: enroll, report, be queried, be edited, be deleted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class AgentToNodeContract {
    private static final Duration WAIT = Duration.ofSeconds(30);

    protected StewardNode node;
    private ApiClient api;
    private Agent agent;
    private String serverId;

    /**
     * Holds the server's reports after {@code sequence} in the middle of their store (their insert waits) until
     * closed; null where the database cannot.
     */
    protected ReportHold holdReportsAfter(String serverId, long sequence) throws Exception {
        return null;
    }

    /** A hold on the store's writes of one server's next reports. */
    protected interface ReportHold extends AutoCloseable {
        /** Whether a write of the node waits on the hold now. */
        boolean storeWaiting() throws Exception;

        /** Lets the held writes go on. */
        @Override
        void close() throws Exception;
    }

    /** Starts the node under test on this class's database. */
    protected abstract StewardNode startNode(Path dataDir) throws Exception;

    protected abstract Path dataDir();

    protected abstract Path agentStateDir();

    @BeforeAll
    void startNodeAndAgent() throws Exception {
        node = startNode(dataDir());
        api = new ApiClient(node.httpPort());
        api.loginAsAdmin();
        String token = api.enrollmentToken();
        agent = Agent.start(AgentSettings.builder()
                .hub(URI.create("ws://127.0.0.1:" + node.httpPort() + "/ws/agent"))
                .token(token)
                .interval(Duration.ofSeconds(1))
                .stateDirectory(agentStateDir())
                .build(), new OshiCollector());
        serverId = await(WAIT, "the agent to enroll", () -> agent.status().serverId());
    }

    @AfterAll
    void stopAll() {
        if (agent != null) {
            agent.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Order(1)
    void enrolledServerAppearsOnlineWithLiveValues() {
        eventually(WAIT, () -> {
            JsonNode servers = api.get("/api/servers").json();
            assertThat(servers).hasSize(1);
            JsonNode server = servers.get(0);
            assertThat(server.get("id").asText()).isEqualTo(serverId);
            assertThat(server.get("online").asBoolean()).isTrue();
            assertThat(server.get("cpuPercent").isNumber()).isTrue();
            assertThat(server.get("memoryPercent").asDouble()).isBetween(0.1, 100.0);
            assertThat(server.get("diskPercent").isNumber()).isTrue();
            assertThat(server.get("load1").isNumber()).isTrue();
            assertThat(server.get("lastSeen").asText()).isNotEmpty();
        });
        // The saved credential is what the agent uses from now on; the node keeps only its hash.
        assertThat(agent.status().connected()).isTrue();
    }

    @Test
    @Order(2)
    void detailCarriesSystemInfoAndTheWholeLatestReport() {
        JsonNode detail = api.get("/api/servers/" + serverId).json();
        assertThat(detail.get("hostname").asText()).isNotBlank();
        assertThat(detail.at("/system/kernel").asText()).isNotBlank();
        assertThat(detail.at("/system/logicalCpus").asInt()).isPositive();
        JsonNode latest = detail.get("latest");
        assertThat(latest.at("/cpu/perCore").size()).isEqualTo(detail.at("/system/logicalCpus").asInt());
        assertThat(latest.get("filesystems").size()).isPositive();
        assertThat(latest.get("interfaces").size()).isPositive();
        assertThat(latest.at("/processes/topByCpu").size()).isPositive();
        assertThat(detail.get("recent").size()).isPositive();
        assertThat(api.get("/api/servers/no-such-server-1").status()).isEqualTo(404);
    }

    @Test
    @Order(3)
    void metricHistoryIsQueryableByName() {
        eventually(WAIT, () -> {
            JsonNode cpu = api.get("/api/servers/" + serverId + "/metrics?name=cpu.percent").json();
            assertThat(cpu.get("resolution").asText()).isEqualTo("raw");
            assertThat(cpu.get("points").size()).isGreaterThanOrEqualTo(2);
            JsonNode first = cpu.get("points").get(0);
            assertThat(first.get(0).isIntegralNumber()).isTrue();
            assertThat(first.get(0).asLong()).isGreaterThan(Instant.now().minusSeconds(3600).toEpochMilli());
        });
        JsonNode detail = api.get("/api/servers/" + serverId).json();
        String mount = detail.at("/latest/filesystems/0/mount").asText();
        String series = "disk.percent{mount=" + mount + "}";
        JsonNode disk = api.get("/api/servers/" + serverId + "/metrics?name="
                + URLEncoder.encode(series, StandardCharsets.UTF_8)).json();
        assertThat(disk.get("name").asText()).isEqualTo(series);
        assertThat(disk.get("points").size()).isPositive();

        // A month-long range comes from the hourly tier; bad input is a 400 with a reason.
        Instant now = Instant.now();
        JsonNode month = api.get("/api/servers/" + serverId + "/metrics?name=cpu.percent&from="
                + now.minus(Duration.ofDays(30)) + "&to=" + now).json();
        assertThat(month.get("resolution").asText()).isEqualTo("1h");
        assertThat(api.get("/api/servers/" + serverId + "/metrics?name=cpu.percent&from=yesterday").status())
                .isEqualTo(400);
        assertThat(api.get("/api/servers/" + serverId + "/metrics?name=" + URLEncoder.encode("bad name{",
                StandardCharsets.UTF_8)).status()).isEqualTo(400);
    }

    @Test
    @Order(3)
    void theFullProcessListIsFetchedFromTheAgentOnRequest() {
        JsonNode detail = api.get("/api/servers/" + serverId).json();
        int top = detail.at("/latest/processes/topByCpu").size();
        JsonNode all = api.get("/api/servers/" + serverId + "/processes").json();
        // More than the report's top list: every process on this machine, this JVM among them.
        assertThat(all.get("processes").size()).isGreaterThan(top);
        assertThat(all.get("processes")).anySatisfy(process ->
                assertThat(process.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid()));
        assertThat(api.get("/api/servers/no-such-server/processes").status()).isIn(404, 503);
    }

    @Test
    @Order(4)
    void aReportReplayedTwiceIsStoredOnce() throws Exception {
        // Enroll a second, hand-driven agent and send the same sequence twice, as a replay after a lost ack would.
        try (RawAgentSocket socket = new RawAgentSocket(node.httpPort())) {
            socket.send(WireFormat.encode(new AgentMessage.Hello(ProtocolVersion.CURRENT, "test",
                    api.enrollmentToken(), "replayer", "machine-replayer")));
            NodeMessage.Welcome welcome = (NodeMessage.Welcome) socket.next();
            String report = WireFormat.encode(new AgentMessage.Report(1, Reports.report("replayer", Instant.now(), 7)));
            socket.send(report);
            assertThat(socket.next()).isEqualTo(new NodeMessage.Ack(1));
            socket.send(report);
            assertThat(socket.next()).isEqualTo(new NodeMessage.Ack(1));
            assertThat(node.metrics().storedSequences(welcome.serverId()).toCompletableFuture().get())
                    .containsExactly(1L);
            api.delete("/api/servers/" + welcome.serverId()).json();
        }
    }

    @Test
    @Order(5)
    void editsShowInTheFleetAndInTheAuditHistory() {
        JsonNode updated = api.patch("/api/servers/" + serverId,
                "{\"displayName\":\"Build box\",\"group\":\"lab\",\"tags\":[\"ci\",\"x86\"],\"notes\":\"rack 4\"}")
                .json();
        assertThat(updated.get("displayName").asText()).isEqualTo("Build box");
        JsonNode server = api.get("/api/servers").json().get(0);
        assertThat(server.get("displayName").asText()).isEqualTo("Build box");
        assertThat(server.get("group").asText()).isEqualTo("lab");
        assertThat(server.get("tags")).extracting(JsonNode::asText).containsExactly("ci", "x86");

        assertThat(api.patch("/api/servers/" + serverId, "{\"tags\":[\"no spaces allowed\"]}").status())
                .isEqualTo(400);
        assertThat(api.patch("/api/servers/" + serverId, "{not json").status()).isEqualTo(400);
        assertThat(api.patch("/api/servers/" + serverId, "{}").status()).isEqualTo(400);

        JsonNode page = api.get("/api/servers/" + serverId + "/events?limit=3").json();
        List<String> types = new ArrayList<>();
        page.get("events").forEach(event -> types.add(event.get("type").asText()));
        assertThat(types).containsExactly("notes-changed", "retagged", "regrouped");
        assertThat(page.get("events").get(0).at("/details/by").asText()).isEqualTo("admin");
        assertThat(page.get("events").get(0).get("by").asText()).isEqualTo("admin");
        long nextBefore = page.get("nextBefore").asLong();

        JsonNode older = api.get("/api/servers/" + serverId + "/events?limit=50&before=" + nextBefore).json();
        List<String> olderTypes = new ArrayList<>();
        older.get("events").forEach(event -> olderTypes.add(event.get("type").asText()));
        assertThat(olderTypes).contains("renamed", "came-online", "registered");
        assertThat(olderTypes.get(olderTypes.size() - 1)).isEqualTo("registered");
        assertThat(older.get("nextBefore").isNull()).isTrue();
    }

    @Test
    @Order(6)
    void sessionsAreRequiredAndCookiesAreLockedDown() {
        ApiClient anonymous = new ApiClient(node.httpPort());
        assertThat(anonymous.get("/api/servers").status()).isEqualTo(401);
        assertThat(anonymous.login("admin", "wrong password").status()).isEqualTo(401);
        ApiClient.Response login = anonymous.loginAsAdmin();
        String cookie = login.raw().headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/");
        assertThat(anonymous.get("/api/servers").status()).isEqualTo(200);
        // A cross-site form post is refused even with the cookie.
        ApiClient.Response crossSite = anonymous.send(java.net.http.HttpRequest.newBuilder(
                        anonymous.base().resolve("/api/enrollment-tokens"))
                .header("Origin", "https://evil.example")
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(crossSite.status()).isEqualTo(403);
        assertThat(anonymous.post("/api/auth/logout", "{}").status()).isEqualTo(200);
        assertThat(anonymous.get("/api/servers").status()).isEqualTo(401);
        assertThat(anonymous.get("/healthz").status()).isEqualTo(200);
    }

    @Test
    @Order(7)
    void repeatedFailedLoginsAreRateLimited() {
        ApiClient attacker = new ApiClient(node.httpPort());
        int status = 0;
        for (int attempt = 0; attempt < 6; attempt++) {
            status = attacker.login("mallory", "guess-" + attempt).status();
        }
        assertThat(status).isEqualTo(429);
    }

    @Test
    @Order(8)
    void deletingTheServerRevokesItsAgentAndRemovesItsData() throws Exception {
        List<Long> stored = node.metrics().storedSequences(serverId).toCompletableFuture().get();
        long newest = stored.isEmpty() ? 0 : stored.get(stored.size() - 1);
        ReportHold hold = holdReportsAfter(serverId, newest);
        CompletableFuture<ApiClient.Response> deletion;
        if (hold != null) {
            // The agent's next report is held in the middle of its store: the deletion waits for it, as a report
            // stored after the server's data was deleted would stay behind.
            try (hold) {
                eventually(WAIT, () -> assertThat(hold.storeWaiting()).isTrue());
                deletion = CompletableFuture.supplyAsync(() -> api.delete("/api/servers/" + serverId));
                // The agent told it was deleted proves the deletion reached its connection while the store waits.
                eventually(WAIT, () -> assertThat(agent.status().connected()).isFalse());
                assertThatThrownBy(() -> deletion.get(1, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
            }
        } else {
            deletion = CompletableFuture.completedFuture(api.delete("/api/servers/" + serverId));
        }
        assertThat(deletion.get(WAIT.toSeconds(), TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(api.get("/api/servers/" + serverId).status()).isEqualTo(404);
        assertThat(api.get("/api/servers").json()).isEmpty();
        assertThat(node.metrics().storedSequences(serverId).toCompletableFuture().get()).isEmpty();
        eventually(WAIT, () -> assertThat(agent.status().connected()).isFalse());
        assertThat(node.credentials().serverIds()).doesNotContain(serverId);
    }
}
