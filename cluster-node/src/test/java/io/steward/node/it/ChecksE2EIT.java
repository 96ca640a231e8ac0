package io.steward.node.it;

import static io.steward.core.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.steward.agent.Agent;
import io.steward.agent.AgentSettings;
import io.steward.agent.checks.CheckOptions;
import io.steward.node.StewardNode;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.BrowserScript;
import io.steward.node.testing.SteerableSource;
import io.steward.node.testing.TestNodes;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks pages in a real headless Chromium ({@code frontend/e2e/checks-e2e.mjs}) against a real node and agent
 * probing a real local HTTP server: a check made in the form goes up with its latency drawn, and down when the
 * target stops.
 */
class ChecksE2EIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path nodeDir;
    @TempDir
    Path agentDir;

    @Test
    void aCheckMadeInTheBrowserGoesUpWithItsLatencyDrawnAndDownWhenTheTargetStops() throws Exception {
        BrowserScript browser = BrowserScript.of("checks-e2e.mjs", "checks-e2e-screenshots");
        HttpServer site = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        site.createContext("/health", exchange -> {
            byte[] body = "all ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        site.createContext("/stop", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            new Thread(() -> site.stop(0), "stop-target").start();
        });
        site.start();
        try (StewardNode node = StewardNode.start(TestNodes.h2(nodeDir))) {
            ApiClient api = new ApiClient(node.httpPort());
            api.loginAsAdmin();
            try (Agent agent = Agent.start(AgentSettings.builder()
                    .hub(URI.create("ws://127.0.0.1:" + node.httpPort() + "/ws/agent"))
                    .token(api.enrollmentToken())
                    .interval(Duration.ofSeconds(1))
                    .stateDirectory(agentDir)
                    .checks(CheckOptions.DEFAULT.withMaxStartJitter(Duration.ZERO))
                    .build(), new SteerableSource("e2e-vantage", 1000, 10))) {
                String serverId = await(WAIT, "the agent to enroll", () -> agent.status().serverId());
                String output = browser.run(node.httpPort(), Map.of(
                        "STEWARD_SERVER_ID", serverId,
                        "STEWARD_SITE_URL", "http://127.0.0.1:" + site.getAddress().getPort()));
                System.out.println(output);
                Matcher check = Pattern.compile("CHECK (\\S+)").matcher(output);
                assertThat(check.find()).as(output).isTrue();
                assertThat(output).contains("STEP target-stopped-down ok");
                // What the browser showed is what the node holds.
                assertThat(api.get("/api/checks/" + check.group(1)).json().get("state").asText()).isEqualTo("down");
                assertThat(browser.screenshots().resolve("check-up.png")).exists();
            }
        } finally {
            site.stop(0);
        }
    }
}
