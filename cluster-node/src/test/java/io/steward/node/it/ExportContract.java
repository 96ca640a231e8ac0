package io.steward.node.it;

import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.NodeMessage;
import io.steward.core.protocol.ProtocolVersion;
import io.steward.core.protocol.WireFormat;
import io.steward.core.testing.Reports;
import io.steward.node.StewardNode;
import io.steward.node.metrics.WriteOutcome;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.RawAgentSocket;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The export endpoints on a real node and database (H2 and PostgreSQL subclasses): reports stored through the
 * metric store's own writer, then downloaded as CSV and JSON over real HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ExportContract {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Stored reports, one a second from {@link #start}, CPU percent = the report's number. */
    private static final int REPORTS = 600;
    /** Reports ten a second an hour after {@link #start}: 260,000 rows, too many for socket buffers to hide. */
    private static final int MANY_REPORTS = 20_000;
    private static final String CRLF = "\r\n";

    protected StewardNode node;
    private ApiClient api;
    private String serverId;
    /** Two hours before the current hour: every stored report falls into one hourly bucket and raw retention. */
    private Instant start;
    /** When the one report sent over the agent socket was collected. */
    private Instant liveAt;

    protected abstract StewardNode startNode() throws Exception;

    @BeforeAll
    void storeReports() throws Exception {
        node = startNode();
        api = new ApiClient(node.httpPort());
        api.loginAsAdmin();
        try (RawAgentSocket socket = new RawAgentSocket(node.httpPort())) {
            socket.send(WireFormat.encode(new AgentMessage.Hello(ProtocolVersion.CURRENT, "test",
                    api.enrollmentToken(), "exporter", "machine-exporter")));
            serverId = ((NodeMessage.Welcome) socket.next()).serverId();
            liveAt = Instant.now();
            socket.send(WireFormat.encode(new AgentMessage.Report(1, report(liveAt, 1).build())));
            assertThat(socket.next()).isEqualTo(new NodeMessage.Ack(1));
        }
        start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));
        List<CompletableFuture<WriteOutcome>> writes = new ArrayList<>();
        for (int i = 0; i < REPORTS; i++) {
            writes.add(node.metrics().write(serverId, 2 + i, report(start.plusSeconds(i), i).build())
                    .toCompletableFuture());
        }
        Instant many = start.plus(Duration.ofHours(1));
        for (int i = 0; i < MANY_REPORTS; i++) {
            writes.add(node.metrics().write(serverId, 2 + REPORTS + i, report(many.plusMillis(100L * i), i).build())
                    .toCompletableFuture());
            if (writes.size() >= 5_000) {
                CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                writes.clear();
            }
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(node.metrics().countReports(serverId).toCompletableFuture().get())
                .isEqualTo(1L + REPORTS + MANY_REPORTS);
        node.metrics().rollUpNow().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static Reports.Builder report(Instant at, double cpu) {
        return Reports.at(at).cpu(cpu).intervalMillis(1_000).withoutDevices();
    }

    @AfterAll
    void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    private String export(String query) {
        return "/api/servers/" + serverId + "/export?" + query;
    }

    private String range(Instant from, Instant to) {
        return "from=" + from + "&to=" + to;
    }

    private static List<String> lines(ApiClient.Response response) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        assertThat(response.raw().body()).endsWith(CRLF);
        return List.of(response.raw().body().split(CRLF));
    }

    @Test
    void oneSeriesIsACsvOfItsRawValuesInTimeOrderWithinTheRange() {
        ApiClient.Response response = api.get(export("format=csv&name=cpu.percent&"
                + range(start.plusSeconds(100), start.plusSeconds(199))));
        assertThat(response.raw().headers().firstValue("Content-Type")).hasValue("text/csv; charset=UTF-8");
        assertThat(response.raw().headers().firstValue("Content-Disposition").orElseThrow())
                .startsWith("attachment; filename=")
                .contains("steward-" + serverId + "-metrics-").endsWith(".csv\"");
        assertThat(response.raw().headers().firstValue("X-Steward-Resolution")).hasValue("raw");
        List<String> lines = lines(response);
        assertThat(lines.get(0)).isEqualTo("time,series,value");
        assertThat(lines).hasSize(1 + 100);
        assertThat(lines.get(1)).isEqualTo(start.plusSeconds(100) + ",cpu.percent,100");
        assertThat(lines.get(100)).isEqualTo(start.plusSeconds(199) + ",cpu.percent,199");
    }

    @Test
    void withoutANameEverySeriesIsExportedOrderedByTimeThenSeries() {
        List<String> lines = lines(api.get(export(range(start.plusSeconds(10), start.plusSeconds(12)))));
        assertThat(lines.get(0)).isEqualTo("time,series,value");
        assertThat(lines).hasSize(1 + 3 * Reports.SERIES_WITHOUT_DEVICES);
        List<String> first = lines.subList(1, 1 + Reports.SERIES_WITHOUT_DEVICES);
        assertThat(first).allSatisfy(line -> assertThat(line).startsWith(start.plusSeconds(10) + ","));
        List<String> names = first.stream().map(line -> line.split(",")[1]).toList();
        assertThat(names).isSorted().contains("cpu.percent", "memory.percent");
        assertThat(first).contains(start.plusSeconds(10) + ",memory.percent," + "37.5");
        assertThat(lines.get(lines.size() - 1)).startsWith(start.plusSeconds(12) + ",");
    }

    @Test
    void jsonHoldsTheSameRowsAsFields() throws Exception {
        ApiClient.Response response = api.get(export("format=json&name=cpu.percent&"
                + range(start, start.plusSeconds(REPORTS - 1))));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.raw().headers().firstValue("Content-Disposition").orElseThrow()).endsWith(".json\"");
        JsonNode body = MAPPER.readTree(response.raw().body());
        assertThat(body.get("server").asText()).isEqualTo(serverId);
        assertThat(body.get("series").asText()).isEqualTo("cpu.percent");
        assertThat(body.get("resolution").asText()).isEqualTo("raw");
        assertThat(body.get("rows")).hasSize(REPORTS);
        JsonNode last = body.get("rows").get(REPORTS - 1);
        assertThat(last.get("time").asText()).isEqualTo(start.plusSeconds(REPORTS - 1).toString());
        assertThat(last.get("series").asText()).isEqualTo("cpu.percent");
        assertThat(last.get("value").asDouble()).isEqualTo(REPORTS - 1);
    }

    @Test
    void aLongRangeComesFromTheTierTheChartsUse() {
        Instant now = Instant.now();
        String day = range(now.minus(Duration.ofDays(1)), now);
        ApiClient.Response minutes = api.get(export("name=cpu.percent&" + day));
        assertThat(minutes.raw().headers().firstValue("X-Steward-Resolution")).hasValue("1m");
        assertThat(api.get("/api/servers/" + serverId + "/metrics?name=cpu.percent&" + day).json()
                .get("resolution").asText()).isEqualTo("1m");
        List<String> minuteLines = lines(minutes);
        // Ten full minutes of reports, then the minutes of the many, then the minute of the live report.
        assertThat(minuteLines.get(1)).isEqualTo(start + ",cpu.percent,29.5");
        assertThat(minuteLines.get(10)).isEqualTo(start.plusSeconds(540) + ",cpu.percent,569.5");
        assertThat(minuteLines.get(11)).isEqualTo(start.plus(Duration.ofHours(1)) + ",cpu.percent,299.5");
        assertThat(minuteLines.get(minuteLines.size() - 1))
                .isEqualTo(liveAt.truncatedTo(ChronoUnit.MINUTES) + ",cpu.percent,1");

        String month = range(now.minus(Duration.ofDays(30)), now);
        ApiClient.Response hours = api.get(export("name=cpu.percent&" + month));
        assertThat(hours.raw().headers().firstValue("X-Steward-Resolution")).hasValue("1h");
        List<String> hourLines = lines(hours);
        assertThat(hourLines.get(1)).isEqualTo(start + ",cpu.percent,299.5");
        // The live report's hour, from the raw rows the rollup job may not have reached yet.
        assertThat(hourLines.get(2)).isEqualTo(start.plus(Duration.ofHours(1)) + ",cpu.percent,"
                + (MANY_REPORTS - 1) / 2.0);
        assertThat(hourLines.get(hourLines.size() - 1))
                .isEqualTo(liveAt.truncatedTo(ChronoUnit.HOURS) + ",cpu.percent,1");
    }

    @Test
    void badRequestsNameTheField() {
        ApiClient.Response unknown = api.get("/api/servers/nosuch1/export?format=csv");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().get("code").asText()).isEqualTo("not-found");
        assertThat(api.get(export("format=xml")).body().get("error").asText()).contains("format");
        assertThat(api.get(export("format=xml")).status()).isEqualTo(400);
        assertThat(api.get(export("from=yesterday")).body().get("error").asText()).startsWith("from");
        assertThat(api.get(export("to=soon")).body().get("error").asText()).startsWith("to");
        assertThat(api.get(export(range(start.plusSeconds(5), start))).status()).isEqualTo(400);
        ApiClient.Response badName = api.get(export("name=" + URLEncoder.encode("bad name{", StandardCharsets.UTF_8)));
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.body().get("error").asText()).startsWith("name");
        assertThat(api.get(export(range(start.minus(Duration.ofDays(4000)), start))).status()).isEqualTo(400);
        assertThat(new ApiClient(node.httpPort()).get(export("format=csv")).status()).isEqualTo(401);
    }

    @Test
    void aLargeExportIsStreamedAndAClientThatLeavesGivesTheConnectionBack() throws Exception {
        HikariDataSource pool = (HikariDataSource) node.database().dataSource();
        Instant many = start.plus(Duration.ofHours(1));
        String path = export(range(many, many.plusMillis(100L * MANY_REPORTS)));
        HttpResponse<InputStream> response = api.stream(path);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Length")).isEmpty();
        assertThat(response.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
        assertThat(response.headers().firstValue("X-Steward-Resolution")).hasValue("raw");
        long rows;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            rows = reader.lines().count() - 1;
        }
        assertThat(rows).isEqualTo((long) MANY_REPORTS * Reports.SERIES_WITHOUT_DEVICES);

        // A client that reads the first line and stops: the cursor stays open, no more is read than it takes...
        HttpResponse<InputStream> abandoned = api.stream(path);
        InputStream body = abandoned.body();
        assertThat(new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)).readLine())
                .isEqualTo("time,series,value");
        eventually(WAIT, () -> assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isPositive());
        // ...and once it goes away, the node cancels the stream, which gives the connection back.
        body.close();
        eventually(WAIT, () -> assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero());
    }

    @Test
    void theInventoryListsTheFleet() throws Exception {
        List<String> csv = lines(api.get("/api/inventory/export?format=csv"));
        assertThat(csv.get(0)).startsWith("id,hostname,displayName,group,tags,online,lastSeen");
        assertThat(csv).anySatisfy(line -> assertThat(line).startsWith(serverId + ",exporter,"));
        ApiClient.Response json = api.get("/api/inventory/export?format=json");
        assertThat(json.raw().headers().firstValue("Content-Disposition").orElseThrow())
                .contains("steward-inventory-").endsWith(".json\"");
        JsonNode servers = MAPPER.readTree(json.raw().body());
        assertThat(servers).anySatisfy(server -> assertThat(server.get("id").asText()).isEqualTo(serverId));
        assertThat(api.get("/api/inventory/export?format=pdf").status()).isEqualTo(400);
    }

    @Test
    void theAlertHistoryIsFilteredLikeItsPage() throws Exception {
        try (Connection connection = node.database().dataSource().getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO alert_episodes (server_id,"
                        + " server_name, alert_key, rule_id, rule_name, series, severity, alert_condition, phase,"
                        + " since_at, fired_at, fired_value, resolved_at) VALUES (?, ?, ?, 'cpu-high', 'CPU, high',"
                        + " 'cpu.percent', ?, '> 90', 'RESOLVED', ?, ?, 95.5, ?)")) {
            for (int i = 0; i < 3; i++) {
                insert.setString(1, serverId);
                insert.setString(2, "exporter");
                insert.setString(3, "cpu-high/cpu.percent/" + i);
                insert.setString(4, i == 2 ? "CRITICAL" : "WARNING");
                long at = start.plusSeconds(60L * i).toEpochMilli();
                insert.setLong(5, at);
                insert.setLong(6, at);
                insert.setLong(7, at + 30_000);
                insert.executeUpdate();
            }
        }
        ApiClient.Response response = api.get("/api/alerts/history/export?format=csv&server=" + serverId);
        assertThat(response.raw().headers().firstValue("Content-Disposition").orElseThrow())
                .contains("steward-alert-history-");
        List<String> lines = lines(response);
        assertThat(lines.get(0)).startsWith("id,firedAt,resolvedAt,serverId,serverName,ruleId,ruleName,series");
        // The node's own "server offline" alert fired too once the test's agent socket closed.
        List<String> inserted = lines.stream().filter(line -> line.contains(",cpu-high,")).toList();
        assertThat(inserted).hasSize(3);
        // Newest first; a comma in a value is quoted.
        assertThat(inserted.get(0)).contains("," + start.plusSeconds(120) + "," + start.plusSeconds(150) + ","
                + serverId + ",exporter,cpu-high,\"CPU, high\",cpu.percent,critical,> 90,95.5,");
        assertThat(lines(api.get("/api/alerts/history/export?severity=warning&server=" + serverId)).stream()
                .filter(line -> line.contains(",cpu-high,"))).hasSize(2);
        assertThat(lines(api.get("/api/alerts/history/export?server=nobody-at-all"))).hasSize(1);
        assertThat(api.get("/api/alerts/history/export?severity=loud").status()).isEqualTo(400);
        assertThat(api.get("/api/alerts/history/export?format=json").status()).isEqualTo(400);
    }

    @Test
    void backupRunsOfAServerWithoutJobsAreJustTheHeader() {
        List<String> lines = lines(api.get("/api/backup-runs/export?format=csv&server=" + serverId));
        assertThat(lines).containsExactly(String.join(",", "serverId", "jobId", "jobName", "runId", "state",
                "trigger", "dueFor", "startedAt", "finishedAt", "durationSeconds", "snapshot", "filesTotal",
                "filesTransferred", "totalBytes", "bytesTransferred", "exitCode", "failure", "reason", "by",
                "missedCount"));
        assertThat(lines(api.get("/api/backup-runs/export"))).hasSize(1);
        assertThat(api.get("/api/backup-runs/export?server=nosuch1").status()).isEqualTo(404);
        assertThat(api.get("/api/backup-runs/export?server=" + URLEncoder.encode("not a server id!",
                StandardCharsets.UTF_8)).status()).isEqualTo(400);
    }
}
