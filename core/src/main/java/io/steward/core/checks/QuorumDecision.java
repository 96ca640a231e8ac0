package io.steward.core.checks;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A check's state combined over its vantages, with what the API and the alerts show.
 *
 * @param judging how many vantages' votes counted
 * @param failingVantages the vantages voting down, in input order
 * @param failingAddresses the distinct IP addresses the failing vantages reached (or failed to), in input order
 * @param vantages every vantage's own view
 */
public record QuorumDecision(CheckState state, int judging, List<String> failingVantages,
        List<String> failingAddresses, List<Verdict> vantages) {
    public QuorumDecision {
        requireNonNull(state, "state is null");
        failingVantages = List.copyOf(failingVantages);
        failingAddresses = List.copyOf(failingAddresses);
        vantages = List.copyOf(vantages);
    }

    /** One vantage's standing, as the API's {@code vantages[]} lists it. */
    public record Verdict(String serverId, VantageState state, @Nullable FailureReason reason,
            @Nullable Double latencyMillis, @Nullable String address) {
        public Verdict {
            requireNonNull(serverId, "serverId is null");
            requireNonNull(state, "state is null");
        }
    }
}
