package io.steward.node.ingest;

import io.prometheus.metrics.core.metrics.Histogram;
import io.steward.core.protocol.ErrorCode;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the agent endpoint has seen since the node started; exposed at {@code /api/node} and {@code /metrics}. The ack
 * latency is a Prometheus histogram of its own (registered by the node's metrics, in no global registry): a frame's
 * arrival to its ack being sent, which is the store's batched write plus the connection's queueing.
 */
public final class IngestCounters {
    /** Bucket bounds in seconds: a warm store acks in 1–5 ms, a busy one in tens to hundreds. */
    private static final double[] ACK_BUCKETS =
            {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final Histogram ackLatency = Histogram.builder()
            .name("steward_ingest_ack_seconds")
            .help("Time from a report frame's arrival to its ack (stored durably), seconds")
            .classicOnly()
            .classicUpperBounds(ACK_BUCKETS)
            .build();
    private final AtomicLong connectionsOpened = new AtomicLong();
    private final AtomicLong connectionsOpen = new AtomicLong();
    private final AtomicLong reportsStored = new AtomicLong();
    private final AtomicLong reportsDuplicate = new AtomicLong();
    private final AtomicLong reportsClockSkewed = new AtomicLong();
    private final AtomicLong welcomedWithoutEntity = new AtomicLong();
    private final AtomicLongArray errors = new AtomicLongArray(ErrorCode.values().length);

    void connectionOpened() {
        connectionsOpened.incrementAndGet();
        connectionsOpen.incrementAndGet();
    }

    void connectionClosed() {
        connectionsOpen.decrementAndGet();
    }

    /** A report is stored (or was already: a duplicate) and acked, {@code latencyNanos} after it arrived. */
    void acknowledged(boolean isNew, long latencyNanos) {
        (isNew ? reportsStored : reportsDuplicate).incrementAndGet();
        ackLatency.observe(latencyNanos / 1e9);
    }

    /** Time from a report's arrival to its ack. */
    public Histogram ackLatency() {
        return ackLatency;
    }

    void welcomeWithoutEntity() {
        welcomedWithoutEntity.incrementAndGet();
    }

    /** Agents welcomed before their server's entity answered (a failover was moving it). */
    public long welcomedWithoutEntity() {
        return welcomedWithoutEntity.get();
    }

    void clockSkewed() {
        reportsClockSkewed.incrementAndGet();
    }

    /** Reports stamped in the future beyond the allowed skew, stored at receive time instead. */
    public long reportsClockSkewed() {
        return reportsClockSkewed.get();
    }

    void error(ErrorCode code) {
        errors.incrementAndGet(code.ordinal());
    }

    public long errors(ErrorCode code) {
        return errors.get(code.ordinal());
    }

    public long reportsStored() {
        return reportsStored.get();
    }

    public long reportsDuplicate() {
        return reportsDuplicate.get();
    }

    public long connectionsOpen() {
        return connectionsOpen.get();
    }

    public long connectionsOpened() {
        return connectionsOpened.get();
    }

    /** A snapshot for JSON output. */
    public Map<ErrorCode, Long> errorCounts() {
        Map<ErrorCode, Long> counts = new EnumMap<>(ErrorCode.class);
        for (ErrorCode code : ErrorCode.values()) {
            counts.put(code, errors.get(code.ordinal()));
        }
        return counts;
    }
}
