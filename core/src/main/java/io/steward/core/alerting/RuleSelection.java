package io.steward.core.alerting;

import io.steward.core.metrics.SeriesName;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses the rules that apply to one series of one server: for each severity, the covering rule with the most
 * specific scope wins; at equal scope a rule naming the series' label beats one for every label; then the lowest id
 * (so the choice is stable). A winning rule that is disabled means "no check of this severity here".
 */
public final class RuleSelection {
    private static final Comparator<AlertRule> PRECEDENCE = Comparator
            .comparingInt((AlertRule rule) -> rule.scope().specificity())
            .thenComparingInt(rule -> rule.target().labelName() == null ? 0 : 1)
            .thenComparing(AlertRule::id, Comparator.reverseOrder());

    private RuleSelection() {}

    /** The enabled winners among {@code rules} for {@code series} of {@code server}, at most one per severity. */
    public static List<AlertRule> applicable(List<AlertRule> rules, ServerFacts server, SeriesName series) {
        List<AlertRule> winners = new ArrayList<>(Severity.values().length);
        for (Severity severity : Severity.values()) {
            AlertRule best = null;
            for (AlertRule rule : rules) {
                if (rule.severity() == severity && rule.matches(series) && rule.scope().covers(server)
                        && (best == null || PRECEDENCE.compare(rule, best) > 0)) {
                    best = rule;
                }
            }
            if (best != null && best.enabled()) {
                winners.add(best);
            }
        }
        return winners;
    }
}
