package io.steward.core.alerting;

/** Which side of the threshold is bad. */
public enum Comparison {
    /** Bad when the value is above the threshold (CPU, disk use...). */
    ABOVE(">"),
    /** Bad when the value is below the threshold (free memory, a rate that should not stop...). */
    BELOW("<");

    private final String symbol;

    Comparison(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    /** The condition holds: the value is strictly past the threshold. */
    public boolean breaches(double value, double threshold) {
        return this == ABOVE ? value > threshold : value < threshold;
    }

    /** A firing alert may resolve: the value is back on the safe side of the recovery value (inclusive). */
    public boolean recovered(double value, double recovery) {
        return this == ABOVE ? value <= recovery : value >= recovery;
    }

    /** Whether {@code recovery} lies on the safe side of {@code threshold} (or on it: no hysteresis). */
    public boolean isSafeSide(double recovery, double threshold) {
        return this == ABOVE ? recovery <= threshold : recovery >= threshold;
    }
}
