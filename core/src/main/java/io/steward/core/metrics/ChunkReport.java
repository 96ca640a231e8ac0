package io.steward.core.metrics;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * One report inside a chunk: when it was collected, the server's report sequence, and its samples (series name to
 * value). The map is kept as given (not copied): chunks hold hundreds of reports and are built and read in one place.
 */
public record ChunkReport(long epochMillis, long sequence, Map<String, Double> samples) {
    public ChunkReport {
        requireNonNull(samples, "samples is null");
    }
}
