package io.steward.node.it;

import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.protocol.ProtocolVersion;
import io.steward.core.protocol.WireFormat;
import io.steward.core.testing.Reports;
import io.steward.node.StewardNode;
import io.steward.node.metrics.RetentionJob;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.RawAgentSocket;
import io.steward.node.testing.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runtime settings against a real node on H2: the config file's values and where each comes from; validation that
 * names every bad field and stores nothing; changes that apply without a restart (a new connection's welcome suggests
 * the new interval, an entity calls a silent server offline by the new threshold, the retention job keeps each tier
 * by the new retention); every change in the audit log; storage per tier; purge preview against what a purge deletes.
 */
class SettingsIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path nodeDir;

    @Test
    void settingsAreValidatedStoredAuditedAndAppliedWithoutARestart() throws Exception {
        // The config file says 50 missed reports (a silent 1 s agent would be offline only after 50 s) and 30 days of
        // raw data; the agent interval is left at its built-in default.
        Config config = ConfigFactory.parseString("""
                steward.server.offline-after-missed-reports = 50
                steward.store.retention.raw = 30d
                """).withFallback(TestNodes.h2(nodeDir)).resolve();
        try (StewardNode node = StewardNode.start(config)) {
            ApiClient api = new ApiClient(node.httpPort());
            api.loginAsAdmin();

            Map<String, JsonNode> settings = settings(api.get("/api/settings").json());
            assertThat(settings.keySet()).containsExactly("offlineAfterMissedReports", "agentInterval", "publicUrl",
                    "retentionRaw", "retentionOneMinute", "retentionOneHour");
            assertSetting(settings.get("offlineAfterMissedReports"), "50", "config", "50");
            assertThat(settings.get("offlineAfterMissedReports").get("min").asText()).isEqualTo("1");
            assertThat(settings.get("offlineAfterMissedReports").get("max").asText()).isEqualTo("100");
            assertSetting(settings.get("agentInterval"), "5s", "default", "5s");
            assertSetting(settings.get("retentionRaw"), "30d", "config", "30d");
            assertSetting(settings.get("retentionOneHour"), "730d", "default", "730d");
            assertThat(settings.get("publicUrl").get("configKey").asText()).isEqualTo("steward.http.public-url");

            // Every bad field is named; nothing is stored when any field is bad.
            ApiClient.Response bad = api.put("/api/settings", """
                    {"offlineAfterMissedReports": 0, "agentInterval": "2m", "retentionRaw": "2d", "colour": "blue"}""");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body().get("code").asText()).isEqualTo("invalid");
            assertThat(fieldNames(bad.body().get("fields")))
                    .containsExactlyInAnyOrder("offlineAfterMissedReports", "agentInterval", "colour");
            assertThat(bad.body().get("error").asText()).contains("offlineAfterMissedReports: must be from 1 to 100");
            ApiClient.Response shrinking = api.put("/api/settings", "{\"retentionOneMinute\": \"1d\"}");
            assertThat(shrinking.status()).isEqualTo(400);
            assertThat(fieldNames(shrinking.body().get("fields"))).containsExactly("retentionOneMinute");
            assertThat(api.put("/api/settings", "[1]").status()).isEqualTo(400);
            assertSetting(settings(api.get("/api/settings").json()).get("retentionRaw"), "30d", "config", "30d");
            assertThat(auditOf(api, "setting.changed")).isEmpty();

            // Before the change, a new connection hears the configured interval.
            String token = api.post("/api/enrollment-tokens", "{\"maxUses\": 5}").json().get("token").asText();
            try (RawAgentSocket before = new RawAgentSocket(node.httpPort())) {
                before.send(hello(token, "before-change", "machine-before"));
                assertThat(welcome(before).suggestedIntervalMillis()).isEqualTo(5_000);
            }

            Map<String, JsonNode> changed = settings(api.put("/api/settings", """
                    {"offlineAfterMissedReports": 2, "agentInterval": "2s", "retentionRaw": "2d",
                     "retentionOneMinute": "5d"}""").json());
            assertSetting(changed.get("offlineAfterMissedReports"), "2", "database", "50");
            assertSetting(changed.get("agentInterval"), "2s", "database", "5s");
            assertSetting(changed.get("retentionRaw"), "2d", "database", "30d");
            assertSetting(changed.get("retentionOneHour"), "730d", "default", "730d");
            assertThat(auditOf(api, "setting.changed")).containsExactlyInAnyOrder(
                    "offlineAfterMissedReports: 50 → 2 (config file: 50)",
                    "agentInterval: 5s → 2s (config file: 5s)",
                    "retentionRaw: 30d → 2d (config file: 30d)",
                    "retentionOneMinute: 90d → 5d (config file: 90d)");

            // A new connection's welcome suggests the new interval.
            try (RawAgentSocket agent = new RawAgentSocket(node.httpPort())) {
                agent.send(hello(token, "after-change", "machine-after"));
                NodeMessage.Welcome welcome = welcome(agent);
                assertThat(welcome.suggestedIntervalMillis()).isEqualTo(2_000);

                // Old data for the retention and purge checks: 40 and 10 days old, and one report now (every 2 s:
                // online for 4 s, long enough to be seen on a loaded machine).
                Instant now = Instant.now();
                send(agent, 1, Reports.report("after-change", now.minus(Duration.ofDays(40)), 10, 1_000));
                send(agent, 2, Reports.report("after-change", now.minus(Duration.ofDays(10)), 20, 1_000));
                send(agent, 3, Reports.report("after-change", now, 30, 2_000));
                String serverId = welcome.serverId();
                eventually(WAIT, () -> assertThat(api.get("/api/servers/" + serverId).json().get("online")
                        .asBoolean()).isTrue());
                // The agent falls silent, its connection open: 2 missed 2 s reports, not the config file's 50.
                eventually(WAIT, () -> assertThat(api.get("/api/servers/" + serverId).json().get("online")
                        .asBoolean()).isFalse());

                node.metrics().rollUpNow().toCompletableFuture().join();
                assertThat(node.metrics().rollUpNow().toCompletableFuture().join()).isNotNull();

                // Purge: the preview counts what the purge then deletes, per tier; afterwards nothing is left.
                JsonNode preview = api.post("/api/settings/purge", "{\"olderThan\": \"20d\", \"dryRun\": true}")
                        .json();
                assertThat(preview.get("dryRun").asBoolean()).isTrue();
                Map<String, Long> previewRows = tierRows(preview);
                assertThat(previewRows.get("raw")).isEqualTo(1);
                assertThat(previewRows.get("one-minute")).isEqualTo(previewRows.get("one-hour")).isPositive();
                // Without dryRun it is still a preview: only an explicit false deletes.
                assertThat(api.post("/api/settings/purge", "{\"olderThan\": \"20d\"}").json().get("dryRun")
                        .asBoolean()).isTrue();
                JsonNode purged = api.post("/api/settings/purge", "{\"olderThan\": \"20d\", \"dryRun\": false}")
                        .json();
                assertThat(purged.get("dryRun").asBoolean()).isFalse();
                assertThat(tierRows(purged)).isEqualTo(previewRows);
                assertThat(purged.get("totalRows").asLong()).isEqualTo(preview.get("totalRows").asLong());
                assertThat(api.post("/api/settings/purge", "{\"olderThan\": \"20d\", \"dryRun\": true}").json()
                        .get("totalRows").asLong()).isZero();
                assertThat(auditOf(api, "data.purged")).singleElement().asString()
                        .contains("metrics: older than", "(20d): 1 raw");
                assertThat(api.post("/api/settings/purge", "{\"olderThan\": \"10m\", \"dryRun\": true}").body()
                        .get("error").asText()).contains("olderThan: must be at least 1h ago");
                assertThat(api.post("/api/settings/purge", "{\"olderThan\": \"soon\"}").status()).isEqualTo(400);

                // Retention runs by the retention in force: the 10-day-old raw row (the config file keeps 30 days)
                // and its 1-minute rollups (5 days now; 90 in the file) go; the 1-hour tier keeps its 730 days.
                RetentionJob.Result retention = node.metrics().applyRetentionNow(Instant.now())
                        .toCompletableFuture().join();
                assertThat(retention.rawRows()).isEqualTo(1);
                assertThat(retention.minuteRows()).isEqualTo(previewRows.get("one-minute"));
                assertThat(retention.hourRows()).isZero();

                // Storage per tier, with how it was measured.
                JsonNode storage = api.get("/api/settings/storage").json();
                assertThat(storage.get("method").asText()).startsWith("H2");
                Map<String, Long> rows = tierRows(storage);
                assertThat(rows).containsOnlyKeys("raw", "one-minute", "one-hour");
                assertThat(rows.get("raw")).isEqualTo(1); // the report of now
                assertThat(storage.get("totalBytes").asLong()).isPositive();
            }

            // null resets to the config file.
            assertSetting(settings(api.put("/api/settings", "{\"offlineAfterMissedReports\": null}").json())
                    .get("offlineAfterMissedReports"), "50", "config", "50");
            assertThat(auditOf(api, "setting.changed"))
                    .contains("offlineAfterMissedReports: 2 → 50 (override removed: the config file's value)");
        }
    }

    private static String hello(String token, String hostname, String machineId) {
        return WireFormat.encode(new AgentMessage.Hello(ProtocolVersion.CURRENT, "test", token, hostname, machineId));
    }

    private static NodeMessage.Welcome welcome(RawAgentSocket socket) {
        NodeMessage message = socket.next();
        assertThat(message).as("expected a welcome, got %s", message).isInstanceOf(NodeMessage.Welcome.class);
        return (NodeMessage.Welcome) message;
    }

    private static void send(RawAgentSocket socket, long sequence, io.steward.core.protocol.MetricsReport report) {
        socket.send(WireFormat.encode(new AgentMessage.Report(sequence, report)));
        assertThat(socket.next()).isEqualTo(new NodeMessage.Ack(sequence));
    }

    static Map<String, JsonNode> settings(JsonNode body) {
        Map<String, JsonNode> byKey = new java.util.LinkedHashMap<>();
        body.get("settings").forEach(setting -> byKey.put(setting.get("key").asText(), setting));
        return byKey;
    }

    static void assertSetting(JsonNode setting, String value, String source, String configValue) {
        assertThat(setting.get("value").asText()).as(setting.toString()).isEqualTo(value);
        assertThat(setting.get("source").asText()).as(setting.toString()).isEqualTo(source);
        assertThat(setting.get("configValue").asText()).as(setting.toString()).isEqualTo(configValue);
    }

    private static List<String> fieldNames(JsonNode fields) {
        List<String> names = new ArrayList<>();
        fields.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Map<String, Long> tierRows(JsonNode body) {
        Map<String, Long> rows = new HashMap<>();
        body.get("tiers").forEach(tier -> rows.put(tier.get("tier").asText(), tier.get("rows").asLong()));
        return rows;
    }

    /** "target: detail" of every audit entry with {@code action}. */
    private static List<String> auditOf(ApiClient api, String action) {
        List<String> entries = new ArrayList<>();
        api.get("/api/audit").json().forEach(entry -> {
            if (entry.get("action").asText().equals(action)) {
                entries.add(entry.get("target").asText() + ": " + entry.get("detail").asText());
            }
        });
        return entries;
    }
}
