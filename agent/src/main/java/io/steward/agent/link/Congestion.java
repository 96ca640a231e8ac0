package io.steward.agent.link;

import java.time.Duration;

/**
 * How many reports may be in flight on a connection: TCP's congestion control applied to reports. A connection starts
 * with a few and adds one per acknowledgement (slow start) up to the configured window; a report the node refuses for
 * now (UNAVAILABLE: its store is behind) or an acknowledgement slower than {@code slowAck} halves it, at most once per
 * {@code hold}, and below the halving point it grows by one per window's worth of acknowledgements. Unlike TCP, the
 * answers to reports already in flight at a cut may cut again (a second later): in an overload they come 5-15 s late,
 * and waiting for reports written after the cut (TCP's recovery point) let the worst 10 s p99 reach 21 s in the storm
 * bench, against 7.0-7.4 s with the hold (one run vs two, results/overload-2026-12-03.txt). Without any of it, 1,000
 * agents replaying their spools after an overload each kept a full window (128) in flight: acks waited 8-15 s, refused
 * reports were resent at once and decoded again, and an H2 node took five minutes to recover. In steady operation
 * (one report per interval) the window is never the limit.
 */
final class Congestion {
    /** Reports in flight on a new connection: what the node can take is learnt again on each. */
    static final int INITIAL = 4;

    private final int maximum;
    private final long slowAckNanos;
    private final long holdNanos;
    private double window;
    private double threshold;
    private long lastDecreaseNanos;
    private boolean decreased;

    /**
     * @param maximum the configured window ({@code AgentSettings.window}): never more in flight than this
     * @param slowAck an acknowledgement that took longer means the node is overloaded even without refusing
     * @param hold one decrease per this long (a whole window refused at once counts once)
     */
    Congestion(int maximum, Duration slowAck, Duration hold) {
        this.maximum = maximum;
        this.slowAckNanos = slowAck.toNanos();
        this.holdNanos = hold.toNanos();
        restart();
    }

    /** A new connection. */
    void restart() {
        window = Math.min(INITIAL, maximum);
        threshold = maximum;
        decreased = false;
    }

    /** A report was acknowledged {@code latencyNanos} after it was written. */
    void acknowledged(long latencyNanos, long nowNanos) {
        if (latencyNanos > slowAckNanos) {
            decrease(nowNanos);
            return;
        }
        window = Math.min(maximum, window < threshold ? window + 1 : window + 1 / window);
    }

    /** The node refused a report for now. */
    void refused(long nowNanos) {
        decrease(nowNanos);
    }

    private void decrease(long nowNanos) {
        if (decreased && nowNanos - lastDecreaseNanos < holdNanos) {
            return;
        }
        decreased = true;
        lastDecreaseNanos = nowNanos;
        threshold = Math.max(1, window / 2);
        window = threshold;
    }

    /** How many reports may be in flight now (at least one). */
    int window() {
        return Math.max(1, (int) window);
    }
}
