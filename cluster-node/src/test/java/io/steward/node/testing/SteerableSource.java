package io.steward.node.testing;

import io.steward.agent.ReportSource;
import io.steward.core.protocol.MetricsReport;
import io.steward.core.testing.Reports;
import java.time.Instant;

/** Reports whose CPU value the test sets, to drive alert rules across their thresholds. */
public final class SteerableSource implements ReportSource {
    private final String hostname;
    private final long intervalMillis;
    private volatile double cpuPercent;

    public SteerableSource(String hostname, long intervalMillis, double cpuPercent) {
        this.hostname = hostname;
        this.intervalMillis = intervalMillis;
        this.cpuPercent = cpuPercent;
    }

    public void cpu(double percent) {
        this.cpuPercent = percent;
    }

    @Override
    public MetricsReport collect() {
        return Reports.report(hostname, Instant.now(), cpuPercent, intervalMillis);
    }
}
