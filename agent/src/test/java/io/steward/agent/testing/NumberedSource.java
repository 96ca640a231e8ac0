package io.steward.agent.testing;

import io.steward.agent.ReportSource;
import io.steward.core.protocol.MetricsReport;
import io.steward.core.testing.Reports;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/** Produces reports numbered 1, 2, 3... (in the CPU percent) and counts them. */
public final class NumberedSource implements ReportSource {
    private final AtomicInteger produced;

    public NumberedSource() {
        this(0);
    }

    /** Continues numbering after {@code alreadyProduced}, as a restarted agent's source would. */
    public NumberedSource(int alreadyProduced) {
        this.produced = new AtomicInteger(alreadyProduced);
    }

    @Override
    public MetricsReport collect() {
        return Reports.numbered(produced.incrementAndGet(), Instant.now());
    }

    public int produced() {
        return produced.get();
    }
}
