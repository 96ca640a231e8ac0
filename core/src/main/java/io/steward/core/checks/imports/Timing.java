package io.steward.core.checks.imports;

import io.steward.core.checks.CheckRules;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How often a check runs, how many failures in a row it tolerates and how long one attempt may take, brought into
 * Steward's ranges: a value outside is clamped to the nearest allowed one with a note, since running a little more
 * or less often, or giving up a little sooner, keeps what the check means.
 *
 * @param timeout null for the definition's default (10 s, at most half the interval)
 */
record Timing(Duration interval, int retries, @Nullable Duration timeout) {
    static final Duration MIN_TIMEOUT = Duration.ofMillis(500);

    /**
     * Clamps the other tool's values, noting every change in {@code notes}.
     *
     * @param interval null for Steward's default
     * @param retries null for Steward's default
     * @param timeout null for Steward's default
     */
    static Timing of(@Nullable Duration interval, @Nullable Integer retries, @Nullable Duration timeout,
            List<String> notes) {
        Duration every = interval == null ? CheckRules.DEFAULT_INTERVAL : interval;
        if (every.compareTo(CheckRules.MIN_INTERVAL) < 0) {
            notes.add("interval " + Durations.describe(every) + " raised to the minimum "
                    + Durations.describe(CheckRules.MIN_INTERVAL));
            every = CheckRules.MIN_INTERVAL;
        } else if (every.compareTo(CheckRules.MAX_INTERVAL) > 0) {
            notes.add("interval " + Durations.describe(every) + " lowered to the maximum "
                    + Durations.describe(CheckRules.MAX_INTERVAL));
            every = CheckRules.MAX_INTERVAL;
        }
        int tolerated = retries == null ? CheckRules.DEFAULT_RETRIES : retries;
        if (tolerated < 0) {
            notes.add("retries " + tolerated + " raised to 0");
            tolerated = 0;
        } else if (tolerated > CheckRules.MAX_RETRIES) {
            notes.add("retries " + tolerated + " lowered to the maximum " + CheckRules.MAX_RETRIES);
            tolerated = CheckRules.MAX_RETRIES;
        }
        Duration limit = timeout;
        Duration half = every.dividedBy(2);
        if (limit != null && limit.compareTo(MIN_TIMEOUT) < 0) {
            notes.add("timeout " + Durations.describe(limit) + " raised to the minimum "
                    + Durations.describe(MIN_TIMEOUT));
            limit = MIN_TIMEOUT;
        } else if (limit != null && limit.compareTo(half) > 0) {
            // An attempt that may last most of the interval leaves no room for the next one to start on time.
            notes.add("timeout " + Durations.describe(limit) + " lowered to " + Durations.describe(half)
                    + ", half the interval");
            limit = half;
        }
        return new Timing(every, tolerated, limit);
    }
}
