package io.steward.node.it;

import static io.steward.core.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.steward.agent.Agent;
import io.steward.agent.AgentSettings;
import io.steward.core.testing.FreePort;
import io.steward.node.StewardNode;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.SteerableSource;
import io.steward.node.testing.TestNodes;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's {@code prometheus}, which deploy/test.sh installs) scrapes a real node every second:
 * with an API token as {@code authorization: credentials:} the target is up and the node's counters (reports stored,
 * the ack latency histogram, the JVM) and the fleet's values (with {@code steward.metrics.fleet = on}) can be
 * queried through Prometheus's own HTTP API; a second job without credentials is down with 401.
 */
class PrometheusScrapeIT {
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path nodeDir;
    @TempDir
    Path agentDir;
    @TempDir
    Path prometheusDir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void prometheusScrapesTheNodeWithATokenAndIsRefusedWithout() throws Exception {
        assertThat(PROMETHEUS).as("the prometheus binary (apt-get install prometheus; deploy/test.sh installs it)")
                .isExecutable();
        Config config = ConfigFactory.parseString("steward.metrics.fleet = on").withFallback(TestNodes.h2(nodeDir));
        try (StewardNode node = StewardNode.start(config)) {
            ApiClient admin = new ApiClient(node.httpPort());
            admin.loginAsAdmin();
            String token = admin.post("/api/tokens", "{\"name\":\"prometheus\",\"scope\":\"read-only\"}").json()
                    .get("secret").asText();
            try (Agent agent = Agent.start(AgentSettings.builder()
                    .hub(URI.create("ws://127.0.0.1:" + node.httpPort() + "/ws/agent"))
                    .token(admin.enrollmentToken())
                    .interval(Duration.ofSeconds(1))
                    .hostname("web-1")
                    .stateDirectory(agentDir)
                    .build(), new SteerableSource("web-1", 1000, 12.5))) {
                String serverId = await(WAIT, "the agent to enroll", () -> agent.status().serverId());
                int prometheusPort = FreePort.find();
                Process prometheus = startPrometheus(node.httpPort(), prometheusPort, token);
                try {
                    URI api = URI.create("http://127.0.0.1:" + prometheusPort);
                    await(WAIT, "Prometheus to be ready (log: " + prometheusDir.resolve("prometheus.log") + ")",
                            () -> status(api.resolve("/-/ready")) == 200 ? true : null);

                    JsonNode targets = await(WAIT, "both targets to be scraped", () -> {
                        JsonNode active = get(api.resolve("/api/v1/targets")).path("data").path("activeTargets");
                        boolean stewardUp = false;
                        boolean anonymousDown = false;
                        for (JsonNode target : active) {
                            String job = target.path("labels").path("job").asText();
                            String health = target.path("health").asText();
                            stewardUp |= job.equals("steward") && health.equals("up");
                            anonymousDown |= job.equals("anonymous") && health.equals("down");
                        }
                        return stewardUp && anonymousDown ? active : null;
                    });
                    for (JsonNode target : targets) {
                        if (target.path("labels").path("job").asText().equals("anonymous")) {
                            assertThat(target.path("lastError").asText()).contains("401");
                        }
                    }
                    assertThat(value(api, "up{job=\"anonymous\"}")).isZero();
                    assertThat(value(api, "up{job=\"steward\"}")).isEqualTo(1.0);

                    // Reports stored grows while the agent reports, as Prometheus sees it.
                    double first = await(WAIT, "reports stored to be scraped", () -> {
                        Double stored = valueOrNull(api, "steward_ingest_reports_stored_total{job=\"steward\"}");
                        return stored != null && stored > 0 ? stored : null;
                    });
                    await(WAIT, "reports stored to grow past " + first, () -> {
                        Double stored = valueOrNull(api, "steward_ingest_reports_stored_total{job=\"steward\"}");
                        return stored != null && stored > first ? stored : null;
                    });
                    assertThat(value(api, "steward_ingest_ack_seconds_count{job=\"steward\"}")).isPositive();
                    assertThat(value(api, "sum(jvm_memory_used_bytes{job=\"steward\"})")).isPositive();
                    assertThat(value(api, "steward_notification_outbox_messages{job=\"steward\",state=\"pending\"}"))
                            .isZero();

                    // The fleet's latest values, labelled by the server's id and the series' own label.
                    assertThat(await(WAIT, "the fleet's CPU to be scraped", () -> valueOrNull(api,
                            "steward_server_cpu_percent{job=\"steward\",server=\"" + serverId + "\"}")))
                            .isEqualTo(12.5);
                    assertThat(value(api, "steward_server_disk_percent{job=\"steward\",server=\"" + serverId
                            + "\",mount=\"/\"}")).isEqualTo(40.0);
                    assertThat(value(api, "steward_server_up{job=\"steward\",server=\"" + serverId + "\"}"))
                            .isEqualTo(1.0);
                    assertThat(value(api, "steward_server_info{job=\"steward\",hostname=\"web-1\"}"))
                            .isEqualTo(1.0);
                } finally {
                    prometheus.destroy();
                    if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                        prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                }
            }
        }
    }

    private Process startPrometheus(int nodePort, int prometheusPort, String token) throws IOException {
        Path config = prometheusDir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: steward
                    metrics_path: /metrics
                    authorization:
                      credentials: "%s"
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                  - job_name: anonymous
                    metrics_path: /metrics
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(token, nodePort, nodePort));
        return new ProcessBuilder(PROMETHEUS.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + prometheusDir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + prometheusPort,
                "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(prometheusDir.resolve("prometheus.log").toFile())
                .start();
    }

    /** The single value an instant query returns; fails when it returns none. */
    private double value(URI api, String query) {
        Double value = valueOrNull(api, query);
        assertThat(value).as("a value for " + query).isNotNull();
        return value;
    }

    private Double valueOrNull(URI api, String query) {
        JsonNode result = get(api.resolve("/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                .path("data").path("result");
        if (result.size() == 0) {
            return null;
        }
        assertThat(result.size()).as("series for " + query).isEqualTo(1);
        return Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    private JsonNode get(URI uri) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private int status(URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
