package io.steward.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return AgentMain.check(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void badOptionsPrintTheProblemAndUsageAndExitWithTwo() {
        assertThat(run("--hub", "ws://h:1/ws/agent", "--token", "t", "--interval", "0.5s")).isEqualTo(2);
        String printed = err.toString(StandardCharsets.UTF_8);
        assertThat(printed).startsWith("steward-agent: --interval must be between 1s and 60s, got 0.5s")
                .contains("Usage: java -jar steward-agent.jar");
    }

    @Test
    void aMistakeInTheBackupsFileIsABadOption(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("backups.json");
        Files.writeString(file, "{\"allowSources\": [\"/srv/../etc\"], \"allowDestinations\": [\"b\"]}");
        assertThat(run("--hub", "ws://h:1/ws/agent", "--token", "t", "--backups", file.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("steward-agent: --backups: " + file
                + ": allowSources[0]: '/srv/../etc' must not contain '.' or '..'");
    }

    @Test
    void helpPrintsUsage() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--spool-max-bytes").contains("STEWARD_TOKEN");
    }

    @Test
    void plainWebSocketBeyondLoopbackIsWarnedAbout() {
        assertThat(AgentMain.plainTextBeyondLoopback(URI.create("ws://10.0.0.5:8080/ws/agent"))).isTrue();
        assertThat(AgentMain.plainTextBeyondLoopback(URI.create("ws://127.0.0.1:8080/ws/agent"))).isFalse();
        assertThat(AgentMain.plainTextBeyondLoopback(URI.create("ws://localhost:8080/ws/agent"))).isFalse();
        assertThat(AgentMain.plainTextBeyondLoopback(URI.create("ws://[::1]:8080/ws/agent"))).isFalse();
        assertThat(AgentMain.plainTextBeyondLoopback(URI.create("wss://10.0.0.5:8080/ws/agent"))).isFalse();
    }
}
