package io.steward.agent;

import static io.steward.core.testing.Eventually.await;
import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.steward.agent.testing.FakeNode;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.MetricsReport;
import io.steward.core.services.ServiceState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent process (its own JVM, the real OSHI collector) against a fake node on loopback: a real SIGHUP, and a
 * changed file without one, reload its config and services file; a broken config is refused and the old one stays.
 * The child starts with SIGHUP at its default disposition ({@code env --default-signal}): under {@code nohup} the
 * test JVM, and so every child, would have it ignored.
 */
class AgentReloadProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final String TOKEN = "enroll-token";

    @TempDir
    Path directory;

    private FakeNode node;
    private Process agent;
    private Path config;
    private Path services;
    private Path logFile;

    @BeforeEach
    void start() throws IOException {
        node = FakeNode.start().acceptEnrollmentToken(TOKEN);
        config = directory.resolve("agent.conf");
        services = directory.resolve("services.json");
        logFile = directory.resolve("logs").resolve("agent.log");
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.destroy();
            if (!agent.waitFor(20, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
        }
        node.close();
    }

    private void writeConfig(String topProcesses, String interval) throws IOException {
        writeConfig(topProcesses, interval, "24h");
    }

    private void writeConfig(String topProcesses, String interval, String spoolMaxAge) throws IOException {
        Files.writeString(config, String.join("\n",
                "hub = " + node.hub(),
                "token = " + TOKEN,
                "state-dir = " + directory.resolve("state"),
                "interval = " + interval,
                "top-processes = " + topProcesses,
                "spool-max-age = " + spoolMaxAge,
                "services = " + services,
                "log-file = " + logFile,
                ""));
    }

    private void writeServices(String name) throws IOException {
        Files.writeString(services, "{\"processes\": [{\"name\": \"" + name
                + "\", \"pattern\": \"steward-reload-test-never-running\"}]}");
    }

    private void startAgent() throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        agent = new ProcessBuilder("env", "--default-signal=HUP", java.toString(), "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), AgentMain.class.getName(), "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("console.txt").toFile())
                .start();
    }

    private void hangUp() throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(agent.toHandle().pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private String log() throws IOException {
        return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
    }

    private MetricsReport latestReport() {
        String serverId = await(WAIT, "enrollment", () -> node.serverIds().stream().findFirst().orElse(null));
        List<AgentMessage.Report> reports = node.receivedReports(serverId);
        return reports.isEmpty() ? null : reports.get(reports.size() - 1).metrics();
    }

    private int reportCount() {
        return node.serverIds().stream().mapToInt(id -> node.receivedReports(id).size()).sum();
    }

    private Set<String> latestServices() {
        List<AgentMessage.Services> received = node.received(AgentMessage.Services.class);
        return received.isEmpty() ? Set.of() : received.get(received.size() - 1).services().stream()
                .map(ServiceState::name).collect(Collectors.toSet());
    }

    private void assertReportsList(int processes) {
        eventually(WAIT, () -> {
            assertThat(agent.isAlive()).as("the agent runs").isTrue();
            MetricsReport report = latestReport();
            assertThat(report).isNotNull();
            assertThat(report.processes().topByCpu()).hasSize(processes);
            assertThat(report.processes().topByMemory()).hasSize(processes);
        });
    }

    @Test
    void sighupAndFileChangesReloadWhileABrokenConfigIsRefused() throws Exception {
        writeConfig("3", "1s");
        writeServices("alpha");
        startAgent();
        assertReportsList(3);
        eventually(WAIT, () -> assertThat(latestServices()).containsExactly("alpha"));

        // SIGHUP: both files read again at once (the watcher would wait two looks for the change to settle).
        writeConfig("2", "1s");
        writeServices("beta");
        hangUp();
        eventually(WAIT, () -> assertThat(log())
                .contains("Config reloaded (SIGHUP): top-processes 3 -> 2")
                .contains("Config reloaded (SIGHUP): services " + services));
        assertReportsList(2);
        eventually(WAIT, () -> assertThat(latestServices()).containsExactly("beta"));

        // No signal: the changed file is noticed by itself.
        writeConfig("4", "1s");
        eventually(WAIT, () -> assertThat(log()).contains("Config reloaded (file change): top-processes 2 -> 4"));
        assertReportsList(4);

        // A broken config is refused as a whole: its services change is not half-applied either.
        Files.writeString(config, Files.readString(config).replace("top-processes = 4", "top-processes = 0"));
        writeServices("gamma");
        hangUp();
        eventually(WAIT, () -> assertThat(log()).contains("Config reload (SIGHUP) refused, the running config stays: "
                + "top-processes (" + config + " line 5) must be between 1 and 100, got 0"));
        int before = reportCount();
        eventually(WAIT, () -> assertThat(reportCount()).isGreaterThan(before + 2));
        assertReportsList(4);
        assertThat(latestServices()).containsExactly("beta");

        // Mended, with a new interval (applied at once: the reports say so) and a key that only a restart applies
        // (said, and the running value kept).
        writeConfig("4", "2s", "12h");
        hangUp();
        eventually(WAIT, () -> assertThat(log())
                .contains("Config reloaded (SIGHUP): services " + services)
                .contains("Config reloaded (SIGHUP): interval 1s -> 2s")
                .contains("Collecting every 2s instead of 1s: set locally")
                .contains("spool-max-age 1d -> 12h needs a restart; 1d stays in force until then"));
        eventually(WAIT, () -> assertThat(latestServices()).containsExactly("gamma"));
        eventually(WAIT, () -> assertThat(latestReport().intervalMillis()).isEqualTo(2000));

        // The log went to its file, made readable by owner and group only, and not to the console.
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(logFile))).isEqualTo("rw-r-----");
        assertThat(log()).contains("Steward agent").contains("collecting every 1s");
        assertThat(Files.readString(directory.resolve("console.txt"))).doesNotContain("Config reload");
    }
}
