package io.steward.node.it;

import static io.steward.core.testing.Eventually.await;
import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.steward.agent.Agent;
import io.steward.agent.AgentSettings;
import io.steward.node.StewardNode;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.SteerableSource;
import io.steward.node.testing.TestNodes;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring integrations against a real node: {@code GET /metrics} refuses callers without a token or login
 * and answers the Prometheus text format; {@code deploy/check_steward} (run as a real process with curl against
 * {@code GET /api/check}) prints the Nagios line and exits 0/1/2/3 as the ranges, the server and its data say.
 */
class MonitoringEndpointsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path CHECK_STEWARD = Path.of("../deploy/check_steward");

    @TempDir
    Path nodeDir;
    @TempDir
    Path agentDir;

    @Test
    void metricsNeedATokenOrALoginAndAnswerThePrometheusTextFormat() throws Exception {
        try (StewardNode node = StewardNode.start(TestNodes.h2(nodeDir))) {
            int port = node.httpPort();
            ApiClient admin = new ApiClient(port);
            admin.loginAsAdmin();
            String token = admin.post("/api/tokens", "{\"name\":\"scraper\",\"scope\":\"read-only\"}").json()
                    .get("secret").asText();

            ApiClient.Response anonymous = new ApiClient(port).get("/metrics");
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.body().get("code").asText()).isEqualTo("unauthenticated");
            assertThat(ApiClient.withToken(port, "not-a-token").get("/metrics").status()).isEqualTo(401);

            ApiClient.Response scraped = ApiClient.withToken(port, token).get("/metrics");
            assertThat(scraped.status()).isEqualTo(200);
            assertThat(scraped.raw().headers().firstValue("Content-Type").orElseThrow())
                    .isEqualToIgnoringCase("text/plain; version=0.0.4; charset=utf-8");
            assertThat(scraped.raw().body())
                    .contains("# TYPE steward_ingest_reports_stored_total counter")
                    .contains("steward_ingest_reports_stored_total 0")
                    .contains("steward_ingest_errors_total{code=\"MALFORMED\"} 0")
                    .contains("# TYPE steward_ingest_ack_seconds histogram")
                    .contains("steward_ingest_connections_open 0")
                    .contains("steward_store_write_queue_reports 0")
                    .contains("steward_notification_outbox_messages{state=\"pending\"} 0")
                    .contains("steward_notification_channels_failing 0")
                    .contains("jvm_memory_used_bytes{area=\"heap\"}")
                    // The fleet's values only with steward.metrics.fleet = on.
                    .doesNotContain("steward_server_");

            // A logged-in session (the dashboard's cookie) is enough too.
            assertThat(admin.get("/metrics").status()).isEqualTo(200);
        }
    }

    @Test
    void checkStewardPrintsTheNagiosLineAndExitsWithTheVerdict() throws Exception {
        // No extra offline delay for an entity that just started: the test stops the agent and waits for offline.
        Config config = ConfigFactory.parseString("steward.server.offline-grace-after-start = 0s")
                .withFallback(TestNodes.h2(nodeDir));
        try (StewardNode node = StewardNode.start(config)) {
            int port = node.httpPort();
            ApiClient admin = new ApiClient(port);
            admin.loginAsAdmin();
            String token = admin.post("/api/tokens", "{\"name\":\"nagios\",\"scope\":\"read-only\"}").json()
                    .get("secret").asText();
            String url = "http://127.0.0.1:" + port;
            SteerableSource source = new SteerableSource("web-1", 1000, 12.5);
            Agent agent = Agent.start(AgentSettings.builder()
                    .hub(URI.create("ws://127.0.0.1:" + port + "/ws/agent"))
                    .token(admin.enrollmentToken())
                    .interval(Duration.ofSeconds(1))
                    .hostname("web-1")
                    .stateDirectory(agentDir)
                    .build(), source);
            String serverId;
            try {
                serverId = await(WAIT, "the agent to enroll", () -> agent.status().serverId());
                await(WAIT, "web-1 to be checkable", () ->
                        run(token, "-H", url, "-s", "web-1", "-m", "cpu.percent").exitCode() == 0 ? true : null);

                assertThat(run(token, "-H", url, "-s", "web-1", "-m", "cpu.percent", "-w", "80", "-c", "90"))
                        .isEqualTo(new Run(0, "STEWARD OK - cpu.percent on web-1 is 12.5% | "
                                + "'cpu.percent'=12.5%;80;90;0;100"));
                assertThat(run(token, "-H", url, "-s", serverId, "-m", "cpu.percent", "-w", "10", "-c", "90"))
                        .isEqualTo(new Run(1, "STEWARD WARNING - cpu.percent on web-1 is 12.5% | "
                                + "'cpu.percent'=12.5%;10;90;0;100"));
                assertThat(run(token, "-H", url, "-s", "WEB-1", "-m", "disk.percent{mount=/}", "-w", "20",
                        "-c", "@30:50"))
                        .isEqualTo(new Run(2, "STEWARD CRITICAL - disk.percent{mount=/} on web-1 is 40% | "
                                + "'disk.percent{mount=/}'=40%;20;@30:50;0;100"));
                assertThat(run(token, "-H", url, "-s", "db-9", "-m", "cpu.percent"))
                        .isEqualTo(new Run(3, "STEWARD UNKNOWN - no server named 'db-9'"));
                Run unknownMetric = run(token, "-H", url, "-s", "web-1", "-m", "gpu.percent", "-w", "80");
                assertThat(unknownMetric.exitCode()).isEqualTo(3);
                assertThat(unknownMetric.output())
                        .startsWith("STEWARD UNKNOWN - web-1 reports no gpu.percent (it reports ")
                        .contains("cpu.percent");
                assertThat(run(token, "-H", url, "-s", "web-1", "-m", "cpu.percent", "-w", "eighty"))
                        .isEqualTo(new Run(3, "STEWARD UNKNOWN - HTTP 400: warn: range 'eighty': 'eighty' is not a"
                                + " number (ranges are like 80, 10:, ~:10, 10:20 or @10:20)"));
                assertThat(run("wrong-token", "-H", url, "-s", "web-1", "-m", "cpu.percent"))
                        .isEqualTo(new Run(3, "STEWARD UNKNOWN - HTTP 401: unknown or revoked API token"));

                // The JSON form carries the same verdict for tools other than the script.
                JsonNode json = ApiClient.withToken(port, token)
                        .get("/api/check?server=web-1&metric=cpu.percent&warn=10").json();
                assertThat(json.get("status").asText()).isEqualTo("WARNING");
                assertThat(json.get("exitCode").asInt()).isEqualTo(1);
                assertThat(json.get("server").asText()).isEqualTo(serverId);
                assertThat(json.get("value").asDouble()).isEqualTo(12.5);
            } finally {
                agent.close();
            }

            // An offline server's values are stale: UNKNOWN, or CRITICAL when asked for.
            eventually(WAIT, () -> assertThat(run(token, "-H", url, "-s", "web-1", "-m", "cpu.percent").output())
                    .startsWith("STEWARD UNKNOWN - web-1 is offline; its last report was collected at "));
            Run critical = run(token, "-H", url, "-s", "web-1", "-m", "cpu.percent", "-o");
            assertThat(critical.exitCode()).isEqualTo(2);
            assertThat(critical.output()).startsWith("STEWARD CRITICAL - web-1 is offline");
        }
    }

    /** What the plugin printed (its one line) and its exit code. */
    private record Run(int exitCode, String output) {}

    private static Run run(String token, String... arguments) {
        List<String> command = new ArrayList<>(List.of("sh", CHECK_STEWARD.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("STEWARD_TOKEN", token);
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("check_steward finished").isTrue();
            return new Run(process.exitValue(), output);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
