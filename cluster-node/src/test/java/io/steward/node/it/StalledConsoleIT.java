package io.steward.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.protocol.ProtocolVersion;
import io.steward.core.protocol.WireFormat;
import io.steward.core.testing.Eventually;
import io.steward.core.testing.FreePort;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.NodeJvm;
import io.steward.node.testing.RawAgentSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node process whose console nobody reads — a paused terminal, a stalled journal: its output is a pipe that
 * fills. The node's actors share one dispatcher thread per two cores; a log call that waited for the console would
 * stop them all. It keeps serving, and once the console reads again it gets what was logged meanwhile.
 */
class StalledConsoleIT {
    /** Each refused hello logs a line with the 255-character hostname: ~400 bytes, a pipe's 64 KiB in ~160. */
    private static final int REFUSED_HELLOS = 400;

    @TempDir
    Path dir;

    @Test
    void aNodeWhoseConsoleNobodyReadsKeepsServingAndWritesWhatItHeldOnceTheConsoleReads() throws Exception {
        int port = FreePort.find();
        NodeJvm node = NodeJvm.startWithUnreadOutput("stalled-console", dir, port, List.of(
                "--data-dir", dir.resolve("data").toString(),
                "--bind", "127.0.0.1",
                "--http-port", String.valueOf(port)));
        try {
            node.awaitServing(Duration.ofSeconds(60));
            String hello = WireFormat.encode(new AgentMessage.Hello(ProtocolVersion.CURRENT, "test",
                    "stw_not-a-token", "h".repeat(255), null));
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < REFUSED_HELLOS; i++) {
                refused(http, port, hello, "hello " + i);
            }
            assertThat(new ApiClient(port).get("/healthz").status()).isEqualTo(200);

            // The console reads again: the lines held meanwhile come out, in order, none lost (400 fit the queue;
            // past its 4,096 lines they are dropped and counted: NodeLoggingTest).
            Drain console = new Drain(node.process().getInputStream());
            console.start();
            refused(http, port, hello, "the hello after the console came back");
            Eventually.eventually(Duration.ofSeconds(30), () -> assertThat(
                    console.text().lines().filter(line -> line.contains("Closing agent connection from")).count())
                    .isEqualTo(REFUSED_HELLOS + 1));
            assertThat(console.text()).contains("Steward node is up").doesNotContain("log lines dropped");
        } finally {
            node.destroy(Path.of("target", "stalled-console"));
        }
    }

    /** One connection whose hello the node refuses (and logs); fails if the node does not answer in time. */
    private static void refused(HttpClient http, int port, String hello, String what) {
        try (RawAgentSocket socket = new RawAgentSocket(http, port)) {
            socket.send(hello);
            NodeMessage answer = socket.next(); // fails after 10 s without a frame
            assertThat(answer).as(what).isInstanceOf(NodeMessage.Error.class);
            assertThat(((NodeMessage.Error) answer).fatal()).as(what).isTrue();
        }
    }

    /** Reads the node's output from now on. */
    private static final class Drain extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream read = new ByteArrayOutputStream();

        Drain(InputStream in) {
            super("stalled-console-drain");
            this.in = in;
            setDaemon(true);
        }

        String text() {
            synchronized (read) {
                return read.toString(StandardCharsets.UTF_8);
            }
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    synchronized (read) {
                        read.write(buffer, 0, n);
                    }
                }
            } catch (IOException ended) {
                // The process was destroyed.
            }
        }
    }
}
