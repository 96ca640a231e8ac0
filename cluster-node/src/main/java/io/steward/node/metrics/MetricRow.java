package io.steward.node.metrics;

import static java.util.Objects.requireNonNull;

/** One exported value: a raw sample, or a rollup bucket's average (the bucket's start as its time), of one series. */
public record MetricRow(long epochMillis, String series, double value) {
    public MetricRow {
        requireNonNull(series, "series is null");
    }
}
