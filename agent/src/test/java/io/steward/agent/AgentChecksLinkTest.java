package io.steward.agent;

import static io.steward.core.testing.Eventually.await;
import static io.steward.core.testing.Eventually.eventually;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.steward.agent.checks.AgentChecks;
import io.steward.agent.checks.CheckOptions;
import io.steward.agent.testing.FakeNode;
import io.steward.agent.testing.NumberedSource;
import io.steward.core.checks.AssignedCheck;
import io.steward.core.checks.CheckDefinition;
import io.steward.core.checks.CheckResult;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.retry.Backoff;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks through the real link: a real agent connected to a real WebSocket node, probing a real HTTP server on
 * loopback. Checks start without jitter and (unless a test needs the rhythm) run once an hour, so every further
 * result comes from a run-now request.
 */
class AgentChecksLinkTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TOKEN = "enroll-token";
    private static final CheckOptions NO_JITTER = CheckOptions.DEFAULT.withMaxStartJitter(Duration.ZERO);

    @TempDir
    Path stateDirectory;

    private FakeNode node;
    private HttpServer server;
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        node = FakeNode.start().acceptEnrollmentToken(TOKEN);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            hits.computeIfAbsent(path, ignored -> new AtomicInteger()).incrementAndGet();
            byte[] body = "ok".getBytes(UTF_8);
            // Any answer at all makes a reference reachable: the reference path answers 404.
            exchange.sendResponseHeaders(path.equals("/reference") ? 404 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        node.close();
        server.stop(0);
    }

    private Agent startAgent(CheckOptions checks) {
        Agent agent = Agent.start(AgentSettings.builder()
                .hub(node.hub())
                .token(TOKEN)
                .interval(Duration.ofSeconds(60))
                .stateDirectory(stateDirectory)
                .reconnectBackoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(300), 2.0))
                .checks(checks)
                .build(), new NumberedSource());
        eventually(WAIT, () -> assertThat(agent.status().connected()).isTrue());
        return agent;
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private AssignedCheck check(String id, Duration interval) {
        return new AssignedCheck(id, new CheckDefinition.Http(id, url("/" + id), null, null, null, null, null, null,
                null, interval, null, Duration.ofSeconds(5), null, null));
    }

    private AssignedCheck hourly(String id) {
        return check(id, Duration.ofHours(1));
    }

    private void assign(AssignedCheck... checks) {
        node.sendToAgents(new NodeMessage.ChecksAssign(List.of(checks)));
    }

    private List<AgentMessage.CheckResults> frames() {
        return node.received(AgentMessage.CheckResults.class);
    }

    private List<CheckResult> results(String id) {
        return frames().stream().flatMap(frame -> frame.results().stream())
                .filter(result -> result.checkId().equals(id)).toList();
    }

    private int hitsOf(String id) {
        AtomicInteger count = hits.get("/" + id);
        return count == null ? 0 : count.get();
    }

    @Test
    void anAssignmentLeadsToCheckResultFramesWithUpResults() {
        try (Agent agent = startAgent(NO_JITTER)) {
            assign(hourly("home"), hourly("api"));

            eventually(WAIT, () -> {
                assertThat(results("home")).hasSize(1);
                assertThat(results("api")).hasSize(1);
            });
            assertThat(results("home").get(0).up()).as(results("home").toString()).isTrue();
            assertThat(results("api").get(0).up()).isTrue();
            assertThat(results("api").get(0).statusCode()).isEqualTo(200);
            AgentMessage.CheckResults frame = frames().get(0);
            assertThat(frame.referenceReachable()).as("no reference configured").isNull();
            assertThat(frame.refused()).isEmpty();
            AgentChecks.Status status = agent.status().checks();
            assertThat(status.enabled()).isTrue();
            assertThat(status.assigned()).isEqualTo(2);
            assertThat(status.frames().resultsSent()).isEqualTo(2);
            assertThat(status.frames().droppedWhileDisconnected()).isZero();
        }
    }

    @Test
    void aReassignmentReplacesTheListAndStopsTheChecksNoLongerOnIt() {
        try (Agent agent = startAgent(NO_JITTER)) {
            assign(hourly("old"));
            eventually(WAIT, () -> assertThat(results("old")).hasSize(1));

            assign(hourly("new"));
            eventually(WAIT, () -> assertThat(results("new")).hasSize(1));
            // A run-now for both: only the assigned one runs (which also proves the request was handled).
            node.sendToAgents(new NodeMessage.ChecksRun(List.of("old", "new")));
            eventually(WAIT, () -> assertThat(results("new")).hasSize(2));
            assertThat(hitsOf("old")).isEqualTo(1);
            assertThat(results("old")).hasSize(1);
            assertThat(agent.status().checks().assigned()).isEqualTo(1);
        }
    }

    @Test
    void aRunNowRequestRunsTheCheckOutsideItsRhythm() {
        try (Agent ignored = startAgent(NO_JITTER)) {
            assign(hourly("home"));
            eventually(WAIT, () -> assertThat(results("home")).hasSize(1));

            node.sendToAgents(new NodeMessage.ChecksRun(List.of("home")));
            eventually(WAIT, () -> assertThat(results("home")).hasSize(2));
            assertThat(hitsOf("home")).isEqualTo(2);
            assertThat(results("home").get(1).startedAt()).isAfter(results("home").get(0).startedAt());
        }
    }

    @Test
    void anUnreachableReferenceMakesTheResultsSaySoAndAReachableOneToo() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (Agent agent = startAgent(NO_JITTER.withReference(URI.create("http://127.0.0.1:" + closedPort + "/")))) {
            assertReferenceReported(agent, false);
        }
        try (Agent agent = startAgent(NO_JITTER.withReference(URI.create(url("/reference"))))) {
            assertReferenceReported(agent, true);
            assertThat(hits.get("/reference").get()).isPositive();
        }
    }

    /** Waits until the agent has tried its reference, then has a check run and reads the frame it comes in. */
    private void assertReferenceReported(Agent agent, boolean reachable) {
        assign(hourly("home"));
        eventually(WAIT, () -> assertThat(agent.status().checks().referenceReachable()).isEqualTo(reachable));
        int before = frames().size();
        node.sendToAgents(new NodeMessage.ChecksRun(List.of("home")));
        AgentMessage.CheckResults next = await(WAIT, "a frame after the run", () -> frames().size() > before
                ? frames().get(frames().size() - 1) : null);
        assertThat(next.referenceReachable()).isEqualTo(reachable);
        assertThat(next.votes()).isEqualTo(reachable);
    }

    @Test
    void checksOverTheAgentsCapAreRefusedAndReportedAsSuch() {
        try (Agent agent = startAgent(NO_JITTER.withMaxChecks(2))) {
            assign(hourly("one"), hourly("two"), hourly("three"));

            eventually(WAIT, () -> {
                assertThat(frames()).isNotEmpty();
                assertThat(frames().get(0).refused()).containsExactly("three");
                assertThat(results("one")).hasSize(1);
                assertThat(results("two")).hasSize(1);
            });
            // The refusal is the state of the latest assignment: every frame carries it.
            assertThat(frames()).allSatisfy(frame -> assertThat(frame.refused()).containsExactly("three"));
            assertThat(hitsOf("three")).isZero();
            assertThat(agent.status().checks().refused()).isEqualTo(1);

            // Within the cap again: a frame says nothing is refused any more, even before any new result.
            int before = frames().size();
            assign(hourly("one"));
            AgentMessage.CheckResults cleared = await(WAIT, "a frame after the new assignment",
                    () -> frames().size() > before ? frames().get(frames().size() - 1) : null);
            assertThat(cleared.refused()).isEmpty();
            assertThat(cleared.results()).isEmpty();
        }
    }

    @Test
    void withChecksOffEveryAssignedCheckIsRefusedAndNothingIsProbed() {
        try (Agent agent = startAgent(NO_JITTER.withEnabled(false))) {
            assign(hourly("home"), hourly("api"));

            AgentMessage.CheckResults frame = await(WAIT, "the refusal", () -> frames().isEmpty() ? null
                    : frames().get(0));
            assertThat(frame.refused()).containsExactly("home", "api");
            assertThat(frame.results()).isEmpty();
            assertThat(agent.status().checks().enabled()).isFalse();
            assertThat(agent.status().checks().refused()).isEqualTo(2);
            assertThat(hits).isEmpty();
        }
    }

    @Test
    void resultsProducedWhileDisconnectedAreDroppedAndCountedNeverSentLater() {
        // The shortest interval a check may have: one run while the node is away.
        try (Agent agent = startAgent(NO_JITTER)) {
            assign(check("home", Duration.ofSeconds(10)));
            eventually(WAIT, () -> assertThat(results("home")).hasSize(1));

            Instant stopped = Instant.now();
            node.stop();
            eventually(WAIT, () -> assertThat(agent.status().connected()).isFalse());
            eventually(WAIT, () -> assertThat(agent.status().checks().frames().droppedWhileDisconnected())
                    .isPositive());
            assertThat(hitsOf("home")).isGreaterThanOrEqualTo(2);

            Instant restarting = Instant.now();
            node.restart();
            eventually(WAIT, () -> assertThat(agent.status().connected()).isTrue());
            // A run now: whatever had waited from the disconnected time would go before (or with) it.
            node.sendToAgents(new NodeMessage.ChecksRun(List.of("home")));
            eventually(WAIT, () -> assertThat(results("home")).anySatisfy(result ->
                    assertThat(result.startedAt()).isAfter(restarting)));
            assertThat(results("home")).noneSatisfy(result -> assertThat(result.startedAt())
                    .isBetween(stopped, restarting));
        }
    }

    @Test
    void stoppingTheAgentStopsItsChecks() {
        Set<Thread> probing;
        try (Agent ignored = startAgent(NO_JITTER)) {
            assign(hourly("home"));
            eventually(WAIT, () -> assertThat(results("home")).hasSize(1));
            probing = checkThreads();
            assertThat(probing).isNotEmpty();
        }
        eventually(WAIT, () -> assertThat(probing).noneMatch(Thread::isAlive));
    }

    private static Set<Thread> checkThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("steward-check")).collect(Collectors.toSet());
    }
}
