package io.steward.node.metrics;

import static java.util.Objects.requireNonNull;

import io.steward.core.metrics.Resolution;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a metric export reads: a server's values from {@code from} to {@code to} (both inclusive) of one series, or
 * of every series when {@code series} is null, at the tier chosen for the range ({@link MetricStore#exportResolution})
 * and as of {@code now} (which decides the rollup tier's not-yet-rolled-up tail).
 */
public record MetricExportPlan(String serverId, @Nullable String series, Instant from, Instant to,
        Resolution resolution, Instant now) {
    public MetricExportPlan {
        requireNonNull(serverId, "serverId is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        requireNonNull(resolution, "resolution is null");
        requireNonNull(now, "now is null");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from (" + from + ") must be before to (" + to + ")");
        }
        if (series != null) {
            MetricQueries.checkSeries(series);
        }
    }
}
