package io.steward.node.testing;

import io.steward.agent.ReportSource;
import io.steward.core.protocol.MetricsReport;
import io.steward.core.testing.Reports;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A report source that counts what it produced and can be paused, so a durability test knows exactly how many
 * reports the agent made and can stop production before checking that every one of them was stored.
 */
public final class CountingSource implements ReportSource {
    private final String hostname;
    private final long intervalMillis;
    private final AtomicInteger produced = new AtomicInteger();
    private final AtomicBoolean paused = new AtomicBoolean();

    public CountingSource(String hostname, long intervalMillis) {
        this.hostname = hostname;
        this.intervalMillis = intervalMillis;
    }

    @Override
    public MetricsReport collect() {
        if (paused.get()) {
            throw new IllegalStateException("paused by the test");
        }
        int number = produced.incrementAndGet();
        return Reports.report(hostname, Instant.now(), number % 100, intervalMillis);
    }

    public int produced() {
        return produced.get();
    }

    public void pause() {
        paused.set(true);
    }

    public void resume() {
        paused.set(false);
    }
}
