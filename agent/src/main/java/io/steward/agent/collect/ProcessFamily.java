package io.steward.agent.collect;

import io.steward.core.protocol.MetricsReport.ProcessInfo;
import io.steward.core.protocol.MetricsReport.ProcessStats;
import java.util.List;

/** The process collector's seam: counts and the top processes each cycle, the full list on request. */
interface ProcessFamily extends Collector<ProcessStats> {
    /** How many processes the next cycles list per ranking. */
    void top(int top);

    /** Every process of the latest collection, heaviest CPU first. */
    List<ProcessInfo> all();
}
