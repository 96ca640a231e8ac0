package io.steward.node.it;

import static io.steward.core.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.agent.Agent;
import io.steward.agent.AgentSettings;
import io.steward.agent.collect.OshiCollector;
import io.steward.node.StewardNode;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.BrowserScript;
import io.steward.node.testing.CountingSource;
import io.steward.node.testing.RecordingHttpServer;
import io.steward.node.testing.SteerableSource;
import io.steward.node.testing.TestNodes;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard end to end in a real headless Chromium: a real node on H2 serving the built frontend from its jar's
 * classpath, a real agent collecting this machine with OSHI plus two more agents, and the browser script
 * {@code frontend/e2e/dashboard-e2e.mjs} (playwright-core driving Debian's {@code /usr/bin/chromium}) clicking
 * through login, overview, detail, settings, add-server and logout. Screenshots land in
 * {@code cluster-node/target/e2e-screenshots/}.
 */
class DashboardE2EIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> STEPS = List.of("wrong-password", "login", "live-values", "detail",
            "charts", "rename", "add-server", "service-restart", "alert-ack", "rules-channels", "node-settings",
            "logout");

    @TempDir
    Path nodeDir;
    @TempDir
    Path agentDirs;

    @Test
    void theDashboardWorksInARealBrowserAgainstARealNode() throws Exception {
        BrowserScript browser = BrowserScript.of("dashboard-e2e.mjs", "e2e-screenshots");
        Path screenshots = browser.screenshots();

        try (StewardNode node = StewardNode.start(TestNodes.h2(nodeDir));
                RecordingHttpServer receiver = new RecordingHttpServer()) {
            ApiClient api = new ApiClient(node.httpPort());
            api.loginAsAdmin();
            assertThat(api.post("/api/channels", """
                    {"name":"E2E hook","type":"webhook","settings":{"url":"%s"}}"""
                    .formatted(receiver.url("/e2e"))).status()).isEqualTo(201);
            String hub = "ws://127.0.0.1:" + node.httpPort() + "/ws/agent";
            List<Agent> agents = new ArrayList<>();
            try {
                agents.add(Agent.start(settings(hub, api.enrollmentToken(), "e2e-local").toBuilder()
                        .servicesFile(workerServices()).build(), new OshiCollector()));
                agents.add(Agent.start(settings(hub, api.enrollmentToken(), "web-01"),
                        new CountingSource("web-01", 1000)));
                agents.add(Agent.start(settings(hub, api.enrollmentToken(), "db-01"),
                        new SteerableSource("db-01", 1000, 95)));
                for (Agent agent : agents) {
                    await(WAIT, "agents to report", () -> agent.status().lastAckedSequence() > 0 ? true : null);
                }
                String hotServer = agents.get(2).status().serverId();
                assertThat(api.post("/api/alert-rules", """
                        {"name":"DB CPU hot","metric":"cpu.percent","comparison":"above","threshold":90,
                         "for":"PT0S","severity":"critical","scope":{"kind":"server","value":"%s"}}"""
                        .formatted(hotServer)).status()).isEqualTo(201);

                String output = browser.run(node.httpPort(), Map.of("STEWARD_SERVER_HOSTNAME", "e2e-local"));

                for (String step : STEPS) {
                    assertThat(output).as("step %s passed", step).contains("STEP " + step + " ok");
                }
                assertThat(output).doesNotContain("FAIL ");
                // The Settings page's save is in force on the node (the bad value before it stored nothing).
                JsonNode offline = null;
                for (JsonNode setting : api.get("/api/settings").json().get("settings")) {
                    if (setting.get("key").asText().equals("offlineAfterMissedReports")) {
                        offline = setting;
                    }
                }
                assertThat(offline).isNotNull();
                assertThat(offline.get("value").asText()).isEqualTo("5");
                assertThat(offline.get("source").asText()).isEqualTo("database");
                assertThat(api.get("/api/audit").raw().body()).contains("setting.changed");
                // The browser's "Send test" really went out, and the firing alert reached the channel too.
                assertThat(receiver.requests("/e2e")).extracting(request -> request.header("X-Steward-Event"))
                        .contains("test", "firing");
            } finally {
                agents.forEach(Agent::close);
            }
        }
        try (var files = Files.list(screenshots)) {
            assertThat(files.filter(file -> file.toString().endsWith(".png")).count())
                    .as("screenshots of each page").isGreaterThanOrEqualTo(6);
        }
    }

    /** A supervised process for the services step: GNU sleep sums its arguments, so the fraction names it. */
    private final String marker = "3600." + java.util.concurrent.ThreadLocalRandom.current().nextInt(100_000, 999_999);

    private Path workerServices() throws IOException, InterruptedException {
        String start = "sleep " + marker + " >/dev/null 2>&1 &";
        new ProcessBuilder("sh", "-c", start).start().waitFor();
        Path file = agentDirs.resolve("services.json");
        Files.writeString(file, """
                {"processes": [{"name": "worker", "pattern": "sleep %s$", "start": ["sh", "-c", "%s"],
                                "stop": ["pkill", "-f", "^sleep %s$"], "description": "E2E worker"}]}"""
                .formatted(marker, start, marker));
        return file;
    }

    @org.junit.jupiter.api.AfterEach
    void killWorkers() {
        ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .map(line -> line.contains("sleep " + marker)).orElse(false)).forEach(ProcessHandle::destroyForcibly);
    }

    private AgentSettings settings(String hub, String token, String hostname) {
        return AgentSettings.builder()
                .hub(URI.create(hub))
                .token(token)
                .interval(Duration.ofSeconds(1))
                .stateDirectory(agentDirs.resolve(hostname))
                .hostname(hostname)
                .machineId("machine-" + hostname)
                .build();
    }
}
