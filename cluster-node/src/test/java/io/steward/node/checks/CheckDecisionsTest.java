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
     * A freeze of the node (a suspended VM) leaves the results sent meanwhile unread, and the node reads each
     * connection's oldest first: a result ages by this process's running time, not the wall clock's, so the others'
     * still count and the first connection read does not decide alone. A limit of running time after the freeze, a
     * vantage quiet since before it abstains as usual.
     */
    @Test
    void aResultAgesOnlyWhileTheNodeRunsSoAFreezeLeavesTheOtherVantagesJudging() {
        state = apply(judge(List.of(down("a", 3), up("b"), up("c")), false));
        assertThat(state.state()).isEqualTo(CheckState.PARTIAL);
        Instant woke = NOW.plus(Duration.ofMinutes(10));
        // The watch saw one pause, from NOW to woke: the part of it after a time is how long the node stood still since.
        Function<Instant, Duration> stoodStill = since -> since.isBefore(NOW) ? Duration.ofMinutes(10)
                : since.isBefore(woke) ? Duration.between(since, woke) : Duration.ZERO;
        // a's newest result is read first; b's and c's oldest unread ones began a minute into the freeze.
        VantageTally aReadFirst = down("a", 3).record(failure(woke.minusSeconds(1)));
        List<VantageTally> onWaking = List.of(aReadFirst, up("b").record(success(NOW.plus(Duration.ofMinutes(1)))),
                up("c").record(success(NOW.plus(Duration.ofMinutes(1)))));

        CheckDecisions.Judgement judged = CheckDecisions.judge(ID, state, onWaking, woke, false, RULES, stoodStill);
        assertThat(judged.state()).isEqualTo(CheckState.PARTIAL);
        assertThat(judged.decision().judging()).isEqualTo(3);
        assertThat(judged.events()).isEmpty();
        assertThat(CheckDecisions.judge(ID, state, onWaking, woke, false, RULES, since -> Duration.ZERO).state())
                .as("counting the pause, b and c abstain and a alone calls it down").isEqualTo(CheckState.DOWN);
        assertThat(CheckDecisions.judge(ID, state, List.of(aReadFirst, up("b"), up("c")), woke, false, RULES,
                stoodStill).decision().judging()).as("results from before the freeze count too").isEqualTo(3);

        // b and c quiet since before the freeze; a's result began 1 s before the wake, 1 s short of its limit.
        Instant later = woke.plus(Quorum.staleAfter(SPEC.definition())).minusSeconds(2);
        CheckDecisions.Judgement quiet = CheckDecisions.judge(ID, state, List.of(aReadFirst, up("b"), up("c")), later,
                false, RULES, stoodStill);
        assertThat(quiet.decision().judging()).as("b and c quiet for a limit of running time").isOne();
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

    private static CheckResult success(Instant startedAt) {
        return new CheckResult(ID, startedAt, ProbeOutcome.UP, null, null, new PhaseTimings(1.0, 2.0, null, 3.0, 20.0),
                200, "192.0.2.1", null, List.of(), List.of());
    }

    private static CheckResult failure(Instant startedAt) {
        return new CheckResult(ID, startedAt, ProbeOutcome.DOWN, FailureReason.CONNECT_REFUSED, "connection refused",
                new PhaseTimings(1.0, null, null, null, 2.0), null, "192.0.2.7", null, List.of(), List.of());
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
