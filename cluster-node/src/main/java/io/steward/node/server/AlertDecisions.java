package io.steward.node.server;

import io.steward.core.alerting.AlertEvaluation;
import io.steward.core.alerting.AlertRule;
import io.steward.core.alerting.AlertState;
import io.steward.core.alerting.RuleSelection;
import io.steward.core.alerting.ServerFacts;
import io.steward.core.metrics.SeriesName;
import io.steward.node.alerting.ActiveAlert;
import io.steward.node.alerting.AlertSubject;
import io.steward.node.alerting.RuleSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Turns samples into alert transitions for one server, without an actor: every applicable rule runs over every
 * sample through core's {@link AlertEvaluation}; what changed becomes an {@link AlertEvent}.
 */
public final class AlertDecisions {
    private AlertDecisions() {}

    /**
     * The alert transitions {@code samples} cause. Alerts whose rule no longer applies resolve; an alert whose series
     * is missing resolves only if this evaluation {@code owns} that series (a metric report owns the metric series, a
     * service check the service series; the offline check owns only what it carries).
     *
     * @param measuredAt when the samples were taken (the agent's clock); {@code now} stamps the events
     */
    public static List<AlertEvent> evaluate(RuleSource.Rules rules, ServerFacts facts, AlertBook alerts,
            Map<String, Double> samples, Instant measuredAt, Instant now, Predicate<String> owns,
            AlertSubject subject) {
        List<AlertEvent> events = new ArrayList<>();
        Set<String> evaluated = new HashSet<>();
        for (Map.Entry<String, Double> sample : samples.entrySet()) {
            String seriesText = sample.getKey();
            int brace = seriesText.indexOf('{');
            if (!rules.metrics().contains(brace < 0 ? seriesText : seriesText.substring(0, brace))) {
                continue; // no rule mentions this metric: skip the parse
            }
            SeriesName series = SeriesName.parse(seriesText);
            double value = sample.getValue();
            for (AlertRule rule : RuleSelection.applicable(rules.all(), facts, series)) {
                String key = ActiveAlert.key(rule.id(), seriesText);
                evaluated.add(key);
                ActiveAlert existing = alerts.get(key);
                AlertEvaluation.Step step = AlertEvaluation.evaluate(rule,
                        existing == null ? AlertState.INACTIVE : existing.toState(), value, measuredAt);
                switch (step.transition()) {
                    case PENDING -> events.add(new AlertEvent.Pending(
                            ActiveAlert.of(rule, seriesText, ActiveAlert.Phase.PENDING, measuredAt, value),
                            subject, now));
                    case FIRING -> events.add(new AlertEvent.Fired(
                            ActiveAlert.of(rule, seriesText, ActiveAlert.Phase.FIRING, measuredAt, value)
                                    .withAcknowledgement(existing == null ? null : existing.acknowledged()),
                            subject, now));
                    case CANCELLED -> events.add(new AlertEvent.Cancelled(existing, value, now));
                    case RESOLVED -> events.add(new AlertEvent.Resolved(existing, value, "recovered", subject, now));
                    case NONE, STILL_FIRING -> { } // no news
                }
            }
        }
        for (ActiveAlert alert : alerts.active().values()) {
            if (evaluated.contains(alert.key())
                    || (!samples.containsKey(alert.series()) && !owns.test(alert.series()))) {
                continue;
            }
            String reason = samples.containsKey(alert.series())
                    ? "rule no longer applies" : "series no longer reported";
            events.add(alert.phase() == ActiveAlert.Phase.FIRING
                    ? new AlertEvent.Resolved(alert, Double.NaN, reason, subject, now)
                    : new AlertEvent.Cancelled(alert, Double.NaN, now));
        }
        return events;
    }
}
