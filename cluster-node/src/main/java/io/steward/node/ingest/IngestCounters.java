package io.steward.node.ingest;

import io.steward.core.protocol.ErrorCode;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** What the agent endpoint has seen since the node started; exposed at {@code /api/node}. */
public final class IngestCounters {
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

    void stored(boolean isNew) {
        (isNew ? reportsStored : reportsDuplicate).incrementAndGet();
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
