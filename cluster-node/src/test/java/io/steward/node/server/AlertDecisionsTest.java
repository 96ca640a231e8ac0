package io.steward.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.alerting.AlertRule;
import io.steward.core.alerting.Comparison;
import io.steward.core.alerting.Scope;
import io.steward.core.alerting.ServerFacts;
import io.steward.core.alerting.Severity;
import io.steward.core.metrics.SeriesName;
import io.steward.node.alerting.ActiveAlert;
import io.steward.node.alerting.AlertSubject;
import io.steward.node.alerting.RuleSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Samples into alert transitions, without an actor system. */
class AlertDecisionsTest {
    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
    private static final AlertRule DISK = new AlertRule("disk-full", "Disk full", SeriesName.of("disk.percent"),
            Comparison.ABOVE, 90, 85, Duration.ZERO, Severity.CRITICAL, new Scope.Global(), true);
    private static final RuleSource.Rules RULES = RuleSource.Rules.of(List.of(DISK));
    private static final ServerFacts FACTS = new ServerFacts("web-1", "production", List.of("eu"));
    private static final AlertSubject SUBJECT = new AlertSubject("Web", "production", List.of("eu"));
    private static final String ROOT = "disk.percent{mount=/}";

    private static List<AlertEvent> evaluate(RuleSource.Rules rules, AlertBook book, Map<String, Double> samples,
            boolean ownsMissing) {
        return AlertDecisions.evaluate(rules, FACTS, book, samples, T, T, series -> ownsMissing, SUBJECT);
    }

    private static AlertBook firing(String series) {
        ActiveAlert alert = ActiveAlert.of(DISK, series, ActiveAlert.Phase.FIRING, T.minusSeconds(60), 95);
        return new AlertBook(Map.of(alert.key(), alert));
    }

    @Test
    void aBreachFiresEachLabelledSeriesOnItsOwnWithTheSubjectAsItWasNamed() {
        List<AlertEvent> events = evaluate(RULES, AlertBook.NONE,
                Map.of(ROOT, 95.0, "disk.percent{mount=/var}", 40.0, "cpu.percent", 99.0), true);
        assertThat(events).singleElement().isInstanceOfSatisfying(AlertEvent.Fired.class, fired -> {
            assertThat(fired.alert().series()).isEqualTo(ROOT);
            assertThat(fired.subject()).isEqualTo(SUBJECT);
        });
    }

    @Test
    void aFiringAlertResolvesOnlyPastItsRecoveryValue() {
        assertThat(evaluate(RULES, firing(ROOT), Map.of(ROOT, 88.0), true)).isEmpty();
        assertThat(evaluate(RULES, firing(ROOT), Map.of(ROOT, 80.0), true)).singleElement()
                .isInstanceOfSatisfying(AlertEvent.Resolved.class,
                        resolved -> assertThat(resolved.reason()).isEqualTo("recovered"));
    }

    @Test
    void aMissingSeriesResolvesOnlyWhenThisEvaluationSpeaksForIt() {
        assertThat(evaluate(RULES, firing(ROOT), Map.of(), false)).isEmpty();
        assertThat(evaluate(RULES, firing(ROOT), Map.of(), true)).singleElement()
                .isInstanceOfSatisfying(AlertEvent.Resolved.class,
                        resolved -> assertThat(resolved.reason()).isEqualTo("series no longer reported"));
    }

    @Test
    void aRuleThatNoLongerAppliesResolvesItsAlert() {
        assertThat(evaluate(RuleSource.Rules.of(List.of()), firing(ROOT), Map.of(ROOT, 95.0), true))
                .singleElement().isInstanceOfSatisfying(AlertEvent.Resolved.class,
                        resolved -> assertThat(resolved.reason()).isEqualTo("rule no longer applies"));
    }
}
