package io.steward.node.metrics;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** How long each tier keeps its rows: what the retention job reads at the start of every run. */
public record TierRetention(Duration raw, Duration oneMinute, Duration oneHour) {
    public TierRetention {
        requireNonNull(raw, "raw is null");
        requireNonNull(oneMinute, "oneMinute is null");
        requireNonNull(oneHour, "oneHour is null");
    }

    /** The retentions of the config file ({@code steward.store.retention}). */
    public static TierRetention of(StoreSettings settings) {
        return new TierRetention(settings.rawRetention(), settings.minuteRetention(), settings.hourRetention());
    }
}
