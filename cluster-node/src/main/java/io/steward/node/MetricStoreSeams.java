package io.steward.node;

import io.steward.core.protocol.MetricsReport;
import io.steward.node.ingest.ReportSink;
import io.steward.node.metrics.LatestSamples;
import io.steward.node.metrics.MetricStore;
import io.steward.node.metrics.StoreBusyException;
import io.steward.node.metrics.WriteOutcome;
import io.steward.node.server.LastKnownValues;
import io.steward.node.server.ServerSummary;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The metric store seen through the seams of the rooms that use it without knowing it: ingest stores reports through
 * a {@link ReportSink}, a recovering server entity reads its last headline through {@link LastKnownValues}. Wiring
 * lives here so that neither the store nor those rooms import each other.
 */
public final class MetricStoreSeams {
    private MetricStoreSeams() {}

    /** {@code true} for a new report, {@link ReportSink.Busy} when the store's queue is full. */
    public static ReportSink reportSink(MetricStore store) {
        return new ReportSink() {
            @Override
            public CompletionStage<Boolean> store(String serverId, long sequence, MetricsReport report) {
                return store.write(serverId, sequence, report).handle((outcome, failure) -> {
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
