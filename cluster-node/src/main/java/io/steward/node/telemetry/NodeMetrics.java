package io.steward.node.telemetry;

import static java.util.Objects.requireNonNull;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.steward.core.protocol.ErrorCode;
import io.steward.node.database.Blocking;
import io.steward.node.ingest.IngestCounters;
import io.steward.node.metrics.LatestSamples;
import io.steward.node.metrics.MetricStore;
import io.steward.node.notify.ChannelStore;
import io.steward.node.notify.Outbox;
import io.steward.node.overview.FleetOverview;
import io.steward.node.server.ServerSummary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's metrics in the Prometheus text format. Ingest and queue values are read from memory at scrape time;
 * the outbox and channel gauges ask the shared database (so they are the cluster's, the same on every node), which
 * is why a scrape runs on the blocking pool. A gauge whose query fails is left out of that scrape, not the scrape.
 */
public final class NodeMetrics {
    /** The exposition's content type (text format 0.0.4), as Prometheus expects it. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private static final Logger log = LoggerFactory.getLogger(NodeMetrics.class);

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final TelemetrySettings settings;
    private final MetricStore store;
    private final FleetOverview fleet;
    private final Blocking blocking;

    /**
     * Where the values come from. The fleet's summaries are this node's read model (issue 16): a scrape reads one
     * local list instead of asking every server's entity.
     */
    public record Sources(IngestCounters ingest, MetricStore store, Outbox outbox, ChannelStore channels,
            FleetOverview fleet) {}

    public NodeMetrics(TelemetrySettings settings, Sources sources, Blocking blocking) {
        this.settings = requireNonNull(settings, "settings is null");
        this.store = sources.store();
        this.fleet = sources.fleet();
        this.blocking = requireNonNull(blocking, "blocking is null");
        JvmMetrics.builder().register(registry);
        registerIngest(sources.ingest());
        GaugeWithCallback.builder()
                .name("steward_store_write_queue_reports")
                .help("Reports accepted and waiting in the metric store's write queue on this node")
                .callback(callback -> callback.call(store.queuedWrites()))
                .register(registry);
        registerNotifications(sources.outbox(), sources.channels());
    }

    private void registerIngest(IngestCounters ingest) {
        GaugeWithCallback.builder()
                .name("steward_ingest_connections_open")
                .help("Agent connections open on this node")
                .callback(callback -> callback.call(ingest.connectionsOpen()))
                .register(registry);
        CounterWithCallback.builder()
                .name("steward_ingest_connections_opened")
                .help("Agent connections opened on this node since it started")
                .callback(callback -> callback.call(ingest.connectionsOpened()))
                .register(registry);
        CounterWithCallback.builder()
                .name("steward_ingest_reports_stored")
                .help("Agent reports stored durably and acknowledged for the first time")
                .callback(callback -> callback.call(ingest.reportsStored()))
                .register(registry);
        CounterWithCallback.builder()
                .name("steward_ingest_reports_duplicate")
                .help("Agent reports received again (already stored) and acknowledged again")
                .callback(callback -> callback.call(ingest.reportsDuplicate()))
                .register(registry);
        CounterWithCallback.builder()
                .name("steward_ingest_reports_clock_skewed")
                .help("Agent reports stamped in the future beyond the allowed skew, stored at receive time")
                .callback(callback -> callback.call(ingest.reportsClockSkewed()))
                .register(registry);
        CounterWithCallback.builder()
                .name("steward_ingest_welcomed_without_entity")
                .help("Agents welcomed before their server's entity answered (a failover was moving it)")
                .callback(callback -> callback.call(ingest.welcomedWithoutEntity()))
                .register(registry);
        CounterWithCallback.builder()
                .name("steward_ingest_errors")
                .help("Errors this node answered agents with, by protocol error code")
                .labelNames("code")
                .callback(callback -> {
                    for (ErrorCode code : ErrorCode.values()) {
                        callback.call(ingest.errors(code), code.name());
                    }
                })
                .register(registry);
        registry.register(ingest.ackLatency());
    }

    private void registerNotifications(Outbox outbox, ChannelStore channels) {
        GaugeWithCallback.builder()
                .name("steward_notification_outbox_messages")
                .help("Notification outbox messages by state (cluster-wide; finished ones until pruned)")
                .labelNames("state")
                .callback(callback -> {
                    try {
                        outbox.countByState().forEach((state, count) ->
                                callback.call(count, state.toLowerCase(Locale.ROOT)));
                    } catch (SQLException e) {
                        log.warn("Could not count the notification outbox for /metrics: {}", e.getMessage());
                    }
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("steward_notification_channels_failing")
                .help("Notification channels whose last deliveries failed in a row (cluster-wide)")
                .callback(callback -> {
                    try {
                        callback.call(channels.failingCount());
                    } catch (SQLException e) {
                        log.warn("Could not count failing channels for /metrics: {}", e.getMessage());
                    }
                })
                .register(registry);
    }

    /** One scrape as the text exposition; collection runs on the blocking pool. */
    public CompletionStage<byte[]> scrape() {
        if (!settings.fleet()) {
            return blocking.supply(() -> write(registry.scrape(), List.of()));
        }
        return fleet.summaries().thenCompose(this::withLatest).thenCompose(view ->
                blocking.supply(() -> write(registry.scrape(), FleetMetrics.snapshots(view.summaries(),
                        view.latest()))));
    }

    private record FleetView(List<ServerSummary> summaries, Map<String, LatestSamples> latest) {}

    private CompletionStage<FleetView> withLatest(List<ServerSummary> summaries) {
        Map<String, LatestSamples> latest = new HashMap<>();
        CompletableFuture<?>[] reads = new CompletableFuture<?>[summaries.size()];
        for (int i = 0; i < summaries.size(); i++) {
            String id = summaries.get(i).id();
            reads[i] = store.latest(id)
                    .exceptionally(failure -> Optional.empty())
                    .thenAccept(found -> found.ifPresent(samples -> {
                        synchronized (latest) {
                            latest.put(id, samples);
                        }
                    }))
                    .toCompletableFuture();
        }
        return CompletableFuture.allOf(reads).thenApply(done -> new FleetView(summaries, Map.copyOf(latest)));
    }

    private byte[] write(MetricSnapshots node, List<MetricSnapshot> fleetSnapshots) {
        List<MetricSnapshot> all = new ArrayList<>(node.size() + fleetSnapshots.size());
        node.forEach(all::add);
        all.addAll(fleetSnapshots);
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, new MetricSnapshots(all));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
