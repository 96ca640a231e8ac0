package io.steward.core.metrics;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/**
 * Picks the storage tier for a chart query: the finest tier that still holds the whole range (retention) and would
 * return no more than {@code maxRowsRead} rows; the result is then thinned to the chart's point budget. Reading a
 * little more than the budget keeps short ranges at full detail instead of jumping to 1-minute averages.
 */
public record TierPlanner(Duration rawRetention, Duration minuteRetention, long maxRowsRead) {
    public TierPlanner {
        requireNonNull(rawRetention, "rawRetention is null");
        requireNonNull(minuteRetention, "minuteRetention is null");
        if (maxRowsRead < 1) {
            throw new IllegalArgumentException("maxRowsRead must be >= 1");
        }
    }

    /**
     * @param reportInterval the server's reporting interval (raw row spacing)
     */
    public Resolution choose(Instant from, Instant to, Instant now, Duration reportInterval) {
        Duration range = Duration.between(from, to);
        long intervalMillis = Math.max(1000, reportInterval.toMillis());
        boolean rawHoldsRange = !from.isBefore(now.minus(rawRetention));
        if (rawHoldsRange && range.toMillis() / intervalMillis <= maxRowsRead) {
            return Resolution.RAW;
        }
        boolean minuteHoldsRange = !from.isBefore(now.minus(minuteRetention));
        if (minuteHoldsRange && range.toMinutes() <= maxRowsRead) {
            return Resolution.ONE_MINUTE;
        }
        return Resolution.ONE_HOUR;
    }
}
