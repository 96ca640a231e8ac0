package io.steward.node.telemetry;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.steward.core.metrics.SeriesName;
import io.steward.node.metrics.LatestSamples;
import io.steward.node.server.ServerSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The fleet's latest values as Prometheus gauges, built afresh for each scrape. Every series name Steward stores
 * becomes a family {@code steward_server_<name with '.' as '_'>} labelled {@code server} (the id, which never
 * changes), {@code group} (empty when none) and the series' own label ({@code mount}, {@code disk} or
 * {@code iface}): {@code disk.percent{mount=/}} of server {@code 3f2a...} is
 * {@code steward_server_disk_percent{server="3f2a...",group="web",mount="/"}}. Names that change (hostname,
 * display name, OS) are in {@code steward_server_info} only, so renaming a server does not break its series.
 *
 * <p>Values are exposed only for servers that are online: an offline server's last values would otherwise look
 * current to Prometheus. {@code steward_server_up} and {@code steward_server_last_report_timestamp_seconds} say
 * which servers those are.
 */
final class FleetMetrics {
    /** Prefix of every per-server family. */
    static final String PREFIX = "steward_server_";
    private static final Set<String> OWN_LABELS = Set.of("server", "group");

    private FleetMetrics() {}

    static List<MetricSnapshot> snapshots(List<ServerSummary> servers, Map<String, LatestSamples> latest) {
        Info info = Info.builder().name(PREFIX + "info")
                .help("Every known server with its names as labels (join on server)")
                .labelNames("server", "hostname", "name", "group").build();
        Gauge up = Gauge.builder().name(PREFIX + "up")
                .help("1 when the server's agent is reporting, 0 when the server is offline")
                .labelNames("server", "group").build();
        Gauge lastReport = Gauge.builder().name(PREFIX + "last_report_timestamp_seconds")
                .help("When the server's newest stored report was collected, Unix seconds")
                .labelNames("server", "group").build();
        // Family name -> (label name or "", gauge): one label set per family, as Prometheus requires.
        Map<String, Family> families = new LinkedHashMap<>();
        for (ServerSummary server : servers) {
            String group = Objects.requireNonNullElse(server.group(), "");
            String name = server.displayName() != null ? server.displayName() : server.hostname();
            info.addLabelValues(server.id(), server.hostname(), name, group);
            up.labelValues(server.id(), group).set(server.online() ? 1 : 0);
            LatestSamples samples = latest.get(server.id());
            if (samples == null) {
                continue;
            }
            lastReport.labelValues(server.id(), group).set(samples.collectedAt().toEpochMilli() / 1000.0);
            if (!server.online()) {
                continue;
            }
            samples.samples().forEach((series, value) -> add(families, server.id(), group, series, value));
        }
        List<MetricSnapshot> snapshots = new ArrayList<>();
        snapshots.add(info.collect());
        snapshots.add(up.collect());
        snapshots.add(lastReport.collect());
        families.values().stream().filter(Objects::nonNull)
                .forEach(family -> snapshots.add(family.gauge().collect()));
        return snapshots;
    }

    private static void add(Map<String, Family> families, String server, String group, String seriesText,
            double value) {
        SeriesName series;
        try {
            series = SeriesName.parse(seriesText);
        } catch (IllegalArgumentException e) {
            return; // not a name Steward writes; nothing to expose
        }
        String label = series.labelName() == null ? "" : series.labelName();
        if (OWN_LABELS.contains(label)) {
            return;
        }
        String familyName = PREFIX + series.metric().replace('.', '_');
        Family family = families.computeIfAbsent(familyName, name -> family(name, series.metric(), label));
        if (family == null || !family.label().equals(label)) {
            return; // the same metric with another label name: cannot share the family
        }
        if (label.isEmpty()) {
            family.gauge().labelValues(server, group).set(value);
        } else {
            family.gauge().labelValues(server, group, series.labelValue()).set(value);
        }
    }

    /** A gauge family for a series name, or null when the client refuses the name (a reserved suffix, say). */
    private static Family family(String name, String metric, String label) {
        try {
            Gauge.Builder gauge = Gauge.builder().name(name).help("Latest " + metric + " of each online server");
            return new Family(label, (label.isEmpty() ? gauge.labelNames("server", "group")
                    : gauge.labelNames("server", "group", label)).build());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private record Family(String label, Gauge gauge) {}
}
