package io.steward.node.alerting;

import static java.util.Objects.requireNonNull;

import io.steward.core.alerting.AlertRule;
import io.steward.core.alerting.AlertState;
import io.steward.core.alerting.Severity;
import io.steward.node.serialization.CborSerializable;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One alert of a server that is pending or firing, as its entity persists it: enough to say what, how bad, since
 * when, the value and the threshold without looking the rule up again (the rule may have changed since).
 *
 * @param series the series the alert is about, e.g. {@code disk.percent{mount=/}}
 */
public record ActiveAlert(
        String ruleId,
        @Nullable String ruleName,
        String series,
        Severity severity,
        Phase phase,
        Instant since,
        double value,
        @Nullable String condition,
        @Nullable Acknowledgement acknowledged) implements CborSerializable {

    public enum Phase { PENDING, FIRING }

    /** Someone has seen the alert and is on it; it keeps firing (and resolving) as before. */
    public record Acknowledgement(String by, Instant at, @Nullable String comment) implements CborSerializable {
        public Acknowledgement {
            requireNonNull(by, "by is null");
            requireNonNull(at, "at is null");
        }
    }

    public ActiveAlert {
        requireNonNull(ruleId, "ruleId is null");
        requireNonNull(series, "series is null");
        requireNonNull(severity, "severity is null");
        requireNonNull(phase, "phase is null");
        requireNonNull(since, "since is null");
    }

    /** The key an entity files the alert under: one alert per rule and series. */
    public static String key(String ruleId, String series) {
        return ruleId + "|" + series;
    }

    public String key() {
        return key(ruleId, series);
    }

    public static ActiveAlert of(AlertRule rule, String series, Phase phase, Instant since, double value) {
        return new ActiveAlert(rule.id(), rule.name(), series, rule.severity(), phase, since, value, rule.condition(),
                null);
    }

    public ActiveAlert withAcknowledgement(Acknowledgement value) {
        return new ActiveAlert(ruleId, ruleName, series, severity, phase, since, this.value, condition, value);
    }

    /** The evaluation state this alert stands for. */
    public AlertState toState() {
        return phase == Phase.FIRING ? new AlertState.Firing(since, value) : new AlertState.Pending(since, value);
    }
}
