package io.steward.core.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The quorum over vantages: retries counted per vantage, abstentions left out, a strict majority for down. */
class QuorumTest {
    private static final Instant T0 = Instant.parse("2026-12-10T12:00:00Z");
    private static final Duration STALE = Duration.ofMinutes(3);
    private static final int RETRIES = 2;

    private static CheckResult up(Instant at) {
        return new CheckResult("c1", at, ProbeOutcome.UP, null, null,
                new PhaseTimings(1.0, 2.0, 3.0, 4.0, 12.5), 200, "192.0.2.1", null, null, null);
    }

    private static CheckResult down(Instant at, String address) {
        return new CheckResult("c1", at, ProbeOutcome.DOWN, FailureReason.CONNECT_REFUSED, "refused",
                new PhaseTimings(1.0, null, null, null, 1.5), null, address, null, null, null);
    }

    /** A vantage whose last {@code failures} attempts failed, the latest at T0. */
    private static VantageTally failing(String vantage, int failures) {
        VantageTally tally = VantageTally.empty(vantage).record(up(T0.minusSeconds(60L * (failures + 1))));
        for (int i = failures - 1; i >= 0; i--) {
            tally = tally.record(down(T0.minusSeconds(60L * i), "192.0.2." + (vantage.length())));
        }
        return tally;
    }

    private static VantageTally healthy(String vantage) {
        return VantageTally.empty(vantage).record(up(T0));
    }

    private static QuorumDecision decide(VantageTally... tallies) {
        return Quorum.decide(List.of(tallies), RETRIES, T0, STALE);
    }

    @Test
    void aSingleVantageIsDownOnlyAfterItsRetries() {
        assertThat(decide(healthy("a")).state()).isEqualTo(CheckState.UP);
        assertThat(decide(failing("a", 1)).state()).isEqualTo(CheckState.UP);
        assertThat(decide(failing("a", 2)).state()).isEqualTo(CheckState.UP);
        assertThat(decide(failing("a", 2)).vantages().get(0).state()).isEqualTo(VantageState.RETRYING);
        QuorumDecision down = decide(failing("a", 3));
        assertThat(down.state()).isEqualTo(CheckState.DOWN);
        assertThat(down.failingVantages()).containsExactly("a");
        assertThat(down.vantages().get(0).reason()).isEqualTo(FailureReason.CONNECT_REFUSED);
        // With retries 0 the first failure counts.
        assertThat(Quorum.decide(List.of(failing("a", 1)), 0, T0, STALE).state()).isEqualTo(CheckState.DOWN);
    }

    @Test
    void aSuccessResetsTheCountAndALateOlderResultChangesNothing() {
        VantageTally tally = failing("a", 2).record(up(T0.plusSeconds(60)));
        assertThat(tally.consecutiveFailures()).isZero();
        tally = tally.record(down(T0.plusSeconds(120), "x"));
        assertThat(tally.consecutiveFailures()).isEqualTo(1);
        assertThat(tally.record(down(T0, "x"))).isSameAs(tally);
    }

    @Test
    void twoVantagesSplitArePartialNotDown() {
        QuorumDecision split = decide(healthy("a"), failing("bb", 3));
        assertThat(split.state()).isEqualTo(CheckState.PARTIAL);
        assertThat(split.judging()).isEqualTo(2);
        assertThat(split.failingVantages()).containsExactly("bb");
        assertThat(split.failingAddresses()).containsExactly("192.0.2.2");
        assertThat(decide(failing("a", 3), failing("bb", 3)).state()).isEqualTo(CheckState.DOWN);
    }

    @Test
    void oneOfThreeFailingIsPartialWithItsNameAndTwoOfThreeIsDown() {
        QuorumDecision one = decide(healthy("a"), healthy("b"), failing("ccc", 3));
        assertThat(one.state()).isEqualTo(CheckState.PARTIAL);
        assertThat(one.failingVantages()).containsExactly("ccc");
        assertThat(decide(healthy("a"), failing("bb", 3), failing("ccc", 3)).state()).isEqualTo(CheckState.DOWN);
    }

    @Test
    void aVantageThatCannotReachItsReferenceAbstainsInsteadOfVotingDown() {
        VantageTally cutOff = failing("ccc", 5).withReferenceReachable(false);
        QuorumDecision decision = decide(healthy("a"), healthy("b"), cutOff);
        assertThat(decision.state()).isEqualTo(CheckState.UP);
        assertThat(decision.judging()).isEqualTo(2);
        assertThat(decision.vantages().get(2).state()).isEqualTo(VantageState.ABSTAINED);
        assertThat(decision.vantages().get(2).latencyMillis()).isNull();
        // With one of three abstaining, one failing of the two left is not a majority.
        assertThat(decide(healthy("a"), failing("bb", 3), cutOff).state()).isEqualTo(CheckState.PARTIAL);
        // ... and both failing is.
        assertThat(decide(failing("a", 3), failing("bb", 3), cutOff).state()).isEqualTo(CheckState.DOWN);
    }

    @Test
    void aVantageWhoseResultsStoppedAbstains() {
        VantageTally silent = VantageTally.empty("a").record(down(T0.minus(STALE).minusSeconds(1), "x"))
                .record(down(T0.minus(STALE).minusSeconds(1), "x")).record(down(T0.minus(STALE).minusSeconds(1), "x"));
        assertThat(decide(silent, healthy("b")).state()).isEqualTo(CheckState.UP);
    }

    @Test
    void withNoJudgingVantageTheCheckIsPending() {
        assertThat(decide().state()).isEqualTo(CheckState.PENDING);
        assertThat(decide(VantageTally.empty("a"), VantageTally.empty("b")).state()).isEqualTo(CheckState.PENDING);
        QuorumDecision allAbstain = decide(failing("a", 3).withReferenceReachable(false),
                healthy("b").withReferenceReachable(false));
        assertThat(allAbstain.state()).isEqualTo(CheckState.PENDING);
        assertThat(allAbstain.judging()).isZero();
        assertThat(VantageTally.empty("c").withReferenceReachable(false).state(RETRIES, T0, STALE))
                .isEqualTo(VantageState.ABSTAINED);
    }

    @Test
    void theStaleLimitFollowsTheDefinition() {
        CheckDefinition.Http http = CheckDefinition.Http.get("a", "https://example.com");
        assertThat(Quorum.staleAfter(http)).isEqualTo(Duration.ofSeconds(190));
        assertThat(Quorum.decide(List.of(failing("a", 3)), http, T0).state()).isEqualTo(CheckState.DOWN);
    }
}
