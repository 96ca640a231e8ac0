package io.steward.node.ingest;

/**
 * A token bucket per connection: {@code perSecond} reports on average, bursts of up to {@code burst} (an agent
 * sending its spool after an outage). Time is passed in, so the rule is tested without a clock.
 */
final class ReportRate {
    private final double perSecond;
    private final double burst;
    private double tokens;
    private long lastNanos;

    ReportRate(double perSecond, int burst, long nowNanos) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("steward.ingest.max-reports-per-second and report-burst must be > 0");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    /** Whether one more report may pass now; takes its token if so. */
    boolean tryAcquire(long nowNanos) {
        long elapsed = Math.max(0, nowNanos - lastNanos);
        lastNanos = nowNanos;
        tokens = Math.min(burst, tokens + elapsed * perSecond / 1_000_000_000.0);
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
