package io.steward.node;

import io.steward.core.protocol.MetricsReport;
import io.steward.node.checks.CheckSeriesSink;
import io.steward.node.checks.CheckSeriesSource;
import io.steward.node.database.Blocking;
import io.steward.node.ingest.ReportSink;
import io.steward.node.metrics.LatestSamples;
import io.steward.node.metrics.MetricStore;
import io.steward.node.metrics.SeriesTotals;
import io.steward.node.metrics.StoreBusyException;
import io.steward.node.metrics.WriteOutcome;
import io.steward.node.server.LastKnownValues;
import io.steward.node.server.ServerSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metric store seen through the seams of the rooms that use it without knowing it: ingest stores reports through
 * a {@link ReportSink}, a recovering server entity reads its last headline through {@link LastKnownValues}. Wiring
 * lives here so that neither the store nor those rooms import each other.
 */
public final class MetricStoreSeams {
    private static final Logger log = LoggerFactory.getLogger(MetricStoreSeams.class);
    /** Range reads of check series plan their tier as if a point came every 10 s (the shortest check interval). */
    private static final Duration CHECK_POINT_INTERVAL = Duration.ofSeconds(10);

    private MetricStoreSeams() {}

    /**
     * Check series as rows of the store, one per result or judgement. Their sequence numbers come from this node's
     * clock in microseconds, kept increasing: unique per subject on one node; two nodes writing the same check's
     * row in the same microsecond would lose one of the two points, nothing else.
     */
    public static CheckSeriesSink checkSeries(MetricStore store) {
        AtomicLong last = new AtomicLong();
        return (subject, at, samples) -> {
            long micros = Math.multiplyExact(System.currentTimeMillis(), 1000L);
            long sequence = last.updateAndGet(previous -> Math.max(previous + 1, micros));
            store.writer().writeSamples(subject, sequence, at, samples).whenComplete((outcome, failure) -> {
                if (failure != null) {
                    log.debug("Could not store a row of [{}]: {}", subject, failure.getMessage());
                }
            });
        };
    }

    public static CheckSeriesSource checkSeriesSource(MetricStore store, SeriesTotals totals, Blocking blocking,
            Clock clock) {
        return new CheckSeriesSource() {
            @Override
            public CompletionStage<Series> range(String subject, String series, Instant from, Instant to) {
                return blocking.supply(() -> store.queries().range(subject, series, from, to, CHECK_POINT_INTERVAL,
                        clock.instant())).thenApply(result -> new Series(result.resolution(), result.points()));
            }

            @Override
            public CompletionStage<Double> average(String subject, String series, Instant from, Instant to) {
                return blocking.supply(() -> totals.total(subject, series, from, to).average());
            }

            @Override
            public CompletionStage<Map<LocalDate, Double>> dailyAverages(String subject, String series,
                    Instant from, Instant to) {
                return blocking.supply(() -> {
                    Map<LocalDate, Double> days = new LinkedHashMap<>();
                    totals.daily(subject, series, from, to).forEach((day, total) -> days.put(day, total.average()));
                    return days;
                });
            }
        };
    }

    /** {@code true} for a new report, {@link ReportSink.Busy} when the store's queue is full. */
    public static ReportSink reportSink(MetricStore store) {
        return new ReportSink() {
            @Override
            public CompletionStage<Boolean> store(String serverId, long sequence, MetricsReport report) {
                return store.writeResendable(serverId, sequence, report).handle((outcome, failure) -> {
                    if (failure == null) {
                        return outcome == WriteOutcome.STORED;
                    }
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (cause instanceof StoreBusyException) {
                        throw new ReportSink.Busy(cause.getMessage());
                    }
                    throw new CompletionException(cause);
                });
            }

            @Override
            public CompletionStage<Long> lastStoredSequence(String serverId) {
                return store.lastStoredSequence(serverId);
            }
        };
    }

    /**
     * Headline values of the server's newest stored report, for a server entity recovering after a restart. A value
     * the report did not carry reads 0, as {@link MetricsReport#fullestFilesystemPercent()} does.
     */
    public static LastKnownValues lastKnownValues(MetricStore store) {
        return serverId -> store.latest(serverId).thenApply(found -> found.map(MetricStoreSeams::headline));
    }

    private static ServerSummary.Headline headline(LatestSamples latest) {
        return new ServerSummary.Headline(
                latest.collectedAt(),
                orZero(latest.value("cpu.percent")),
                orZero(latest.value("memory.percent")),
                fullestFilesystem(latest),
                orZero(latest.value("load.1")),
                uptime(latest));
    }

    private static Long uptime(LatestSamples latest) {
        double seconds = latest.value("uptime.seconds");
        return Double.isFinite(seconds) ? (long) seconds : null;
    }

    private static double fullestFilesystem(LatestSamples latest) {
        double fullest = 0;
        for (var sample : latest.samples().entrySet()) {
            if (sample.getKey().startsWith("disk.percent{")) {
                fullest = Math.max(fullest, sample.getValue());
            }
        }
        return fullest;
    }

    private static double orZero(double value) {
        return Double.isFinite(value) ? value : 0;
    }
}
