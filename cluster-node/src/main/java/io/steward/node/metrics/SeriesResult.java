package io.steward.node.metrics;

import static java.util.Objects.requireNonNull;

import io.steward.core.metrics.Point;
import io.steward.core.metrics.Resolution;
import java.util.List;

/** One series over a time range, ready to chart: the tier it was read from and its points in time order. */
public record SeriesResult(String series, Resolution resolution, List<Point> points) {
    public SeriesResult {
        requireNonNull(series, "series is null");
        requireNonNull(resolution, "resolution is null");
        points = List.copyOf(points);
    }
}
