package io.steward.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.testing.Eventually;
import io.steward.node.testing.FreePort;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node process with its local agent, stopped the way a newcomer stops it: Ctrl-C (SIGINT), and the way
 * systemd does (SIGTERM). It stops its streams and jobs before the database closes, prints one line, exits 0, and
 * starts again on the same data.
 */
class NodeStopIT {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    @Test
    void ctrlCAndSigtermStopTheNodeInOrderWithOneLineAndExitZero() throws Exception {
        for (String signal : List.of("INT", "TERM")) {
            Path log = dataDir.resolve("node-" + signal + ".log");
            Process node = start(log);
            try {
                Eventually.eventually(START, () -> assertThat(read(log)).contains("Steward node is up"));
                // Let the local agent connect and report, so there are streams and writes to stop.
                Eventually.eventually(START, () -> assertThat(read(log)).contains("connected as server")
                        .contains("Connected to [ws://"));
                int linesBefore = read(log).split("\n").length;

                new ProcessBuilder("kill", "-" + signal, String.valueOf(node.pid())).start().waitFor();
                assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("stopped within a minute").isTrue();

                assertThat(node.exitValue()).as("exit code after SIG" + signal).isZero();
                List<String> after = List.of(read(log).split("\n")).subList(linesBefore, read(log).split("\n").length);
                assertThat(after).as("what the stop printed after SIG" + signal)
                        .containsExactly("Steward node stopped.");
            } finally {
                node.destroyForcibly();
                node.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private Process start(Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                // The node's own logging (logback.xml), not the tests' capturing setup.
                "-Dlogback.configurationFile=logback.xml",
                "-cp", System.getProperty("java.class.path"),
                "io.steward.node.NodeMain",
                "--local-agent",
                "--data-dir", dataDir.resolve("data").toString(),
                "--bind", "127.0.0.1",
                "--http-port", String.valueOf(FreePort.find())));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }
}
