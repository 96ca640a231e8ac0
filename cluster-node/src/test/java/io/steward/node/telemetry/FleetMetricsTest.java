package io.steward.node.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.steward.node.metrics.LatestSamples;
import io.steward.node.server.ServerSummary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fleet's latest values as Prometheus families, read from the text exposition a scraper gets. */
class FleetMetricsTest {
    private static final Instant AT = Instant.parse("2026-12-02T21:00:00Z");

    @Test
    void everySeriesBecomesAGaugeLabelledByServerGroupAndItsOwnLabel() throws IOException {
        Map<String, Double> samples = new LinkedHashMap<>();
        samples.put("cpu.percent", 12.5);
        samples.put("disk.percent{mount=/}", 40.0);
        samples.put("disk.percent{mount=/var}", 70.0);
        samples.put("net.rx.bytes{iface=eth0}", 1024.0);
        String text = exposition(List.of(summary("s-1", "web-1", "Web one", "web", true)),
                Map.of("s-1", new LatestSamples(AT, 7, samples)));

        assertThat(text)
                .contains("steward_server_cpu_percent{group=\"web\",server=\"s-1\"} 12.5")
                .contains("steward_server_disk_percent{group=\"web\",mount=\"/\",server=\"s-1\"} 40.0")
                .contains("steward_server_disk_percent{group=\"web\",mount=\"/var\",server=\"s-1\"} 70.0")
                .contains("steward_server_net_rx_bytes{group=\"web\",iface=\"eth0\",server=\"s-1\"} 1024.0")
                .contains("steward_server_up{group=\"web\",server=\"s-1\"} 1.0")
                .contains("steward_server_last_report_timestamp_seconds{group=\"web\",server=\"s-1\"} 1.7962452E9")
                .contains("steward_server_info{group=\"web\",hostname=\"web-1\",name=\"Web one\",server=\"s-1\"} 1");
    }

    @Test
    void anOfflineServerIsDownWithoutStaleValuesAndOneWithoutGroupHasAnEmptyGroup() throws IOException {
        String text = exposition(List.of(summary("s-2", "db-1", null, null, false)),
                Map.of("s-2", new LatestSamples(AT, 3, Map.of("cpu.percent", 99.0))));

        assertThat(text)
                .contains("steward_server_up{group=\"\",server=\"s-2\"} 0.0")
                .contains("steward_server_info{group=\"\",hostname=\"db-1\",name=\"db-1\",server=\"s-2\"} 1")
                .contains("steward_server_last_report_timestamp_seconds{group=\"\",server=\"s-2\"}")
                .doesNotContain("steward_server_cpu_percent");
    }

    private static String exposition(List<ServerSummary> servers, Map<String, LatestSamples> latest)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, new MetricSnapshots(FleetMetrics.snapshots(servers, latest)));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static ServerSummary summary(String id, String hostname, String displayName, String group,
            boolean online) {
        return new ServerSummary(id, hostname, displayName, group, List.of(), null, online, AT, "1.0", AT,
                "Debian 12", List.of(), 1.0, 2.0, 3.0, 0.5, 100L, 0, 0);
    }
}
