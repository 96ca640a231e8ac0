package io.steward.node.it;

import static io.steward.core.testing.Eventually.await;
import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.steward.agent.Agent;
import io.steward.agent.AgentSettings;
import io.steward.core.testing.FreePort;
import io.steward.node.StewardNode;
import io.steward.node.notify.ChannelSenders;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.PostgresServer;
import io.steward.node.testing.RecordingHttpServer;
import io.steward.node.testing.SteerableSource;
import io.steward.node.testing.TestNodes;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alert notifications end to end with real parts: a real node, a real agent whose CPU the test steers, a real SMTP
 * server (GreenMail) and a local HTTP server standing in for Telegram, Slack, Discord and webhook receivers.
 */
class NotificationsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path nodeDir;
    @TempDir
    Path agentDir;

    private Config nodeConfig() {
        // Fast retries so "500 three times, then 200" takes a second, not minutes.
        return ConfigFactory.parseString("steward.notify.retry-base = 200ms\nsteward.notify.poll-interval = 100ms\nsteward.notify.send-timeout = 2s")
                .withFallback(TestNodes.h2(nodeDir));
    }

    @Test
    void everyChannelGetsOneFiringAndOneResolvedMessageAndFlakyReceiversGetItExactlyOnce() throws Exception {
        int smtpPort = FreePort.find();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try (RecordingHttpServer receivers = new RecordingHttpServer();
                StewardNode node = StewardNode.start(nodeConfig())) {
            ApiClient api = new ApiClient(node.httpPort());
            api.loginAsAdmin();

            // Bad channels are refused with the reason and nothing is stored.
            assertThat(api.post("/api/channels", """
                    {"name":"no recipients","type":"email","settings":{"host":"127.0.0.1","port":25,
                     "security":"none","from":"steward@example.org"}}""").body().get("error").asText())
                    .contains("settings.to");
            assertThat(api.post("/api/channels", """
                    {"name":"ftp","type":"webhook","settings":{"url":"ftp://example.org/x"}}""")
                    .body().get("error").asText()).contains("http");
            assertThat(api.post("/api/channels", "{\"name\":\"x\",\"type\":\"pager\"}").status()).isEqualTo(400);
            assertThat(api.get("/api/channels").json()).isEmpty();

            String email = api.addMailChannel(smtpPort);
            create(api, """
                    {"name":"Telegram","type":"telegram","settings":{"chatId":"4242","apiBase":"%s"},
                     "secrets":{"botToken":"123456:SECRET-TOKEN"}}""".formatted(receivers.url("/tg")));
            create(api, """
                    {"name":"Slack","type":"slack","secrets":{"webhookUrl":"%s"}}""".formatted(receivers.url("/slack")));
            create(api, """
                    {"name":"Discord","type":"discord","secrets":{"webhookUrl":"%s"}}"""
                    .formatted(receivers.url("/discord")));
            create(api, """
                    {"name":"Hook","type":"webhook","settings":{"url":"%s"},"secrets":{"hmacSecret":"hook-secret-0123456789"}}"""
                    .formatted(receivers.url("/hook")));
            String flaky = create(api, """
                    {"name":"Flaky","type":"webhook","settings":{"url":"%s"}}""".formatted(receivers.url("/flaky")));
            receivers.script("/flaky", 500, 500, 500);

            // Secrets never come back.
            String listed = api.get("/api/channels").raw().body();
            assertThat(listed).doesNotContain("SECRET-TOKEN").doesNotContain("hook-secret-0123456789").contains("\"secretsSet\"");
            // Updating without secrets keeps them; the test button uses them.
            String telegramId = channelId(api, "Telegram");
            assertThat(api.put("/api/channels/" + telegramId, """
                    {"name":"Telegram ops","type":"telegram","settings":{"chatId":"4242","apiBase":"%s"}}"""
                    .formatted(receivers.url("/tg"))).status()).isEqualTo(200);
            assertThat(api.post("/api/channels/" + telegramId + "/test", "{}").status()).isEqualTo(200);
            assertThat(receivers.requests("/tg/bot123456:SECRET-TOKEN/sendMessage")).hasSize(1);

            SteerableSource source = new SteerableSource("mail-1", 1000, 10);
            try (Agent agent = Agent.start(agentSettings(node, api), source)) {
                String serverId = await(WAIT, "the agent to enroll", () -> agent.status().serverId());
                // Messages name the server by its display name.
                assertThat(api.patch("/api/servers/" + serverId, "{\"displayName\":\"mail-1\"}").status())
                        .isEqualTo(200);
                api.post("/api/alert-rules", """
                        {"name":"CPU hot","metric":"cpu.percent","comparison":"above","threshold":50,
                         "recovery":40,"for":"PT0S","severity":"critical",
                         "scope":{"kind":"server","value":"%s"}}""".formatted(serverId)).json();

                source.cpu(75);
                eventually(WAIT, () -> assertThat(smtp.getReceivedMessages()).hasSize(1));
                MimeMessage fired = smtp.getReceivedMessages()[0];
                assertThat(fired.getSubject()).isEqualTo("[CRITICAL] CPU hot on mail-1");
                assertThat(fired.getAllRecipients()[0].toString()).isEqualTo("ops@example.org");
                String body = GreenMailUtil.getBody(fired);
                assertThat(body).contains("Server:    mail-1 (" + serverId + ")", "Condition: cpu.percent > 50",
                        "Value:     75", "/servers/" + serverId);

                String telegramPath = "/tg/bot123456:SECRET-TOKEN/sendMessage";
                eventually(WAIT, () -> {
                    assertThat(receivers.requests(telegramPath)).hasSize(2); // the test, then the alert
                    assertThat(receivers.requests("/slack")).hasSize(1);
                    assertThat(receivers.requests("/discord")).hasSize(1);
                    assertThat(receivers.requests("/hook")).hasSize(1);
                    assertThat(receivers.requests("/flaky")).hasSize(4); // 500, 500, 500, 200
                });
                JsonNode telegram = JSON.readTree(receivers.requests(telegramPath).get(1).body());
                assertThat(telegram.get("chat_id").asText()).isEqualTo("4242");
                assertThat(telegram.get("text").asText()).startsWith("[CRITICAL] CPU hot on mail-1");
                assertThat(JSON.readTree(receivers.requests("/slack").get(0).body()).get("text").asText())
                        .contains("CPU hot on mail-1");
                assertThat(JSON.readTree(receivers.requests("/discord").get(0).body()).get("content").asText())
                        .contains("CPU hot on mail-1");
                RecordingHttpServer.Request hook = receivers.requests("/hook").get(0);
                // Signed as "t=<unix seconds>,v1=<HMAC-SHA256 of t.body>" (the timestamp defeats replays).
                String signature = hook.header(ChannelSenders.SIGNATURE_HEADER);
                String t = signature.replaceAll("^t=(\\d+),v1=[0-9a-f]{64}$", "$1");
                assertThat(signature).isEqualTo("t=" + t + ",v1=" + ChannelSenders.hmacSha256Hex(
                        "hook-secret-0123456789", (t + "." + new String(hook.body(), StandardCharsets.UTF_8))
                                .getBytes(StandardCharsets.UTF_8)));
                JsonNode payload = JSON.readTree(hook.body());
                assertThat(payload.get("kind").asText()).isEqualTo("firing");
                assertThat(payload.get("serverId").asText()).isEqualTo(serverId);
                assertThat(payload.get("value").asDouble()).isEqualTo(75.0);
                assertThat(receivers.requests("/flaky").stream().map(r -> r.header(ChannelSenders.DELIVERY_HEADER))
                        .distinct()).hasSize(1); // every retry carries the same delivery id

                // The flaky channel's row: delivered on the 4th attempt, each attempt logged.
                JsonNode flakyRow = api.get("/api/notifications?channel=" + flaky).json().get(0);
                eventually(WAIT, () -> assertThat(api.get("/api/notifications?channel=" + flaky).json().get(0)
                        .get("state").asText()).isEqualTo("delivered"));
                JsonNode attempts = api.get("/api/notifications/" + flakyRow.get("id").asLong() + "/attempts").json();
                assertThat(attempts).hasSize(4);
                assertThat(attempts.get(0).get("ok").asBoolean()).isFalse();
                assertThat(attempts.get(0).get("error").asText()).contains("HTTP 500");
                assertThat(attempts.get(3).get("ok").asBoolean()).isTrue();

                // Active alert visible, acknowledged through the API, recorded in the server's history.
                JsonNode active = await(WAIT, "the alert in /api/alerts", () -> {
                    JsonNode list = api.get("/api/alerts").json();
                    return list.size() == 1 && list.get(0).get("phase").asText().equals("firing") ? list.get(0) : null;
                });
                assertThat(active.get("serverName").asText()).isEqualTo("mail-1");
                ApiClient.Response acked = api.post("/api/alerts/ack", JSON.createObjectNode()
                        .put("serverId", serverId).put("key", active.get("key").asText())
                        .put("comment", "looking into it").toString());
                assertThat(acked.status()).isEqualTo(200);
                assertThat(acked.json().get("acknowledged").get("by").asText()).isEqualTo("admin");
                eventually(WAIT, () -> assertThat(api.get("/api/alerts").json().get(0).get("acknowledged")
                        .get("comment").asText()).isEqualTo("looking into it"));
                assertThat(eventTypes(api, serverId)).contains("alert-fired", "alert-acknowledged");
                assertThat(api.post("/api/alerts/ack", "{\"serverId\":\"" + serverId + "\",\"key\":\"nope\"}")
                        .status()).isEqualTo(404);

                // More reports above the line: still one message everywhere.
                long seen = agent.status().lastAckedSequence();
                eventually(WAIT, () -> assertThat(agent.status().lastAckedSequence()).isGreaterThan(seen + 2));
                assertThat(smtp.getReceivedMessages()).hasSize(1);
                assertThat(receivers.requests("/hook")).hasSize(1);

                source.cpu(20);
                eventually(WAIT, () -> assertThat(smtp.getReceivedMessages()).hasSize(2));
                MimeMessage resolved = smtp.getReceivedMessages()[1];
                assertThat(resolved.getSubject()).isEqualTo("[RESOLVED] CPU hot on mail-1");
                assertThat(GreenMailUtil.getBody(resolved)).contains("Value now: 20", "Why:       recovered");
                eventually(WAIT, () -> {
                    assertThat(receivers.requests("/hook")).hasSize(2);
                    assertThat(receivers.requests("/flaky")).hasSize(5);
                    assertThat(receivers.requests("/slack")).hasSize(2);
                });
                assertThat(JSON.readTree(receivers.requests("/hook").get(1).body()).get("kind").asText())
                        .isEqualTo("resolved");
                JsonNode history = await(WAIT, "the resolved episode", () -> {
                    JsonNode list = api.get("/api/alerts/history?server=" + serverId).json();
                    return list.size() == 1 && !list.get(0).get("resolvedAt").isNull() ? list.get(0) : null;
                });
                assertThat(history.get("resolveReason").asText()).isEqualTo("recovered");
                assertThat(history.get("acknowledgedBy").asText()).isEqualTo("admin");
                assertThat(api.get("/api/alerts").json()).isEmpty();

                // The bell: firing and resolved lines, unread until read.
                JsonNode inbox = api.get("/api/inbox").json();
                assertThat(inbox.get("unread").asInt()).isGreaterThanOrEqualTo(2);
                // ...and the flaky channel's three failures in a row raised a warning there too.
                assertThat(kinds(inbox.get("items"))).contains("firing", "resolved", "channel-failing");
                assertThat(inbox.toString()).contains("Channel \\\"Flaky\\\" failed 3 times in a row");
                long newest = inbox.get("items").get(0).get("id").asLong();
                assertThat(api.post("/api/inbox/read", "{\"upTo\":" + newest + "}").json().get("unread").asInt())
                        .isZero();

                // A silenced server fires (visible) but nobody is messaged.
                ApiClient.Response silence = api.post("/api/silences", """
                        {"serverId":"%s","minutes":60,"comment":"maintenance"}""".formatted(serverId));
                assertThat(silence.status()).isEqualTo(201);
                assertThat(api.post("/api/silences", "{\"minutes\":60}").status()).isEqualTo(400);
                source.cpu(90);
                await(WAIT, "the silenced alert to fire", () -> {
                    JsonNode list = api.get("/api/alerts").json();
                    return list.size() == 1 && list.get(0).get("phase").asText().equals("firing")
                            && !list.get(0).get("silencedUntil").isNull() ? list : null;
                });
                assertThat(smtp.getReceivedMessages()).hasSize(2);
                assertThat(api.get("/api/notifications?channel=" + email).json()).hasSize(2);
                assertThat(eventTypes(api, serverId)).contains("silenced");
            }
        } finally {
            smtp.stop();
        }
    }

    @Test
    void aNodeRestartBetweenFiringAndDeliveryStillDeliversExactlyOnce() throws Exception {
        restartBetweenFiringAndDelivery(this::nodeConfig);
    }

    @Test
    void onPostgresToo() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            String url = postgres.jdbcUrl(postgres.createDatabase());
            restartBetweenFiringAndDelivery(() -> ConfigFactory.parseString(
                            "steward.notify.retry-base = 200ms\nsteward.notify.poll-interval = 100ms\nsteward.notify.send-timeout = 2s")
                    .withFallback(TestNodes.postgres(nodeDir, url, postgres.user(), postgres.password())));
        }
    }

    private void restartBetweenFiringAndDelivery(java.util.function.Supplier<Config> config) throws Exception {
        int smtpPort = FreePort.find(); // nothing listens yet: the first attempts fail
        String serverId;
        SteerableSource source = new SteerableSource("restart-1", 1000, 80);
        try (StewardNode node = StewardNode.start(config.get())) {
            ApiClient api = new ApiClient(node.httpPort());
            api.loginAsAdmin();
            String channel = api.addMailChannel(smtpPort);
            try (Agent agent = Agent.start(agentSettings(node, api), source)) {
                serverId = await(WAIT, "the agent to enroll", () -> agent.status().serverId());
                api.patch("/api/servers/" + serverId, "{\"displayName\":\"restart-1\"}");
                api.post("/api/alert-rules", """
                        {"name":"CPU hot","metric":"cpu.percent","comparison":"above","threshold":50,
                         "for":"PT0S","severity":"critical","scope":{"kind":"server","value":"%s"}}"""
                        .formatted(serverId));
                await(WAIT, "a failed attempt", () -> {
                    JsonNode rows = api.get("/api/notifications?channel=" + channel).json();
                    return rows.size() == 1 && rows.get(0).get("attempts").asInt() >= 1
                            && rows.get(0).get("state").asText().equals("pending") ? rows : null;
                });
                assertThat(api.get("/api/notifications?channel=" + channel).json().get(0).get("lastError").asText())
                        .contains("SMTP 127.0.0.1");
            }
        }
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try (StewardNode node = StewardNode.start(config.get())) {
            ApiClient api = new ApiClient(node.httpPort());
            api.loginAsAdmin();
            eventually(WAIT, () -> assertThat(smtp.getReceivedMessages()).hasSize(1));
            assertThat(smtp.getReceivedMessages()[0].getSubject()).isEqualTo("[CRITICAL] CPU hot on restart-1");
            // The agent comes back still above the line: the alert is still firing, nothing is sent again.
            try (Agent agent = Agent.start(agentSettings(node, null), source)) {
                long seen = await(WAIT, "the agent to reconnect", () -> agent.status().lastAckedSequence() > 0
                        ? agent.status().lastAckedSequence() : null);
                eventually(WAIT, () -> assertThat(agent.status().lastAckedSequence()).isGreaterThan(seen + 2));
            }
            JsonNode rows = api.get("/api/notifications").json();
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).get("state").asText()).isEqualTo("delivered");
            assertThat(smtp.getReceivedMessages()).hasSize(1);
            assertThat(api.get("/api/servers/" + serverId).json().get("criticalAlerts").asInt()).isEqualTo(1);
        } finally {
            smtp.stop();
        }
    }

    private AgentSettings agentSettings(StewardNode node, ApiClient api) {
        AgentSettings.Builder builder = AgentSettings.builder()
                .hub(URI.create("ws://127.0.0.1:" + node.httpPort() + "/ws/agent"))
                .interval(Duration.ofSeconds(1))
                .stateDirectory(agentDir);
        if (api != null) {
            builder.token(api.enrollmentToken());
        }
        return builder.build();
    }

    private static String create(ApiClient api, String json) {
        ApiClient.Response response = api.post("/api/channels", json);
        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
        return response.json().get("id").asText();
    }

    private static String channelId(ApiClient api, String name) {
        for (JsonNode channel : api.get("/api/channels").json()) {
            if (channel.get("name").asText().equals(name)) {
                return channel.get("id").asText();
            }
        }
        throw new AssertionError("no channel " + name);
    }

    private static List<String> kinds(JsonNode items) {
        List<String> kinds = new ArrayList<>();
        items.forEach(item -> kinds.add(item.get("kind").asText()));
        return kinds;
    }

    private static List<String> eventTypes(ApiClient api, String serverId) {
        List<String> types = new ArrayList<>();
        api.get("/api/servers/" + serverId + "/events?limit=200").json().get("events")
                .forEach(event -> types.add(event.get("type").asText()));
        return types;
    }
}
