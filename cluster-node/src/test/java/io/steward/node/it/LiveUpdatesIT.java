package io.steward.node.it;

import static io.steward.core.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser's live socket {@code /ws/ui} against a real node with real agents reporting every second: the fleet
 * snapshot and coalesced changes, one server's full reports, edits and deletes pushed, bad input refused with a
 * clear error while the socket stays usable, and the handshake's session and Origin checks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveUpdatesIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path nodeDir;
    @TempDir
    static Path agentDirs;

    private StewardNode node;
    private ApiClient api;
    private final List<Agent> agents = new ArrayList<>();
    private String serverA;
    private String serverB;

    @BeforeAll
    void startNodeAndAgents() throws Exception {
        Config config = TestNodes.h2(nodeDir)
                .withValue("steward.live.flush-interval", ConfigValueFactory.fromAnyRef("200ms"))
                .withValue("steward.live.session-check-interval", ConfigValueFactory.fromAnyRef("300ms"))
                .withValue("steward.live.max-watched-servers", ConfigValueFactory.fromAnyRef(2));
        node = StewardNode.start(config);
        api = new ApiClient(node.httpPort());
        api.loginAsAdmin();
        serverA = startAgent("live-a");
        serverB = startAgent("live-b");
    }

    private String startAgent(String hostname) {
        Agent agent = Agent.start(AgentSettings.builder()
                        .hub(URI.create("ws://127.0.0.1:" + node.httpPort() + "/ws/agent"))
                        .token(api.enrollmentToken())
                        .interval(Duration.ofSeconds(1))
                        .stateDirectory(agentDirs.resolve(hostname))
                        .hostname(hostname)
                        .machineId("machine-" + hostname)
                        .build(),
                new CountingSource(hostname, 1000));
        agents.add(agent);
        String id = await(WAIT, hostname + " to enroll", () -> agent.status().serverId());
        await(WAIT, hostname + "'s first report", () -> agent.status().lastAckedSequence() > 0 ? true : null);
        return id;
    }

    @AfterAll
    void stop() {
        agents.forEach(Agent::close);
        if (node != null) {
            node.close();
        }
    }

    @Test
    void theHandshakeNeedsALoginSessionAndThisOrigin() {
        ApiClient anonymous = new ApiClient(node.httpPort());
        assertThat(handshakeStatus(() -> anonymous.liveSocket())).isEqualTo(401);
        assertThat(handshakeStatus(() -> api.liveSocket("http://evil.example"))).isEqualTo(403);
        assertThat(handshakeStatus(() -> api.liveSocket(null))).isEqualTo(403);
        try (LiveSocket socket = api.liveSocket()) {
            assertThat(socket.next("welcome", WAIT).get("username").asText()).isEqualTo("admin");
        }
    }

    private static int handshakeStatus(Runnable open) {
        Throwable[] failure = new Throwable[1];
        assertThatThrownBy(open::run).satisfies(thrown -> failure[0] = thrown);
        Throwable cause = failure[0] instanceof CompletionException ? failure[0].getCause() : failure[0];
        assertThat(cause).isInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) cause).getResponse().statusCode();
    }

    @Test
    void theFleetArrivesAsASnapshotThenAsCoalescedChanges() {
        try (LiveSocket socket = api.liveSocket()) {
            socket.send("{\"type\":\"watch-fleet\"}");
            JsonNode snapshot = socket.next("fleet", WAIT);
            assertThat(snapshot.get("snapshot").asBoolean()).isTrue();
            Map<String, Instant> seen = new HashMap<>();
            for (JsonNode server : snapshot.get("servers")) {
                seen.put(server.get("id").asText(), Instant.parse(server.get("lastSeen").asText()));
                assertThat(server.get("cpuPercent").isNumber()).isTrue();
            }
            assertThat(seen).containsKeys(serverA, serverB);

            // Both servers report every second: each shows up in the following batches with newer values, and
            // never twice in one batch (changes are coalesced per server).
            Set<String> updated = new HashSet<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!updated.containsAll(Set.of(serverA, serverB)) && System.nanoTime() < deadline) {
                JsonNode batch = socket.next("fleet", WAIT);
                assertThat(batch.get("snapshot").asBoolean()).isFalse();
                Set<String> inBatch = new HashSet<>();
                for (JsonNode server : batch.get("servers")) {
                    String id = server.get("id").asText();
                    assertThat(inBatch.add(id)).as("server %s twice in one batch", id).isTrue();
                    if (seen.containsKey(id)
                            && Instant.parse(server.get("lastSeen").asText()).isAfter(seen.get(id))) {
                        updated.add(id);
                    }
                    assertThat(server.has("report")).as("the fleet feed carries summaries only").isFalse();
                }
            }
            assertThat(updated).contains(serverA, serverB);
        }
    }

    @Test
    void anEditIsPushedToTheFleet() {
        try (LiveSocket socket = api.liveSocket()) {
            socket.send("{\"type\":\"watch-fleet\"}");
            socket.next("fleet", WAIT);
            api.patch("/api/servers/" + serverB, "{\"displayName\":\"Database primary\",\"tags\":[\"db\"]}").json();
            JsonNode renamed = socket.next(message -> "fleet".equals(message.path("type").asText())
                            && containsServer(message, serverB, "Database primary"),
                    "a fleet change with the new name", WAIT);
            assertThat(renamed.get("snapshot").asBoolean()).isFalse();
        } finally {
            api.patch("/api/servers/" + serverB, "{\"displayName\":null,\"tags\":[]}").json();
        }
    }

    private static boolean containsServer(JsonNode fleet, String id, String displayName) {
        for (JsonNode server : fleet.path("servers")) {
            if (server.get("id").asText().equals(id) && displayName.equals(server.path("displayName").asText())) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aWatchedServerSendsEveryReportAndStopsWhenUnwatched() {
        try (LiveSocket socket = api.liveSocket()) {
            socket.send("{\"type\":\"watch-server\",\"serverId\":\"" + serverA + "\"}");
            JsonNode first = socket.next("server", WAIT);
            assertThat(first.get("serverId").asText()).isEqualTo(serverA);
            assertThat(first.get("summary").get("hostname").asText()).isEqualTo("live-a");
            Instant previous = Instant.parse(first.get("report").get("collectedAt").asText());
            for (int i = 0; i < 2; i++) {
                JsonNode next = socket.next("server", WAIT);
                assertThat(next.get("serverId").asText()).as("only the watched server").isEqualTo(serverA);
                Instant collected = Instant.parse(next.get("report").get("collectedAt").asText());
                assertThat(collected).isAfter(previous);
                assertThat(next.get("report").get("cpu").get("perCore").isArray()).isTrue();
                previous = collected;
            }

            socket.send("{\"type\":\"unwatch-server\",\"serverId\":\"" + serverA + "\"}");
            // The session handles messages in order: once this error is back, the unwatch has been applied.
            socket.send("{\"type\":\"ping-barrier\"}");
            socket.next("error", WAIT);
            assertThatThrownBy(() -> socket.next("server", Duration.ofMillis(2500)))
                    .as("no report after unwatching (two report intervals)")
                    .isInstanceOf(AssertionError.class);
        }
    }

    @Test
    void badMessagesGetClearErrorsAndTheSocketKeepsWorking() {
        try (LiveSocket socket = api.liveSocket()) {
            socket.next("welcome", WAIT);
            assertThat(errorFor(socket, "not json")).contains("not valid JSON");
            assertThat(errorFor(socket, "[1,2]")).contains("\"type\"");
            assertThat(errorFor(socket, "{\"type\":\"launch-missiles\"}")).contains("unknown message type");
            assertThat(errorFor(socket, "{\"type\":\"watch-server\"}")).contains("serverId");
            assertThat(errorFor(socket, "{\"type\":\"watch-server\",\"serverId\":\"../../etc\"}")).contains("serverId");
            assertThat(errorFor(socket, "{\"type\":\"watch-fleet\",\"pad\":\"" + "x".repeat(10_000) + "\"}"))
                    .contains("over the limit");

            socket.send("{\"type\":\"watch-server\",\"serverId\":\"no-such-server\"}");
            assertThat(socket.next("removed", WAIT).get("serverId").asText()).isEqualTo("no-such-server");

            // This node allows two watched servers per socket.
            socket.send("{\"type\":\"watch-server\",\"serverId\":\"" + serverA + "\"}");
            socket.send("{\"type\":\"watch-server\",\"serverId\":\"" + serverB + "\"}");
            assertThat(errorFor(socket, "{\"type\":\"watch-server\",\"serverId\":\"a-third-one\"}"))
                    .contains("at most 2");

            socket.send("{\"type\":\"watch-fleet\"}");
            assertThat(socket.next("fleet", WAIT).get("snapshot").asBoolean()).isTrue();
        }
    }

    private static String errorFor(LiveSocket socket, String text) {
        socket.send(text);
        return socket.next("error", WAIT).get("message").asText();
    }

    @Test
    void loggingOutEndsTheLiveSocket() {
        ApiClient other = new ApiClient(node.httpPort());
        other.loginAsAdmin();
        try (LiveSocket socket = other.liveSocket()) {
            socket.next("welcome", WAIT);
            assertThat(other.post("/api/auth/logout", "{}").status()).isEqualTo(200);
            socket.next("session-ended", WAIT);
            assertThat(socket.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void aDeletedServerLeavesTheFleetAndItsWatchers() {
        String serverC = startAgent("live-c");
        try (LiveSocket socket = api.liveSocket()) {
            socket.send("{\"type\":\"watch-fleet\"}");
            socket.send("{\"type\":\"watch-server\",\"serverId\":\"" + serverC + "\"}");
            socket.next("server", WAIT);
            api.delete("/api/servers/" + serverC).json();
            assertThat(socket.next("removed", WAIT).get("serverId").asText()).isEqualTo(serverC);
            socket.next(message -> "fleet".equals(message.path("type").asText())
                            && message.path("removed").toString().contains(serverC),
                    "a fleet batch removing the server", WAIT);
        }
    }
}
