package io.steward.agent.checks;

import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reference: any HTTP answer means reachable, none means not, and a failed check has it tried again soon. */
class ReferenceProbeTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final Prober prober = new Prober(ChecksSettings.DEFAULT, "steward-test", Resolver.SYSTEM,
            TlsInspector.systemTrust());

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            TestCertificates.respond(exchange, 503, "down for maintenance");
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        prober.close();
    }

    private URI served() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/health");
    }

    @Test
    void anyHttpAnswerMeansReachableEvenAnError() {
        try (ReferenceProbe reference = new ReferenceProbe(served(), prober)) {
            assertThat(reference.reachable()).isNull();
            reference.watch(true);
            eventually(WAIT, () -> assertThat(reference.reachable()).isTrue());
            assertThat(requests.get()).isEqualTo(1);
        }
    }

    @Test
    void noAnswerMeansUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (ReferenceProbe reference = new ReferenceProbe(URI.create("http://127.0.0.1:" + closedPort + "/"),
                prober)) {
            reference.watch(true);
            eventually(WAIT, () -> assertThat(reference.reachable()).isFalse());
        }
    }

    @Test
    void afterAFailedCheckItIsTriedAgainOnceTheLastTryIsFiveSecondsOldNotOnlyEveryThirty() {
        try (ReferenceProbe reference = new ReferenceProbe(served(), prober)) {
            reference.watch(true);
            eventually(WAIT, () -> assertThat(reference.reachable()).isTrue());
            long firstTried = System.nanoTime();
            reference.checkFailed(); // the first try is fresh: its answer stands
            server.stop(0);

            eventually(WAIT, () -> {
                reference.checkFailed();
                assertThat(reference.reachable()).isFalse();
            });
            Duration between = Duration.ofNanos(System.nanoTime() - firstTried);
            assertThat(between).isGreaterThanOrEqualTo(ReferenceProbe.FRESH.minusMillis(500))
                    .isLessThan(ReferenceProbe.PERIOD);
            assertThat(requests.get()).isEqualTo(1);
        }
    }
}
