package io.steward.node.it;

import static io.steward.core.testing.Eventually.await;
import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.steward.agent.Agent;
import io.steward.agent.AgentSettings;
import io.steward.agent.checks.CheckOptions;
import io.steward.core.testing.FreePort;
import io.steward.node.StewardNode;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.HttpTarget;
import io.steward.node.testing.SteerableSource;
import io.steward.node.testing.TestNodes;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * URL checks end to end with real parts: a real node, a real agent probing real local HTTP servers over loopback, a
 * real SMTP server (GreenMail) receiving the alerts. Runs are triggered with "run now" rather than waited for.
 */
class ChecksIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Longer than the agent holds a result before sending it (about 1 s), so retried runs do not pile up. */
    private static final Duration RUN_SPACING = Duration.ofMillis(1_500);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    @TempDir
    Path nodeDir;
    @TempDir
    Path agentDir;

    private final List<HttpServer> servers = new java.util.ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(server -> server.stop(0));
    }

    private Config nodeConfig() {
        return ConfigFactory.parseString("steward.notify.retry-base = 200ms\nsteward.notify.poll-interval = 100ms")
                .withFallback(TestNodes.h2(nodeDir));
    }

    @Test
    void aStoppedSiteGoesDownAfterItsRetriesAlertsOnceResolvesAndSurvivesANodeRestart() throws Exception {
        int smtpPort = FreePort.find();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        int sitePort = FreePort.find();
        HttpServer site = site(sitePort);
        HttpServer quiet = site(0);
        try {
            String serverId;
            String siteCheck;
            String maintained;
            try (StewardNode node = StewardNode.start(nodeConfig()); Agent agent = agent(node)) {
                ApiClient api = admin(node);
                serverId = await(WAIT, "the agent to enroll", () -> agent.status().serverId());
                api.addMailChannel(smtpPort);

                // Bad input names the field and creates nothing.
                ApiClient.Response bad = api.post("/api/checks", """
                        {"name":"x","kind":"http","url":"ftp://example.org/","interval":"PT5S"}""");
                assertThat(bad.status()).isEqualTo(400);
                assertThat(bad.body().get("error").asText()).startsWith("url");
                assertThat(api.post("/api/checks", """
                        {"name":"x","kind":"http","url":"http://example.org/","interval":"PT5S"}""")
                        .body().get("error").asText()).startsWith("interval");
                assertThat(api.get("/api/checks").json().get("checks")).isEmpty();

                // Import from Gatus: a dry run shows what maps, then the same text creates it; nothing is lost.
                String gatus = """
                        endpoints:
                          - name: Imported site
                            group: Imported
                            url: "http://127.0.0.1:%d/health"
                            interval: 30s
                            conditions: ["[STATUS] == 200", "[BODY] == pat(*all ok*)"]
                          - name: Ping only
                            url: "icmp://127.0.0.1"
                            conditions: ["[CONNECTED] == true"]
                        """.formatted(sitePort);
                String importBody = JSON.writeValueAsString(java.util.Map.of("format", "gatus", "content", gatus,
                        "dryRun", true));
                JsonNode dry = api.post("/api/checks/import", importBody).json();
                assertThat(dry.get("created")).hasSize(1);
                assertThat(dry.get("skipped").get(0).get("name").asText()).isEqualTo("Ping only");
                assertThat(api.get("/api/checks").json().get("checks")).as("a dry run creates nothing").isEmpty();
                ApiClient.Response imported = api.post("/api/checks/import", importBody.replace("\"dryRun\":true",
                        "\"dryRun\":false"));
                assertThat(imported.status()).as(imported.raw().body()).isEqualTo(201);
                String importedId = imported.json().get("created").get(0).get("id").asText();
                assertThat(api.get("/api/checks/" + importedId).json().get("keyword").asText()).isEqualTo("all ok");
                assertThat(api.delete("/api/checks/" + importedId).status()).isEqualTo(200);
                assertThat(api.get("/api/checks/" + importedId).status()).isEqualTo(404);

                siteCheck = create(api, "Site", "http://127.0.0.1:" + sitePort + "/health", serverId,
                        "\"keyword\":\"all ok\"");
                String keyword = create(api, "Wrong keyword", "http://127.0.0.1:" + sitePort + "/health", serverId,
                        "\"keyword\":\"nowhere to be found\",\"retries\":0");
                String status = create(api, "Wrong status", "http://127.0.0.1:" + sitePort + "/health", serverId,
                        "\"expectStatus\":[204],\"retries\":0");
                maintained = create(api, "Maintained", "http://127.0.0.1:" + quiet.getAddress().getPort()
                        + "/health", serverId, "\"retries\":0");

                // A healthy site is up, with its latency and the vantage named.
                // The run at assignment usually answers; asking again keeps one lost result from costing the wait.
                JsonNode up = runUntil(api, siteCheck, "the site up", () -> state(api, siteCheck, "up"));
                assertThat(up.get("vantages").get(0).get("serverId").asText()).isEqualTo(serverId);
                assertThat(up.get("vantages").get(0).get("latencyMillis").asDouble()).isPositive();
                assertThat(up.get("vantageSelection").get("kind").asText()).isEqualTo("servers");

                // Keyword and status mismatches fail with their reason classified.
                JsonNode wrongKeyword = runUntil(api, keyword, "the keyword check down",
                        () -> state(api, keyword, "down"));
                assertThat(wrongKeyword.get("vantages").get(0).get("reason").asText()).isEqualTo("keyword");
                JsonNode wrongStatus = runUntil(api, status, "the status check down",
                        () -> state(api, status, "down"));
                assertThat(wrongStatus.get("vantages").get(0).get("reason").asText()).isEqualTo("status");
                JsonNode failures = api.get("/api/checks/" + status + "/results").json().get("failures");
                assertThat(failures.get(0).get("statusCode").asInt()).isEqualTo(200);
                assertThat(failures.get(0).get("excerpt").asText()).contains("all ok");

                // A maintenance window suppresses the alert and keeps the results.
                Instant now = Instant.now();
                assertThat(api.post("/api/maintenance", """
                        {"name":"Upgrade","window":{"kind":"once","start":"%s","end":"%s"},"checks":["%s"]}"""
                        .formatted(now.minusSeconds(60), now.plusSeconds(3600), maintained)).status()).isEqualTo(201);
                await(WAIT, "the quiet site in maintenance", () -> state(api, maintained, "maintenance"));
                quiet.stop(0);
                // Runs until a failure is seen: a run asked while the run at assignment still probes is skipped.
                runUntil(api, maintained, "a failure of the maintained site recorded",
                        () -> failures(api, maintained) > 0 ? true : null);
                eventually(WAIT, () -> assertThat(api.get("/api/checks/" + maintained).json()
                        .get("quorumState").asText()).isEqualTo("down"));

                // The site stops: down after its retries (1 retry: two failed attempts), one alert.
                site.stop(0);
                run(api, siteCheck);
                await(WAIT, "the first failure", () -> failures(api, siteCheck) >= 1 ? true : null);
                assertThat(api.get("/api/checks/" + siteCheck).json().get("state").asText())
                        .as("one failure is a retry, not an outage").isEqualTo("up");
                run(api, siteCheck);
                JsonNode down = await(WAIT, "the site down", () -> state(api, siteCheck, "down"));
                assertThat(down.get("vantages").get(0).get("reason").asText()).isEqualTo("connect-refused");
                eventually(WAIT, () -> assertThat(mails(smtp, "Site")).hasSize(1));
                assertThat(subject(mails(smtp, "Site").get(0))).contains("Check down");
                assertThat(mails(smtp, "Maintained")).as("suppressed by the maintenance window").isEmpty();

                // The check's alert is listed with the others and can be acknowledged like a server's.
                JsonNode alert = await(WAIT, "the alert listed", () -> {
                    for (JsonNode listed : api.get("/api/alerts").json()) {
                        if (listed.get("serverId").asText().equals("check:" + siteCheck)) {
                            return listed;
                        }
                    }
                    return null;
                });
                assertThat(alert.get("serverName").asText()).isEqualTo("Site");
                ApiClient.Response acked = api.post("/api/alerts/ack", """
                        {"serverId":"check:%s","key":"%s","comment":"on it"}"""
                        .formatted(siteCheck, alert.get("key").asText()));
                assertThat(acked.status()).as(acked.raw().body()).isEqualTo(200);
                assertThat(acked.json().get("acknowledged").get("by").asText()).isEqualTo("admin");

                // Back up: resolved, one more message.
                site = site(sitePort);
                run(api, siteCheck);
                await(WAIT, "the site up again", () -> state(api, siteCheck, "up"));
                eventually(WAIT, () -> assertThat(mails(smtp, "Site")).hasSize(2));

                // Down again before the restart: a second episode, a third message.
                int failedBefore = failures(api, siteCheck);
                site.stop(0);
                run(api, siteCheck);
                await(WAIT, "a failure after recovering", () -> failures(api, siteCheck) > failedBefore ? true
                        : null);
                run(api, siteCheck);
                await(WAIT, "the site down again", () -> state(api, siteCheck, "down"));
                eventually(WAIT, () -> assertThat(mails(smtp, "Site")).hasSize(3));
            }

            // The node restarts: the check is still down, its alert still firing, and nobody is told again.
            try (StewardNode node = StewardNode.start(nodeConfig()); Agent agent = agent(node)) {
                ApiClient api = admin(node);
                JsonNode after = api.get("/api/checks/" + siteCheck).json();
                assertThat(after.get("state").asText()).isEqualTo("down");
                await(WAIT, "the agent back", () -> agent.status().connected() ? true : null);
                int before = failures(api, siteCheck);
                runUntil(api, siteCheck, "a run after the restart",
                        () -> failures(api, siteCheck) > before ? true : null);
                assertThat(api.get("/api/checks/" + siteCheck).json().get("state").asText()).isEqualTo("down");
                assertThat(api.get("/api/alerts").json().toString()).contains("url.down{check=" + siteCheck + "}");
                // Recovering now sends "resolved": the notifier handles events in order, so a "firing" sent again
                // by the restart would have arrived before it.
                site = site(sitePort);
                // Runs until up: a run asked while the last one still probes is skipped by the agent.
                runUntil(api, siteCheck, "the site up after the restart", () -> state(api, siteCheck, "up"));
                eventually(WAIT, () -> assertThat(mails(smtp, "Site")).hasSize(4));
                assertThat(mails(smtp, "Site").stream().map(ChecksIT::subject).map(text -> text.contains("RESOLVED")
                        || text.toLowerCase(java.util.Locale.ROOT).contains("resolved") ? "resolved" : "firing"))
                        .containsExactly("firing", "resolved", "firing", "resolved");

                // Every check deleted: the agent is told to stop its checks, the last one's too.
                assertThat(agent.status().checks().assigned()).isEqualTo(4);
                for (JsonNode check : api.get("/api/checks").json().get("checks")) {
                    assertThat(api.delete("/api/checks/" + check.get("id").asText()).status()).isEqualTo(200);
                }
                eventually(WAIT, () -> assertThat(agent.status().checks().assigned()).isZero());
            }
        } finally {
            smtp.stop();
        }
    }

    private Agent agent(StewardNode node) {
        return Agent.start(AgentSettings.builder()
                .hub(URI.create("ws://127.0.0.1:" + node.httpPort() + "/ws/agent"))
                .token(tokenFor(node))
                .interval(Duration.ofSeconds(1))
                .stateDirectory(agentDir)
                .checks(CheckOptions.DEFAULT.withMaxStartJitter(Duration.ZERO))
                .build(), new SteerableSource("vantage-1", 1000, 10));
    }

    private static String tokenFor(StewardNode node) {
        ApiClient api = new ApiClient(node.httpPort());
        api.loginAsAdmin();
        return api.enrollmentToken();
    }

    private static ApiClient admin(StewardNode node) {
        ApiClient api = new ApiClient(node.httpPort());
        api.loginAsAdmin();
        return api;
    }

    /**
     * A check that runs once when assigned, then only when the test says (its interval is the longest allowed): a
     * scheduled run between a "run now" and its result would count as a second failure and turn "one failure is a
     * retry" into an outage.
     */
    private static String create(ApiClient api, String name, String url, String serverId, String extra) {
        ApiClient.Response created = api.post("/api/checks", """
                {"name":"%s","kind":"http","url":"%s","interval":"PT1H","retries":1,"timeout":"PT2S",
                 "vantages":{"kind":"servers","values":["%s"]},"group":"Public",%s}"""
                .formatted(name, url, serverId, extra));
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private static JsonNode state(ApiClient api, String id, String state) {
        JsonNode check = api.get("/api/checks/" + id).json();
        return check.get("state").asText().equals(state) ? check : null;
    }

    private static void run(ApiClient api, String id) {
        ApiClient.Response ran = askToRun(api, id);
        assertThat(ran.status()).as(ran.raw().body()).isEqualTo(202);
    }

    /** POST /api/checks/{id}/run: the vantages of {@code id} asked to run it now. */
    private static ApiClient.Response askToRun(ApiClient api, String id) {
        return api.post("/api/checks/" + id + "/run", "{}");
    }

    /**
     * Asks for runs of {@code id} until {@code value} is found: one now, then one every {@link #RUN_SPACING} (the
     * agent holds a result about a second before sending it). A refused ask is asked again, not a failure.
     */
    private static <T> T runUntil(ApiClient api, String id, String what, Supplier<T> value) {
        long[] nextRun = {System.nanoTime()};
        return await(WAIT, what, () -> {
            if (System.nanoTime() - nextRun[0] >= 0) {
                askToRun(api, id);
                nextRun[0] = System.nanoTime() + RUN_SPACING.toNanos();
            }
            return value.get();
        });
    }

    private static int failures(ApiClient api, String id) {
        return api.get("/api/checks/" + id + "/results?from=" + Instant.now().minusSeconds(3600)).json()
                .get("failures").size();
    }

    private static List<MimeMessage> mails(GreenMail smtp, String check) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(message -> subject(message).contains(check))
                .toList();
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpServer site(int port) throws IOException {
        HttpServer server = HttpTarget.start(port, "all ok");
        servers.add(server);
        return server;
    }
}
