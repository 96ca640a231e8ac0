package io.steward.agent.link;

import java.time.Duration;

/**
 * How many reports may be in flight on a connection: TCP's congestion control applied to reports. A connection starts
 * with a few and adds one per acknowledgement (slow start) up to the configured window; a report the node refuses for
 * now (UNAVAILABLE: its store is behind) or an acknowledgement slower than {@code slowAck} halves it, and below the
 * halving point it then grows by one per window's worth of acknowledgements. Like TCP's recovery point, only a report
 * written after the last cut can cut again: the answers to what was already in flight at a cut say nothing new.
 * Without it, 1,000 agents replaying their spools after an overload each kept a full window (128) in flight: acks
 * waited 8-15 s, refused reports were resent at once and decoded again, and an H2 node took five minutes to recover. In
 * steady operation (one report per interval) the window is never the limit.
 */
final class Congestion {
    /** Reports in flight on a new connection: what the node can take is learnt again on each. */
    static final int INITIAL = 4;

    private final int maximum;
    private final long slowAckNanos;
    private double window;
    private double threshold;
    /** When the window was last cut ({@code nanoTime}); only a report written after it can cut again. */
    private long lastCutNanos;
    private boolean cut;

    /**
     * @param maximum the configured window ({@code AgentSettings.window}): never more in flight than this
     * @param slowAck an acknowledgement that took longer means the node is overloaded even without refusing
     */
    Congestion(int maximum, Duration slowAck) {
        this.maximum = maximum;
        this.slowAckNanos = slowAck.toNanos();
        restart();
    }

    /** A new connection. */
    void restart() {
        window = Math.min(INITIAL, maximum);
        threshold = maximum;
        cut = false;
    }

    /** A report written at {@code sentNanos} was acknowledged at {@code nowNanos}. */
    void acknowledged(long sentNanos, long nowNanos) {
        if (nowNanos - sentNanos > slowAckNanos) {
            cut(sentNanos, nowNanos);
            return;
        }
        window = Math.min(maximum, window < threshold ? window + 1 : window + 1 / window);
    }

    /** The node refused, for now, a report written at {@code sentNanos}. */
    void refused(long sentNanos, long nowNanos) {
        cut(sentNanos, nowNanos);
    }

    private void cut(long sentNanos, long nowNanos) {
        if (cut && sentNanos - lastCutNanos <= 0) {
            return; // in flight at the last cut: already counted
        }
        cut = true;
        lastCutNanos = nowNanos;
        threshold = Math.max(1, window / 2);
        window = threshold;
    }

    /** How many reports may be in flight now (at least one). */
    int window() {
        return Math.max(1, (int) window);
    }
}
