package io.steward.core.checks.imports;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as the other tools write them, and as notes show them to people. */
final class Durations {
    /** One term of a Go duration: a decimal number and its unit ({@code 1.5h}, {@code 300ms}). */
    private static final Pattern GO_TERM = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
    private static final Map<String, Long> NANOS_PER_UNIT = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L,
            "μs", 1_000L, "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);
    /** Longer than anything a check may wait; keeps the arithmetic far from overflow. */
    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Duration.ofDays(3650).toNanos());

    private Durations() {}

    /**
     * A duration written as Go's {@code time.ParseDuration} reads it — {@code 60s}, {@code 5m}, {@code 1h30m},
     * {@code 500ms}, {@code 0} — or null when {@code text} is not one. Negative durations are refused.
     */
    static Duration parseGo(String text) {
        String rest = text.strip();
        if (rest.equals("0")) {
            return Duration.ZERO;
        }
        if (rest.startsWith("+")) {
            rest = rest.substring(1);
        }
        if (rest.isEmpty()) {
            return null;
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher term = GO_TERM.matcher(rest);
        int at = 0;
        while (at < rest.length()) {
            if (!term.find(at) || term.start() != at) {
                return null;
            }
            nanos = nanos.add(new BigDecimal(term.group(1)).multiply(BigDecimal.valueOf(
                    NANOS_PER_UNIT.get(term.group(2)))));
            if (nanos.compareTo(MAX_NANOS) > 0) {
                return null;
            }
            at = term.end();
        }
        return Duration.ofNanos(nanos.setScale(0, RoundingMode.DOWN).longValueExact());
    }

    /** Seconds as Uptime Kuma stores them (possibly fractional), or null for absent, zero or negative. */
    static Duration ofSeconds(Double seconds) {
        if (seconds == null || !(seconds > 0) || seconds > MAX_NANOS.doubleValue() / 1e9) {
            return null;
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    /** {@code 5 s}, {@code 1.5 s}, {@code 500 ms}, {@code 5 min}, {@code 90 s}, {@code 2 h}. */
    static String describe(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis % 1000 != 0) {
            return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + " s";
        }
        long seconds = millis / 1000;
        if (seconds % 3600 == 0) {
            return seconds / 3600 + " h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + " min";
        }
        return seconds + " s";
    }
}
