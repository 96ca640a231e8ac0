package io.steward.core.metrics;

/** One chart point: bucket start (epoch millis) with the average, minimum and maximum of its samples. */
public record Point(long epochMillis, double value, double min, double max) {
    public static Point of(long epochMillis, double value) {
        return new Point(epochMillis, value, value, value);
    }
}
