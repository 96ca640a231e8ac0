package io.steward.agent.checks;

import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.steward.core.checks.AssignedCheck;
import io.steward.core.checks.CheckDefinition;
import io.steward.core.checks.CheckResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduler: first runs, run-now, the cap, bounded concurrency and reassignment, against a real HTTP server. */
class ChecksTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private HttpServer server;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private final LinkedBlockingQueue<CheckResult> results = new LinkedBlockingQueue<>();
    private Prober prober;
    private Checks checks;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/ok", exchange -> {
            requests.incrementAndGet();
            TestCertificates.respond(exchange, 200, "ok");
        });
        server.createContext("/slow", exchange -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
            TestCertificates.respond(exchange, 200, "slow");
        });
        server.start();
        ChecksSettings settings = new ChecksSettings(3, 2, 64 * 1024, Duration.ZERO);
        prober = new Prober(settings, "steward-test", Resolver.SYSTEM, TlsInspector.systemTrust());
        checks = new Checks(settings, prober, results::add);
    }

    @AfterEach
    void stop() {
        release.countDown();
        checks.close();
        prober.close();
        server.stop(0);
    }

    private AssignedCheck check(String id, String path) {
        return new AssignedCheck(id, new CheckDefinition.Http(id, "http://127.0.0.1:" + server.getAddress().getPort()
                + path, null, null, null, null, null, null, null, Duration.ofSeconds(30), null,
                Duration.ofSeconds(15), null, null));
    }

    private List<String> drain(int count) throws InterruptedException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            CheckResult result = results.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(result).as("result " + (i + 1) + " of " + count).isNotNull();
            ids.add(result.checkId());
        }
        return ids;
    }

    @Test
    void assignedChecksRunAndRunNowRunsOneAgain() throws Exception {
        Checks.Assignment assignment = checks.assign(List.of(check("a", "/ok"), check("b", "/ok")));
        assertThat(assignment.scheduled()).containsExactly("a", "b");
        assertThat(drain(2)).containsExactlyInAnyOrder("a", "b");
        assertThat(results.stream().allMatch(CheckResult::up)).isTrue();
        eventually(WAIT, () -> assertThat(checks.runNow("a")).isTrue());
        assertThat(drain(1)).containsExactly("a");
        assertThat(checks.runNow("unknown")).isFalse();
    }

    @Test
    void checksOverTheCapAreRefused() {
        Checks.Assignment assignment = checks.assign(List.of(check("a", "/ok"), check("b", "/ok"), check("c", "/ok"),
                check("d", "/ok")));
        assertThat(assignment.scheduled()).containsExactly("a", "b", "c");
        assertThat(assignment.refused()).containsExactly("d");
        assertThat(checks.assigned()).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void noMoreProbesRunAtOnceThanTheConcurrencyAndTheRestWait() throws Exception {
        checks.assign(List.of(check("a", "/slow"), check("b", "/slow"), check("c", "/slow")));
        eventually(WAIT, () -> {
            assertThat(inFlight.get()).isEqualTo(2);
            assertThat(checks.waiting()).isEqualTo(1);
        });
        // A due run of a check still running is skipped, not queued twice.
        List<String> running = List.of("a", "b", "c");
        int accepted = 0;
        for (String id : running) {
            accepted += checks.runNow(id) ? 1 : 0;
        }
        assertThat(accepted).isZero();
        release.countDown();
        assertThat(drain(3)).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(mostInFlight.get()).isEqualTo(2);
    }

    @Test
    void aReassignmentStopsMissingChecksAndKeepsUnchangedOnes() throws Exception {
        checks.assign(List.of(check("a", "/ok"), check("b", "/ok")));
        drain(2);
        int before = requests.get();
        Checks.Assignment next = checks.assign(List.of(check("a", "/ok"), check("c", "/ok")));
        assertThat(next.scheduled()).containsExactly("a", "c");
        assertThat(checks.assigned()).containsExactlyInAnyOrder("a", "c");
        // Only the new check runs at once; the unchanged one keeps its rhythm (30 s) instead of restarting.
        assertThat(drain(1)).containsExactly("c");
        assertThat(requests.get()).isEqualTo(before + 1);
        assertThat(checks.runNow("b")).isFalse();
        checks.assign(List.of());
        assertThat(checks.assigned()).isEmpty();
    }
}
