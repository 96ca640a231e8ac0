package io.steward.core.backup;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How strict a node is with backup schedules: the least grace a due time gets before it counts as missed (10 % of
 * the period, but never less than this), and the shortest period a schedule may have. Production keeps the defaults;
 * tests shorten them to see a missed run in seconds.
 */
public record BackupTiming(Duration minimumGrace, Duration minimumPeriod) {
    public static final BackupTiming DEFAULT = new BackupTiming(Duration.ofMinutes(5), Duration.ofMinutes(5));

    public BackupTiming {
        requireNonNull(minimumGrace, "minimumGrace is null");
        requireNonNull(minimumPeriod, "minimumPeriod is null");
        if (minimumGrace.isNegative() || minimumPeriod.isNegative() || minimumPeriod.isZero()) {
            throw new IllegalArgumentException("backup timing must be positive");
        }
    }
}
