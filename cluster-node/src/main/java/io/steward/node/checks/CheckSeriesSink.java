package io.steward.node.checks;

import java.time.Instant;
import java.util.Map;

/** Where a check's series go (the metric store, under {@code check:<id>}); fire and forget, never blocks. */
@FunctionalInterface
public interface CheckSeriesSink {
    void write(String subject, Instant at, Map<String, Double> samples);

    CheckSeriesSink NONE = (subject, at, samples) -> { };
}
