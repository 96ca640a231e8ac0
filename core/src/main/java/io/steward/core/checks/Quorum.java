package io.steward.core.checks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Combines a check's vantages into one state: <b>down</b> when a strict majority of the vantages that can judge vote
 * down, <b>partial</b> when some do, <b>up</b> when none does, <b>pending</b> when none can judge. Abstaining and
 * pending vantages are left out of the count, so one server losing its network never turns a site down: with three
 * vantages of which one abstains, both others must fail.
 */
public final class Quorum {
    /** Results older than this many intervals (plus the timeout) mean the vantage stopped reporting. */
    public static final int STALE_INTERVALS = 3;

    private Quorum() {}

    /** When a vantage's latest result counts as stale for {@code definition}. */
    public static Duration staleAfter(CheckDefinition definition) {
        return definition.interval().multipliedBy(STALE_INTERVALS).plus(definition.timeout());
    }

    public static QuorumDecision decide(List<VantageTally> tallies, CheckDefinition definition, Instant now) {
        return decide(tallies, definition.retries(), now, staleAfter(definition));
    }

    public static QuorumDecision decide(List<VantageTally> tallies, int retries, Instant now, Duration staleAfter) {
        return decide(tallies, retries, now, tally -> staleAfter);
    }

    /** As above, with each vantage's own staleness limit (the judge may have stood still since its latest result). */
    public static QuorumDecision decide(List<VantageTally> tallies, int retries, Instant now,
            Function<VantageTally, Duration> staleAfter) {
        int judging = 0;
        List<String> failing = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        List<QuorumDecision.Verdict> verdicts = new ArrayList<>();
        for (VantageTally tally : tallies) {
            VantageState state = tally.state(retries, now, staleAfter.apply(tally));
            CheckResult latest = tally.latest();
            verdicts.add(new QuorumDecision.Verdict(tally.vantage(), state,
                    latest == null ? null : latest.reason(),
                    latest == null || !state.judges() ? null : latest.timings().totalMillis(),
                    latest == null ? null : latest.resolvedAddress()));
            if (state.judges()) {
                judging++;
            }
            if (state == VantageState.DOWN) {
                failing.add(tally.vantage());
                String address = latest.resolvedAddress();
                if (address != null && !addresses.contains(address)) {
                    addresses.add(address);
                }
            }
        }
        CheckState state;
        if (judging == 0) {
            state = CheckState.PENDING;
        } else if (failing.size() * 2 > judging) {
            state = CheckState.DOWN;
        } else if (!failing.isEmpty()) {
            state = CheckState.PARTIAL;
        } else {
            state = CheckState.UP;
        }
        return new QuorumDecision(state, judging, failing, addresses, verdicts);
    }
}
