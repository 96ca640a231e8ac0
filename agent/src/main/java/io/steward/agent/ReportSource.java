package io.steward.agent;

import io.steward.core.protocol.MetricsReport;

/**
 * Where an agent's reports come from: the OSHI collector on a real machine, a synthetic source in simulations and
 * tests. Called once per interval from one thread at a time.
 *
 * <p>A source may throw to skip a cycle (the agent logs it and tries again at the next interval); no sequence
 * number is used up by a skipped cycle. The agent fills in {@code intervalMillis} (its configured interval) and
 * {@code droppedReports} (its spool's count) itself, so sources need not know either.
 */
@FunctionalInterface
public interface ReportSource {
    MetricsReport collect();

    /** Every process as of the latest collection, for the full process list (empty where a source has none). */
    default java.util.List<MetricsReport.ProcessInfo> allProcesses() {
        return java.util.List.of();
    }

    /**
     * How many processes the next reports list by CPU and by memory (each), changed on a config reload; already
     * checked against {@link AgentSettings#checkTopProcesses}. Sources that list no processes ignore it.
     */
    default void topProcesses(int count) {}
}
