package io.steward.agent.link;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.steward.core.protocol.MetricsReport;
import io.steward.core.protocol.WireFormat;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded spool in memory, for simulated agents: same contract as {@link DiskSpool} but nothing survives a restart
 * (sequences start at 1 again and the node's {@code lastStoredSequence} moves them on).
 */
public final class MemorySpool implements Spool {
    private static final Logger log = LoggerFactory.getLogger(MemorySpool.class);

    private record Entry(String json, long collectedAtMillis, long carriedDrops) {}

    private final SpoolBounds bounds;
    private final Clock clock;
    private final TreeMap<Long, Entry> pending = new TreeMap<>();
    private long nextSequence = 1;
    private long totalChars;
    private long unreportedDrops;
    private long droppedCount;

    public MemorySpool(SpoolBounds bounds) {
        this(bounds, Clock.systemUTC());
    }

    public MemorySpool(SpoolBounds bounds, Clock clock) {
        this.bounds = requireNonNull(bounds, "bounds is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public synchronized long append(MetricsReport report) throws IOException {
        long carried = unreportedDrops;
        MetricsReport stamped = Spool.withDroppedReports(report, report.droppedReports() + carried);
        String json;
        try {
            json = WireFormat.mapper().writeValueAsString(stamped);
        } catch (JsonProcessingException e) {
            throw new IOException("cannot encode the report", e);
        }
        long sequence = nextSequence++;
        pending.put(sequence, new Entry(json, report.collectedAt().toEpochMilli(), carried));
        totalChars += json.length();
        unreportedDrops = 0;
        enforceBounds();
        return sequence;
    }

    @Override
    public synchronized SpooledReport next(long fromSequence) {
        Map.Entry<Long, Entry> entry = pending.ceilingEntry(fromSequence);
        return entry == null ? null : new SpooledReport(entry.getKey(), entry.getValue().json());
    }

    @Override
    public synchronized long firstPendingSequence() {
        return pending.isEmpty() ? nextSequence : pending.firstKey();
    }

    @Override
    public synchronized long nextSequence() {
        return nextSequence;
    }

    @Override
    public synchronized void acknowledge(long sequence) {
        Entry removed = pending.remove(sequence);
        if (removed != null) {
            totalChars -= removed.json().length();
        }
    }

    @Override
    public synchronized void reject(long sequence) {
        Entry removed = pending.remove(sequence);
        if (removed != null) {
            totalChars -= removed.json().length();
            countDropped(removed);
        }
    }

    @Override
    public synchronized boolean rebaseAbove(long floor) {
        if (floor < firstPendingSequence()) {
            return false;
        }
        long sequence = Math.max(floor, nextSequence - 1) + 1;
        TreeMap<Long, Entry> renumbered = new TreeMap<>();
        for (Entry entry : pending.values()) {
            renumbered.put(sequence++, entry);
        }
        pending.clear();
        pending.putAll(renumbered);
        nextSequence = sequence;
        return true;
    }

    @Override
    public synchronized int pendingCount() {
        return pending.size();
    }

    @Override
    public synchronized long droppedCount() {
        return droppedCount;
    }

    @Override
    public boolean durable() {
        return false;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    private void enforceBounds() {
        long cutoff = clock.millis() - bounds.maxAge().toMillis();
        int dropped = 0;
        // Characters approximate bytes closely enough for a bound on JSON text.
        while (!pending.isEmpty()
                && (totalChars > bounds.maxBytes() || pending.firstEntry().getValue().collectedAtMillis() < cutoff)) {
            Map.Entry<Long, Entry> oldest = pending.pollFirstEntry();
            totalChars -= oldest.getValue().json().length();
            countDropped(oldest.getValue());
            dropped++;
        }
        if (dropped > 0) {
            log.debug("In-memory spool over its bounds: dropped [{}] oldest reports", dropped);
        }
    }

    private void countDropped(Entry entry) {
        droppedCount++;
        unreportedDrops += 1 + entry.carriedDrops();
    }
}
