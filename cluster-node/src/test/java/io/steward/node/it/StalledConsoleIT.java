package io.steward.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.protocol.ProtocolVersion;
import io.steward.core.protocol.WireFormat;
import io.steward.core.testing.FreePort;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.NodeJvm;
import io.steward.node.testing.RawAgentSocket;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node process whose console nobody reads — a paused terminal, a stalled journal: its output is a pipe that
 * fills. The node's actors share one dispatcher thread per two cores; a log call that waited for the console would
 * stop them all. It keeps serving, and a SIGTERM still stops it in order: its last line does not wait for the console.
 * (What the queue holds comes out when the console reads again, and lines past it are counted: NodeLoggingTest.)
 */
class StalledConsoleIT {
    /** Each refused hello logs a line with the 255-character hostname: ~400 bytes, a pipe's 64 KiB in ~160. */
    private static final int REFUSED_HELLOS = 400;

    @TempDir
    Path dir;

    @Test
    void aNodeWhoseConsoleNobodyReadsKeepsServingAndStillStopsOnSigterm() throws Exception {
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

            node.signal("TERM");
            assertThat(node.process().waitFor(60, TimeUnit.SECONDS)).as("exited within a minute of SIGTERM").isTrue();
            assertThat(node.process().exitValue()).isZero();
            // What the pipe held: the start, then the refused hellos' lines until it was full.
            assertThat(node.output()).contains("Steward node is up").contains("Closing agent connection from");
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
}
