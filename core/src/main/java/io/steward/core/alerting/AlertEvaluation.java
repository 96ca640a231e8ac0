package io.steward.core.alerting;

import java.time.Duration;
import java.time.Instant;

/**
 * One step of an alert's life: given its state and a new value, the next state and what happened. Pending needs
 * the condition to hold continuously for the rule's {@code for}; one good value cancels it. Firing resolves only
 * when the value is back past the recovery value, so a value wobbling around the threshold does not flap.
 */
public final class AlertEvaluation {
    private AlertEvaluation() {}

    /** What a step did; everything but {@code NONE} and {@code STILL_FIRING} is a fact worth recording. */
    public enum Transition { NONE, PENDING, CANCELLED, FIRING, STILL_FIRING, RESOLVED }

    public record Step(AlertState next, Transition transition) {}

    public static Step evaluate(AlertRule rule, AlertState current, double value, Instant at) {
        if (!Double.isFinite(value)) {
            return new Step(current, Transition.NONE); // a missing sample neither starts nor ends anything
        }
        boolean breached = rule.comparison().breaches(value, rule.threshold());
        if (current instanceof AlertState.Firing firing) {
            if (rule.comparison().recovered(value, rule.recovery())) {
                return new Step(AlertState.INACTIVE, Transition.RESOLVED);
            }
            return new Step(new AlertState.Firing(firing.since(), value), Transition.STILL_FIRING);
        }
        if (current instanceof AlertState.Pending pending) {
            if (!breached) {
                return new Step(AlertState.INACTIVE, Transition.CANCELLED);
            }
            if (held(pending.since(), at, rule.forDuration())) {
                return new Step(new AlertState.Firing(at, value), Transition.FIRING);
            }
            return new Step(new AlertState.Pending(pending.since(), value), Transition.NONE);
        }
        if (!breached) {
            return new Step(AlertState.INACTIVE, Transition.NONE);
        }
        if (rule.forDuration().isZero()) {
            return new Step(new AlertState.Firing(at, value), Transition.FIRING);
        }
        return new Step(new AlertState.Pending(at, value), Transition.PENDING);
    }

    private static boolean held(Instant since, Instant at, Duration forDuration) {
        return !at.isBefore(since.plus(forDuration));
    }
}
