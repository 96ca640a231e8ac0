package io.steward.core.checks;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What the node remembers of one vantage for one check: its latest result and how many attempts in a row failed.
 * Immutable; each result gives a new tally.
 *
 * @param consecutiveFailures failed attempts in a row up to the latest (0 after a success)
 * @param referenceReachable whether the vantage can reach its own reference (its node, or a configured reference
 *     URL); a vantage that cannot abstains instead of voting down
 */
public record VantageTally(String vantage, @Nullable CheckResult latest, int consecutiveFailures,
        boolean referenceReachable) {
    public VantageTally {
        requireNonNull(vantage, "vantage is null");
        if (consecutiveFailures < 0) {
            throw new IllegalArgumentException("consecutiveFailures must not be negative");
        }
    }

    /** A vantage with no result yet. */
    public static VantageTally empty(String vantage) {
        return new VantageTally(vantage, null, 0, true);
    }

    /** The tally after {@code result}; an older result than the latest (a late delivery) changes nothing. */
    public VantageTally record(CheckResult result) {
        if (latest != null && result.startedAt().isBefore(latest.startedAt())) {
            return this;
        }
        return new VantageTally(vantage, result, result.up() ? 0 : consecutiveFailures + 1, referenceReachable);
    }

    public VantageTally withReferenceReachable(boolean reachable) {
        return new VantageTally(vantage, latest, consecutiveFailures, reachable);
    }

    /**
     * The vantage's state at {@code now}: it votes down after more than {@code retries} failures in a row, and
     * abstains when its reference is unreachable or its latest result started more than {@code staleAfter} ago.
     */
    public VantageState state(int retries, Instant now, Duration staleAfter) {
        if (latest == null) {
            return referenceReachable ? VantageState.PENDING : VantageState.ABSTAINED;
        }
        if (!referenceReachable || latest.startedAt().plus(staleAfter).isBefore(now)) {
            return VantageState.ABSTAINED;
        }
        if (latest.up()) {
            return VantageState.UP;
        }
        return consecutiveFailures > retries ? VantageState.DOWN : VantageState.RETRYING;
    }
}
