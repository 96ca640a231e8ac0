package io.steward.core.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steward.core.alerting.AlertEvaluation.Step;
import io.steward.core.alerting.AlertEvaluation.Transition;
import io.steward.core.metrics.SeriesName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertingTest {
    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");
    private static final SeriesName CPU = SeriesName.of("cpu.percent");
    private static final SeriesName ROOT = SeriesName.of("disk.percent", "mount", "/");
    private static final SeriesName BACKUP = SeriesName.of("disk.percent", "mount", "/backup");
    private static final ServerFacts WEB = new ServerFacts("web-1", "production", List.of("nginx"));

    private static AlertRule rule(String id, SeriesName target, double threshold, double recovery, Duration forDuration,
            Severity severity, Scope scope, boolean enabled) {
        return new AlertRule(id, "rule " + id, target, Comparison.ABOVE, threshold, recovery, forDuration, severity,
                scope, enabled);
    }

    private static AlertRule cpuAbove90For(Duration forDuration) {
        return rule("cpu", CPU, 90, 80, forDuration, Severity.WARNING, new Scope.Global(), true);
    }

    /** Feeds values one second apart and collects the transitions that are facts. */
    private static List<Transition> run(AlertRule rule, double... values) {
        AlertState state = AlertState.INACTIVE;
        List<Transition> facts = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            Step step = AlertEvaluation.evaluate(rule, state, values[i], T.plusSeconds(i));
            state = step.next();
            if (step.transition() != Transition.NONE && step.transition() != Transition.STILL_FIRING) {
                facts.add(step.transition());
            }
        }
        return facts;
    }

    @Test
    void aRuleWithoutForFiresOnTheFirstBreach() {
        assertThat(run(cpuAbove90For(Duration.ZERO), 50, 95, 96, 40))
                .containsExactly(Transition.FIRING, Transition.RESOLVED);
    }

    @Test
    void theConditionMustHoldForTheWholeForDuration() {
        AlertRule rule = cpuAbove90For(Duration.ofSeconds(3));
        // Breach at 1 s, 2 s, then a dip: cancelled; a new breach at 4 s holds until 7 s = 3 s later: fires.
        assertThat(run(rule, 50, 95, 95, 60, 95, 95, 95, 95))
                .containsExactly(Transition.PENDING, Transition.CANCELLED, Transition.PENDING, Transition.FIRING);
    }

    @Test
    void firingAtTheEndOfForReportsWhenItFired() {
        AlertRule rule = cpuAbove90For(Duration.ofSeconds(2));
        Step pending = AlertEvaluation.evaluate(rule, AlertState.INACTIVE, 95, T);
        Step stillPending = AlertEvaluation.evaluate(rule, pending.next(), 96, T.plusSeconds(1));
        Step fired = AlertEvaluation.evaluate(rule, stillPending.next(), 97, T.plusSeconds(2));
        assertThat(stillPending.next()).isEqualTo(new AlertState.Pending(T, 96));
        assertThat(fired.next()).isEqualTo(new AlertState.Firing(T.plusSeconds(2), 97));
    }

    @Test
    void hysteresisKeepsAWobblingValueFromFlapping() {
        // Fires above 90; values between 80 and 90 keep it firing; only <= 80 resolves.
        assertThat(run(cpuAbove90For(Duration.ZERO), 91, 89, 91, 85, 90, 81, 80, 91))
                .containsExactly(Transition.FIRING, Transition.RESOLVED, Transition.FIRING);
    }

    @Test
    void belowRulesMirrorAboveRules() {
        AlertRule lowMemory = new AlertRule("free", "free memory", SeriesName.of("memory.available.percent"),
                Comparison.BELOW, 10, 15, Duration.ZERO, Severity.CRITICAL, new Scope.Global(), true);
        assertThat(run(lowMemory, 20, 9, 12, 15)).containsExactly(Transition.FIRING, Transition.RESOLVED);
    }

    @Test
    void aMissingValueChangesNothing() {
        AlertRule rule = cpuAbove90For(Duration.ZERO);
        AlertState firing = new AlertState.Firing(T, 95);
        assertThat(AlertEvaluation.evaluate(rule, firing, Double.NaN, T.plusSeconds(1)))
                .isEqualTo(new Step(firing, Transition.NONE));
    }

    @Test
    void theMostSpecificScopeWinsPerSeverity() {
        AlertRule global = rule("a-global", CPU, 90, 80, Duration.ZERO, Severity.WARNING, new Scope.Global(), true);
        AlertRule group = rule("b-group", CPU, 85, 80, Duration.ZERO, Severity.WARNING,
                new Scope.Group("production"), true);
        AlertRule tag = rule("c-tag", CPU, 80, 70, Duration.ZERO, Severity.WARNING, new Scope.Tag("nginx"), true);
        AlertRule server = rule("d-server", CPU, 99, 90, Duration.ZERO, Severity.WARNING,
                new Scope.Server("web-1"), true);
        AlertRule critical = rule("e-critical", CPU, 98, 90, Duration.ZERO, Severity.CRITICAL, new Scope.Global(), true);
        AlertRule otherServer = rule("f-other", CPU, 10, 5, Duration.ZERO, Severity.WARNING,
                new Scope.Server("db-1"), true);

        assertThat(RuleSelection.applicable(List.of(global, group, tag, server, critical, otherServer), WEB, CPU))
                .containsExactly(server, critical);
        assertThat(RuleSelection.applicable(List.of(global, group, tag, critical), WEB, CPU))
                .containsExactly(tag, critical);
        assertThat(RuleSelection.applicable(List.of(global, group), WEB, CPU)).containsExactly(group);
        assertThat(RuleSelection.applicable(List.of(global, otherServer), WEB, CPU)).containsExactly(global);
    }

    @Test
    void aDisabledSpecificRuleSwitchesTheCheckOffForItsScope() {
        AlertRule global = rule("global", CPU, 90, 80, Duration.ZERO, Severity.WARNING, new Scope.Global(), true);
        AlertRule off = rule("off", CPU, 90, 80, Duration.ZERO, Severity.WARNING, new Scope.Server("web-1"), false);
        assertThat(RuleSelection.applicable(List.of(global, off), WEB, CPU)).isEmpty();
        assertThat(RuleSelection.applicable(List.of(global, off), new ServerFacts("db-1", null, null), CPU))
                .containsExactly(global);
    }

    @Test
    void aRuleWithoutLabelCoversEverySeriesAndALabelledOneBeatsItAtEqualScope() {
        AlertRule anyDisk = rule("any", SeriesName.of("disk.percent"), 90, 88, Duration.ZERO, Severity.CRITICAL,
                new Scope.Global(), true);
        AlertRule backup = rule("backup", BACKUP, 98, 95, Duration.ZERO, Severity.CRITICAL, new Scope.Global(), true);
        assertThat(RuleSelection.applicable(List.of(anyDisk, backup), WEB, ROOT)).containsExactly(anyDisk);
        assertThat(RuleSelection.applicable(List.of(anyDisk, backup), WEB, BACKUP)).containsExactly(backup);
        assertThat(RuleSelection.applicable(List.of(anyDisk, backup), WEB, CPU)).isEmpty();
    }

    @Test
    void rulesRefuseNonsenseWithAReason() {
        assertThatThrownBy(() -> rule("x", CPU, 90, 95, Duration.ZERO, Severity.WARNING, new Scope.Global(), true))
                .hasMessageContaining("safe side");
        assertThatThrownBy(() -> rule("x", CPU, 90, 80, Duration.ofDays(2), Severity.WARNING, new Scope.Global(),
                true)).hasMessageContaining("for must be");
        assertThatThrownBy(() -> rule("x", CPU, Double.NaN, 80, Duration.ZERO, Severity.WARNING, new Scope.Global(),
                true)).hasMessageContaining("finite");
        assertThatThrownBy(() -> new AlertRule("x", " ", CPU, Comparison.ABOVE, 90, 80, Duration.ZERO,
                Severity.WARNING, new Scope.Global(), true)).hasMessageContaining("name");
    }

    @Test
    void defaultsCoverCpuMemoryEveryFilesystemAndOffline() {
        List<AlertRule> defaults = DefaultRules.all();
        assertThat(RuleSelection.applicable(defaults, WEB, BACKUP)).singleElement()
                .satisfies(rule -> assertThat(rule.severity()).isEqualTo(Severity.CRITICAL));
        assertThat(RuleSelection.applicable(defaults, WEB, CPU)).singleElement()
                .satisfies(rule -> assertThat(rule.forDuration()).isEqualTo(Duration.ofMinutes(5)));
        assertThat(RuleSelection.applicable(defaults, WEB, SeriesName.of(AlertRule.SERVER_OFFLINE))).hasSize(1);
        assertThat(defaults.get(2).condition()).isEqualTo("disk.percent > 90");
    }
}
