package io.steward.node.alerting;

import io.steward.core.alerting.AlertRule;
import io.steward.core.alerting.DefaultRules;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The alert rules in force, read by every server entity on every report: so it must answer at once from memory
 * (an immutable snapshot), never from the database.
 */
@FunctionalInterface
public interface RuleSource {
    Rules rules();

    /** A snapshot of the rules, with the metrics they mention so unrelated series are skipped cheaply. */
    record Rules(List<AlertRule> all, Set<String> metrics) {
        public Rules {
            all = List.copyOf(all);
            metrics = Set.copyOf(metrics);
        }

        public static Rules of(List<AlertRule> rules) {
            return new Rules(rules, rules.stream().map(rule -> rule.target().metric()).collect(Collectors.toSet()));
        }
    }

    RuleSource NONE = () -> Rules.of(List.of());

    RuleSource DEFAULTS = fixed(Stream.of(DefaultRules.all(), DefaultRules.services(), DefaultRules.backups(),
            DefaultRules.checks())
            .flatMap(List::stream).toList());

    static RuleSource fixed(List<AlertRule> rules) {
        Rules snapshot = Rules.of(rules);
        return () -> snapshot;
    }
}
