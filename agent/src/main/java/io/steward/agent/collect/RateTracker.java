package io.steward.agent.collect;

import java.util.HashMap;
import java.util.Map;

/**
 * Remembers each device's counters from the previous cycle and turns the next reading into per-second rates. Only
 * devices seen in the last cycle are remembered, so the memory is bounded by what exists now.
 *
 * <p>Use: for each device call {@link #rates}, then {@link #endCycle()} once per cycle.
 */
public final class RateTracker {
    private record Reading(long timestampMillis, long[] counters) {}

    private Map<String, Reading> previous = new HashMap<>();
    private Map<String, Reading> current = new HashMap<>();

    /**
     * Rates per second for {@code key}'s counters read at {@code timestampMillis}; all zero on the first reading of
     * a device (there is nothing to compare with yet).
     */
    public double[] rates(String key, long timestampMillis, long... counters) {
        long[] copy = counters.clone();
        current.put(key, new Reading(timestampMillis, copy));
        double[] rates = new double[copy.length];
        Reading before = previous.get(key);
        if (before == null || before.counters().length != copy.length) {
            return rates;
        }
        long elapsed = timestampMillis - before.timestampMillis();
        for (int i = 0; i < copy.length; i++) {
            rates[i] = CounterRate.perSecond(before.counters()[i], copy[i], elapsed);
        }
        return rates;
    }

    /** Forgets devices not read in the cycle that just ended. */
    public void endCycle() {
        previous = current;
        current = new HashMap<>(Math.max(16, previous.size() * 2));
    }

    /** Devices remembered from the last completed cycle; for tests. */
    int remembered() {
        return previous.size();
    }
}
