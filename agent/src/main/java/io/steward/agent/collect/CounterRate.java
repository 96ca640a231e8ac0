package io.steward.agent.collect;

/**
 * Per-second rates from two readings of a counter that only goes up (bytes, packets, operations).
 *
 * <p>A counter that went down was reset (driver reload, interface re-created, 32-bit wrap): its new value is what
 * accumulated since the reset, so that is the delta. This under-counts a wrap for one interval but never yields a
 * negative or absurdly large rate.
 */
public final class CounterRate {
    private CounterRate() {}

    /** The increase from {@code previous} to {@code current}, counting from zero after a reset. */
    public static long delta(long previous, long current) {
        if (current < 0) {
            return 0; // not a counter reading (OSHI reports -1 / 0 for "unknown")
        }
        return current >= previous ? current - previous : current;
    }

    /** The rate per second over {@code elapsedMillis}; 0 when no time passed (or the clock went back). */
    public static double perSecond(long previous, long current, long elapsedMillis) {
        if (elapsedMillis <= 0) {
            return 0;
        }
        return delta(previous, current) * 1000.0 / elapsedMillis;
    }
}
