package io.steward.core.metrics;

/**
 * Min, max, sum and count of samples in a bucket. Mergeable, so a rollup row can absorb late samples (a spool
 * replayed after an outage) without being recomputed from raw data.
 */
public record Aggregate(double min, double max, double sum, long count) {
    public Aggregate {
        if (count < 1) {
            throw new IllegalArgumentException("an aggregate holds at least one sample");
        }
    }

    public static Aggregate of(double value) {
        return new Aggregate(value, value, value, 1);
    }

    public Aggregate merge(Aggregate other) {
        return new Aggregate(Math.min(min, other.min), Math.max(max, other.max), sum + other.sum, count + other.count);
    }

    public Aggregate add(double value) {
        return merge(of(value));
    }

    public double average() {
        return sum / count;
    }
}
