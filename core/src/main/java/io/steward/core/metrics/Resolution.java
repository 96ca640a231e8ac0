package io.steward.core.metrics;

import java.time.Duration;

/** Storage tiers of the metric store, finest first. */
public enum Resolution {
    RAW(Duration.ZERO),
    ONE_MINUTE(Duration.ofMinutes(1)),
    ONE_HOUR(Duration.ofHours(1));

    private final Duration bucket;

    Resolution(Duration bucket) {
        this.bucket = bucket;
    }

    /** Bucket width; zero for raw (one point per report). */
    public Duration bucket() {
        return bucket;
    }

    /** Start of the bucket holding {@code epochMillis}. */
    public long bucketStart(long epochMillis) {
        if (this == RAW) {
            return epochMillis;
        }
        long width = bucket.toMillis();
        return Math.floorDiv(epochMillis, width) * width;
    }

    /** The API's name for this tier. */
    public String label() {
        return switch (this) {
            case RAW -> "raw";
            case ONE_MINUTE -> "1m";
            case ONE_HOUR -> "1h";
        };
    }
}
