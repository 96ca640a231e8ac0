package io.steward.agent.collect;

/** Percentages and number hygiene for wire values: always finite, always within 0..100 where that is the range. */
public final class Percent {
    private Percent() {}

    /** {@code part} of {@code whole} in percent, clamped to 0..100; 0 when the whole is unknown or empty. */
    public static double of(long part, long whole) {
        if (whole <= 0 || part <= 0) {
            return 0;
        }
        return clamp(part * 100.0 / whole);
    }

    /** A ratio 0..1 (as OSHI reports loads) in percent, clamped to 0..100; NaN and negatives become 0. */
    public static double ofRatio(double ratio) {
        return clamp(ratio * 100.0);
    }

    /** {@code value} within 0..100; NaN becomes 0. */
    public static double clamp(double value) {
        if (!(value > 0)) {
            return 0;
        }
        return Math.min(100.0, value);
    }

    /** {@code value} if it is finite and not negative, else 0 (JSON has no NaN; OSHI uses -1 for "unknown"). */
    public static double nonNegative(double value) {
        return Double.isFinite(value) && value > 0 ? value : 0;
    }

    /** Rounds to two decimals, which is all a dashboard shows and keeps the JSON short. */
    public static double round2(double value) {
        return Math.round(value * 100.0) / 100.0;
    }
}
