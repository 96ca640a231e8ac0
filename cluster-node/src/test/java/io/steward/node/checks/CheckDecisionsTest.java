package io.steward.node.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.checks.CertificateInfo;
import io.steward.core.checks.CheckDefinition;
import io.steward.core.checks.CheckResult;
import io.steward.core.checks.CheckState;
import io.steward.core.checks.FailureReason;
import io.steward.core.checks.PhaseTimings;
import io.steward.core.checks.ProbeOutcome;
import io.steward.core.checks.Quorum;
import io.steward.core.checks.VantageTally;
import io.steward.node.alerting.ActiveAlert;
import io.steward.node.alerting.RuleSource;
import io.steward.node.server.AlertEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class CheckDecisionsTest {
    private static final String ID = "homepage-abc123";
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final RuleSource.Rules RULES = RuleSource.DEFAULTS.rules();
    private static final CheckSpec SPEC = new CheckSpec(CheckDefinition.Http.get("Homepage", "https://site.test/"),
            "Public");

    private CheckEntityState state = CheckEntityState.EMPTY.apply(new CheckEvent.Defined(SPEC, true, "admin", NOW));

    @Test
    void threeHealthyVantagesAreUpAndNothingAlerts() {
        CheckDecisions.Judgement judgement = judge(List.of(up("a"), up("b"), up("c")), false);
        assertThat(judgement.state()).isEqualTo(CheckState.UP);
        assertThat(judgement.samples()).containsEntry("url.down{check=" + ID + "}", 0.0);
        assertThat(fired(judgement)).isEmpty();
        assertThat(judgement.latencyMillis()).isEqualTo(20.0);
    }

    @Test
    void aMajorityFailingBeyondItsRetriesIsDownAndFiresOneCriticalAlert() {
        // Two retries: the second failure in a row still counts as up (retrying), the third votes down.
        CheckDecisions.Judgement retrying = judge(List.of(down("a", 2), down("b", 2), up("c")), false);
        assertThat(retrying.state()).isEqualTo(CheckState.UP);
        CheckDecisions.Judgement judgement = judge(List.of(down("a", 3), down("b", 3), up("c")), false);
        assertThat(judgement.state()).isEqualTo(CheckState.DOWN);
        assertThat(judgement.decision().failingVantages()).containsExactly("a", "b");
        assertThat(fired(judgement)).containsExactly("default-url-down");
        state = apply(judgement);
        assertThat(fired(judge(List.of(down("a", 4), down("b", 4), up("c")), false))).as("no second alert").isEmpty();
        CheckDecisions.Judgement recovered = judge(List.of(up("a"), up("b"), up("c")), false);
        assertThat(recovered.events()).anyMatch(event -> event instanceof CheckEvent.Alerted alerted
                && alerted.alert() instanceof AlertEvent.Resolved);
    }

    @Test
    void oneFailingVantageOfThreeIsPartialAndNamed() {
        CheckDecisions.Judgement judgement = judge(List.of(down("a", 3), up("b"), up("c")), false);
        assertThat(judgement.state()).isEqualTo(CheckState.PARTIAL);
        assertThat(judgement.decision().failingVantages()).containsExactly("a");
        assertThat(judgement.decision().failingAddresses()).containsExactly("192.0.2.7");
        assertThat(fired(judgement)).containsExactly("default-url-partial");
    }

    @Test
    void aVantageThatCannotReachItsReferenceAbstainsInsteadOfVotingDown() {
        VantageTally cutOff = down("a", 5).withReferenceReachable(false);
        CheckDecisions.Judgement judgement = judge(List.of(cutOff, up("b"), up("c")), false);
        assertThat(judgement.state()).isEqualTo(CheckState.UP);
        assertThat(judgement.decision().judging()).isEqualTo(2);
        assertThat(fired(judgement)).isEmpty();
    }

    @Test
    void whenEveryVantageGoesQuietADownCheckStaysDown() {
        state = apply(judge(List.of(down("a", 3), down("b", 3)), false));
        assertThat(state.state()).isEqualTo(CheckState.DOWN);
        CheckDecisions.Judgement quiet = CheckDecisions.judge(ID, state,
                List.of(down("a", 3).withReferenceReachable(false), down("b", 3).withReferenceReachable(false)),
                NOW.plus(Duration.ofMinutes(1)), false, RULES, since -> Duration.ZERO);
        assertThat(quiet.state()).isEqualTo(CheckState.DOWN);
        assertThat(quiet.events()).isEmpty();
    }

    /**
     * A freeze of the node (a suspended VM) leaves the results of meanwhile unread behind the first one read on
     * waking: the others' results age by this process's running time, not the wall clock's, so they still count and
     * the first result read does not decide alone. Once a limit of running time has passed after the freeze, a
     * vantage quiet since then abstains as usual.
     */
    @Test
    void aResultAgesOnlyWhileTheNodeRunsSoAFreezeLeavesTheOtherVantagesJudging() {
        state = apply(judge(List.of(down("a", 3), up("b"), up("c")), false));
        assertThat(state.state()).isEqualTo(CheckState.PARTIAL);
        Duration frozen = Duration.ofMinutes(10);
        Instant woke = NOW.plus(frozen);
        // The watch saw one pause of 10 min, from NOW: only what began before it ran across it.
        Function<Instant, Duration> stoodStill = since -> since.isAfter(NOW) ? Duration.ZERO : frozen;
        VantageTally aReadFirst = down("a", 3).record(new CheckResult(ID, woke.minusSeconds(1), ProbeOutcome.DOWN,
                FailureReason.CONNECT_REFUSED, "connection refused", new PhaseTimings(1.0, null, null, null, 2.0),
                null, "192.0.2.7", null, List.of(), List.of()));
        List<VantageTally> tallies = List.of(aReadFirst, up("b"), up("c"));

        CheckDecisions.Judgement onWaking = CheckDecisions.judge(ID, state, tallies, woke, false, RULES, stoodStill);
        assertThat(onWaking.state()).isEqualTo(CheckState.PARTIAL);
        assertThat(onWaking.decision().judging()).isEqualTo(3);
        assertThat(onWaking.events()).isEmpty();
        assertThat(CheckDecisions.judge(ID, state, tallies, woke, false, RULES, since -> Duration.ZERO).state())
                .as("counting the pause, b and c abstain and a alone calls it down").isEqualTo(CheckState.DOWN);

        // b and c began 5 s before the freeze; a, 1 s before the wake: 2 s short of a's limit, b's and c's passed.
        Instant later = woke.plus(Quorum.staleAfter(SPEC.definition())).minusSeconds(2);
        CheckDecisions.Judgement quietSince = CheckDecisions.judge(ID, state, tallies, later, false, RULES, stoodStill);
        assertThat(quietSince.decision().judging()).as("b and c quiet for a limit of running time").isOne();
    }

    @Test
    void insideAMaintenanceWindowTheStateChangesButNothingFires() {
        CheckDecisions.Judgement judgement = judge(List.of(down("a", 3), down("b", 3)), true);
        assertThat(judgement.state()).isEqualTo(CheckState.MAINTENANCE);
        assertThat(judgement.events()).anyMatch(event -> event instanceof CheckEvent.StateChanged changed
                && changed.to() == CheckState.DOWN);
        assertThat(fired(judgement)).isEmpty();
        state = apply(judgement);
        assertThat(fired(judge(List.of(down("a", 4), down("b", 4)), false))).as("fires once the window closes")
                .containsExactly("default-url-down");
    }

    @Test
    void anExpiringCertificateWarnsAtItsThresholdWithTheDayCount() {
        CertificateInfo expiring = certificate("AA", "CN=Test CA", NOW.plus(Duration.ofDays(5)));
        CheckDecisions.Judgement judgement = judge(List.of(up("a", expiring)), false);
        assertThat(judgement.samples()).containsEntry("cert.days_left{check=" + ID + "}", 5.0);
        assertThat(judgement.events()).anyMatch(event -> event instanceof CheckEvent.CertificateExpiring warned
                && warned.threshold() == 7 && warned.daysLeft() == 5);
        assertThat(fired(judgement)).containsExactly("default-cert-expiring");
        state = apply(judgement);
        assertThat(judge(List.of(up("a", expiring)), false).events()).as("warned once per threshold").isEmpty();
    }

    @Test
    void aCertificateFromAnotherIssuerIsAnUnexpectedChangeButARenewalIsNot() {
        state = apply(judge(List.of(up("a", certificate("AA", "CN=CA One", NOW.plus(Duration.ofDays(60))))), false));
        CheckDecisions.Judgement renewed = judge(List.of(up("a",
                certificate("BB", "CN=CA One", NOW.plus(Duration.ofDays(90))))), false);
        assertThat(renewed.events()).anyMatch(event -> event instanceof CheckEvent.CertificateSeen seen
                && !seen.unexpected() && "AA".equals(seen.previousFingerprint()));
        assertThat(fired(renewed)).isEmpty();
        state = apply(renewed);
        CheckDecisions.Judgement replaced = judge(List.of(up("a",
                certificate("CC", "CN=Someone Else", NOW.plus(Duration.ofDays(90))))), false);
        assertThat(replaced.events()).anyMatch(event -> event instanceof CheckEvent.CertificateSeen seen
                && seen.unexpected());
        assertThat(fired(replaced)).containsExactly("default-cert-changed");
    }

    @Test
    void vantagesServedDifferentCertificatesAreFlagged() {
        Instant expiry = NOW.plus(Duration.ofDays(60));
        CheckDecisions.Judgement judgement = judge(List.of(up("a", certificate("AA", "CN=CA", expiry)),
                up("b", certificate("BB", "CN=CA", expiry))), false);
        assertThat(judgement.mismatch()).isTrue();
        assertThat(judgement.events()).anyMatch(event -> event instanceof CheckEvent.CertificatesDisagree disagree
                && disagree.fingerprints().containsAll(List.of("AA", "BB")));
        assertThat(fired(judgement)).containsExactly("default-cert-mismatch");
    }

    private CheckDecisions.Judgement judge(List<VantageTally> tallies, boolean maintenance) {
        return CheckDecisions.judge(ID, state, tallies, NOW, maintenance, RULES, since -> Duration.ZERO);
    }

    private CheckEntityState apply(CheckDecisions.Judgement judgement) {
        CheckEntityState next = state;
        for (CheckEvent event : judgement.events()) {
            next = next.apply(event);
        }
        return next;
    }

    private static List<String> fired(CheckDecisions.Judgement judgement) {
        List<String> rules = new ArrayList<>();
        for (CheckEvent event : judgement.events()) {
            if (event instanceof CheckEvent.Alerted alerted && alerted.alert() instanceof AlertEvent.Fired fired) {
                ActiveAlert alert = fired.alert();
                rules.add(alert.ruleId());
            }
        }
        return rules;
    }

    private static VantageTally up(String vantage, CertificateInfo... certificates) {
        return VantageTally.empty(vantage).record(new CheckResult(ID, NOW.minusSeconds(5), ProbeOutcome.UP, null,
                null, new PhaseTimings(1.0, 2.0, null, 3.0, 20.0), 200, "192.0.2.1", null, List.of(certificates),
                List.of()));
    }

    /** A vantage whose last {@code failures} attempts failed. */
    private static VantageTally down(String vantage, int failures) {
        VantageTally tally = VantageTally.empty(vantage);
        for (int i = failures; i >= 1; i--) {
            tally = tally.record(new CheckResult(ID, NOW.minusSeconds(5L * i), ProbeOutcome.DOWN,
                    FailureReason.CONNECT_REFUSED, "connection refused", new PhaseTimings(1.0, null, null, null, 2.0),
                    null, "192.0.2.7", null, List.of(), List.of()));
        }
        return tally;
    }

    private static CertificateInfo certificate(String fingerprint, String issuer, Instant notAfter) {
        return new CertificateInfo("https://site.test/", "192.0.2.1", "CN=site.test", issuer,
                NOW.minus(Duration.ofDays(30)), notAfter, notAfter, fingerprint, true, null);
    }
}
