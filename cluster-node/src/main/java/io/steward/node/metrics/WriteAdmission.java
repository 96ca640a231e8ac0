package io.steward.node.metrics;

import java.time.Duration;

/**
 * Whether the metric writer takes one more report: not while the reports already queued would take longer than
 * {@code maxWait} to write at the rate recent batches were written. A queue bounded only by its count (20,000) let
 * acknowledgements wait 20-30 s on an H2 node under 1,000 agents enrolling at once — past the agents' 25 s ack
 * timeout, so they reconnected and replayed their spools on top of the load, and the node collapsed. A refused
 * report is answered UNAVAILABLE at once; its agent backs off and sends it again (nothing is lost), and what is
 * accepted is acknowledged within about {@code maxWait}. (CoDel's idea: judge a queue by how long it makes work wait.)
 *
 * <p>Thread-safe: writes are offered from many connections while the writer's thread measures batches. The bound is
 * approximate: the check and the queue's offer are two steps, so concurrent writers may pass it together (a few
 * reports over); the queue's count still bounds memory.
 */
final class WriteAdmission {
    /** Weight of the newest batch in the rate: about the last ten batches count. */
    private static final double WEIGHT = 0.2;

    private final double maxWaitSeconds;
    private final int floor;
    /** Reports written per second of batch time, smoothed; 0 until a batch was measured. */
    private double reportsPerSecond;

    /**
     * @param maxWait how long an accepted report may expect to wait for its batch
     * @param floor queued reports always admitted (a batch's worth), however slow the last batches were
     */
    WriteAdmission(Duration maxWait, int floor) {
        this.maxWaitSeconds = maxWait.toNanos() / 1e9;
        this.floor = floor;
    }

    /** A batch of {@code reports} took {@code nanos} from its start to its commit. */
    synchronized void written(int reports, long nanos) {
        if (reports <= 0 || nanos <= 0) {
            return;
        }
        double rate = reports / (nanos / 1e9);
        reportsPerSecond = reportsPerSecond == 0 ? rate : WEIGHT * rate + (1 - WEIGHT) * reportsPerSecond;
    }

    /** Whether one more report may join the {@code queued} ones. */
    synchronized boolean admits(int queued) {
        return queued < floor || reportsPerSecond == 0 || queued < reportsPerSecond * maxWaitSeconds;
    }

    /** How long the {@code queued} reports are expected to take, for the refusal's message. */
    synchronized Duration expectedWait(int queued) {
        return reportsPerSecond == 0 ? Duration.ZERO : Duration.ofMillis((long) (queued / reportsPerSecond * 1000));
    }
}
