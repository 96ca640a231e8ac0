package io.steward.core.alerting;

import static java.util.Objects.requireNonNull;

import io.steward.core.metrics.SeriesName;
import java.time.Duration;

/**
 * A threshold on one metric of a server, e.g. "any filesystem's disk.percent above 90 for 0 s is critical".
 *
 * @param target the series; without a label it matches every series of the metric ({@code disk.percent} covers
 *     each mount and each mount is its own alert), with one only that series ({@code disk.percent{mount=/}})
 * @param recovery a firing alert resolves only once the value is back past this (hysteresis); equal to the
 *     threshold for none
 * @param forDuration how long the condition must hold before the alert fires; zero fires on the first breach
 * @param enabled a disabled rule still wins over less specific ones: it switches the check off for its scope
 */
public record AlertRule(
        String id,
        String name,
        SeriesName target,
        Comparison comparison,
        double threshold,
        double recovery,
        Duration forDuration,
        Severity severity,
        Scope scope,
        boolean enabled) {

    public static final int MAX_NAME_LENGTH = 100;
    public static final Duration MAX_FOR = Duration.ofDays(1);

    /** Pseudo-metric of the built-in "server offline" condition: 1 while offline, 0 while reporting. */
    public static final String SERVER_OFFLINE = "server.offline";

    public AlertRule {
        requireNonNull(id, "id is null");
        requireNonNull(target, "target is null");
        requireNonNull(comparison, "comparison is null");
        requireNonNull(forDuration, "forDuration is null");
        requireNonNull(severity, "severity is null");
        requireNonNull(scope, "scope is null");
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("name must be 1 to " + MAX_NAME_LENGTH + " characters");
        }
        if (!Double.isFinite(threshold) || !Double.isFinite(recovery)) {
            throw new IllegalArgumentException("threshold and recovery must be finite numbers");
        }
        if (!comparison.isSafeSide(recovery, threshold)) {
            throw new IllegalArgumentException("recovery value " + recovery + " must be on the safe side of the"
                    + " threshold (" + (comparison == Comparison.ABOVE ? "at most " : "at least ") + threshold + ")");
        }
        if (forDuration.isNegative() || forDuration.compareTo(MAX_FOR) > 0) {
            throw new IllegalArgumentException("for must be between 0 s and " + MAX_FOR.toHours() + " h");
        }
    }

    /** Whether this rule is about {@code series} (same metric, and same label unless the rule has none). */
    public boolean matches(SeriesName series) {
        if (!target.metric().equals(series.metric())) {
            return false;
        }
        return target.labelName() == null
                || (target.labelName().equals(series.labelName()) && target.labelValue().equals(series.labelValue()));
    }

    /** How the condition reads to a person: "disk.percent{mount=/} > 90". */
    public String condition() {
        return target + " " + comparison.symbol() + " " + formatNumber(threshold);
    }

    static String formatNumber(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
