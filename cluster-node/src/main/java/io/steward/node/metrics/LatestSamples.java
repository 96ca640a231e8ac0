package io.steward.node.metrics;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The samples of a server's newest stored report (by collection time). */
public record LatestSamples(Instant collectedAt, long sequence, Map<String, Double> samples) {
    public LatestSamples {
        requireNonNull(collectedAt, "collectedAt is null");
        samples = Collections.unmodifiableMap(new LinkedHashMap<>(samples));
    }

    /** The value of {@code series}, or {@code NaN} when the report did not carry it. */
    public double value(String series) {
        Double value = samples.get(series);
        return value == null ? Double.NaN : value;
    }
}
