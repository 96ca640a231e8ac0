package io.steward.agent.link;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.steward.core.protocol.MetricsReport;
import io.steward.core.protocol.WireFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's spool on disk: append-only segment files ({@link SegmentLog}, one {@link SpoolLine} per report) plus
 * a small state file with the acknowledgement watermark ({@link SpoolStateFile}); on opening, the index is rebuilt
 * from the files by {@link SegmentRecovery}. This class keeps the accounting: which sequences are pending,
 * acknowledged or dropped, and which segments may go.
 *
 * <p>Appends are forced to disk before {@link #append} returns (write-ahead: a report is never sent before it is
 * durable). A segment is deleted once every report in it is acknowledged, or when the bounds drop it: oldest
 * segment first, whole segments, never the one being written. The state file is forced to disk before any segment
 * is deleted, so the next sequence can never go back below a deleted report. Acknowledgements above the watermark
 * (out of order) are kept in memory; the link's window keeps them few.
 */
public final class DiskSpool implements Spool {
    private static final Logger log = LoggerFactory.getLogger(DiskSpool.class);

    static final String STATE_FILE = SpoolStateFile.NAME;
    static final long MINIMUM_SEGMENT_BYTES = 4 << 10;
    static final long MAXIMUM_SEGMENT_BYTES = 1 << 20;

    private final Path directory;
    private final SpoolBounds bounds;
    private final Clock clock;
    private final SpoolStateFile stateFile;
    private final SegmentLog segments;
    /** Acknowledged or rejected sequences above the watermark. */
    private final TreeSet<Long> settledAbove = new TreeSet<>();
    private long watermark;
    private long nextSequence;
    private long unreportedDrops;
    private long droppedCount;
    private int pendingCount;
    private boolean closed;

    private DiskSpool(Path directory, SpoolBounds bounds, Clock clock, SpoolStateFile stateFile,
            SpoolStateFile.Saved saved, SegmentLog segments) {
        this.directory = directory;
        this.bounds = bounds;
        this.clock = clock;
        this.stateFile = stateFile;
        this.segments = segments;
        this.watermark = saved.acknowledged();
        this.unreportedDrops = saved.unreportedDrops();
    }

    /** Opens (or creates) the spool in {@code directory}, replaying what a previous process left. */
    public static DiskSpool open(Path directory, SpoolBounds bounds) throws IOException {
        return open(directory, bounds, Clock.systemUTC(), defaultSegmentBytes(bounds.maxBytes()));
    }

    static DiskSpool open(Path directory, SpoolBounds bounds, Clock clock, long segmentBytes) throws IOException {
        requireNonNull(directory, "directory is null");
        requireNonNull(bounds, "bounds is null");
        requireNonNull(clock, "clock is null");
        Files.createDirectories(directory);
        SpoolStateFile stateFile = new SpoolStateFile(directory, clock);
        SpoolStateFile.Saved saved = stateFile.read();
        List<Segment> recovered = SegmentRecovery.recover(directory, saved.acknowledged());
        DiskSpool spool = new DiskSpool(directory, bounds, clock, stateFile, saved,
                new SegmentLog(directory, segmentBytes, recovered));
        spool.countRecovered(recovered);
        return spool;
    }

    /** Segments small enough that dropping one is a small step within the bound, large enough to be few. */
    static long defaultSegmentBytes(long maxBytes) {
        return Math.max(MINIMUM_SEGMENT_BYTES, Math.min(MAXIMUM_SEGMENT_BYTES, maxBytes / 16));
    }

    // ------------------------------------------------------------------------------------------------ the contract

    @Override
    public synchronized long append(MetricsReport report) throws IOException {
        ensureOpen();
        long sequence = nextSequence;
        long carried = unreportedDrops;
        MetricsReport stamped = Spool.withDroppedReports(report, report.droppedReports() + carried);
        String json;
        try {
            json = WireFormat.mapper().writeValueAsString(stamped);
        } catch (JsonProcessingException e) {
            throw new IOException("cannot encode the report", e);
        }
        segments.append(new SpoolLine(sequence, report.collectedAt().toEpochMilli(), carried, json));
        nextSequence++;
        pendingCount++;
        if (carried > 0) {
            unreportedDrops = 0;
            writeState(false);
        }
        enforceBounds();
        return sequence;
    }

    @Override
    public synchronized SpooledReport next(long fromSequence) throws IOException {
        ensureOpen();
        while (true) {
            SpoolPosition position = firstPendingAtLeast(Math.max(fromSequence, watermark + 1));
            if (position == null) {
                return null;
            }
            SpoolLine line = segments.read(position);
            if (line != null) {
                return new SpooledReport(position.sequence(), line.json());
            }
            // Damaged since it was written: it can never be sent, so it counts as dropped; look again.
            settle(position.sequence(), true);
        }
    }

    @Override
    public synchronized long firstPendingSequence() {
        SpoolPosition position = firstPendingAtLeast(watermark + 1);
        return position == null ? nextSequence : position.sequence();
    }

    @Override
    public synchronized long nextSequence() {
        return nextSequence;
    }

    @Override
    public synchronized void acknowledge(long sequence) throws IOException {
        ensureOpen();
        settle(sequence, false);
    }

    @Override
    public synchronized void reject(long sequence) throws IOException {
        ensureOpen();
        settle(sequence, true);
    }

    @Override
    public synchronized boolean rebaseAbove(long floor) throws IOException {
        ensureOpen();
        if (floor < firstPendingSequence()) {
            return false;
        }
        long base = Math.max(floor, nextSequence - 1);
        List<SpoolPosition> pending = new ArrayList<>();
        for (SpoolPosition position = segments.firstAtLeast(watermark + 1); position != null;
                position = position.following()) {
            if (!settledAbove.contains(position.sequence())) {
                pending.add(position);
            }
        }
        List<Segment> rewritten = segments.writeRenumbered(pending, base + 1);
        int renumbered = rewritten.stream().mapToInt(segment -> segment.count).sum();
        // From here on the old segments only hold sequences <= base: the new watermark covers them.
        long previousWatermark = watermark;
        watermark = base;
        nextSequence = base + 1 + renumbered;
        settledAbove.clear();
        writeState(true);
        segments.replaceWith(rewritten);
        pendingCount = renumbered;
        DurableFiles.syncDirectory(directory);
        log.warn("Spool renumbered: [{}] pending reports now start at sequence [{}] (the node already stored up to "
                + "[{}]; acknowledged watermark was [{}])", renumbered, base + 1, floor, previousWatermark);
        return true;
    }

    @Override
    public synchronized int pendingCount() {
        return pendingCount;
    }

    @Override
    public synchronized long droppedCount() {
        return droppedCount;
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public synchronized void flush() throws IOException {
        if (closed) {
            return;
        }
        segments.force();
        writeState(true);
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            flush();
        } finally {
            closed = true;
            segments.close();
        }
    }

    /** Bytes of all segment files; for tests and diagnostics. */
    synchronized long totalBytes() {
        return segments.totalBytes();
    }

    /** Number of segment files; for tests. */
    synchronized int segmentCount() {
        return segments.count();
    }

    // ------------------------------------------------------------------------------------------------ settling

    private SpoolPosition firstPendingAtLeast(long sequence) {
        SpoolPosition position = segments.firstAtLeast(sequence);
        while (position != null && settledAbove.contains(position.sequence())) {
            position = position.following();
        }
        return position;
    }

    private void settle(long sequence, boolean rejected) throws IOException {
        if (sequence <= watermark || sequence >= nextSequence) {
            return;
        }
        SpoolPosition position = segments.exactly(sequence);
        if (position == null || !settledAbove.add(sequence)) {
            return;
        }
        pendingCount--;
        if (rejected) {
            droppedCount++;
            unreportedDrops += 1 + position.carriedDrops();
            stateFile.markDirty();
        }
        advanceWatermark();
        deleteSettledSegments();
        if (stateFile.dirty()) {
            writeState(false);
        }
    }

    private void advanceWatermark() {
        SpoolPosition position = segments.firstAtLeast(watermark + 1);
        while (position != null && settledAbove.remove(position.sequence())) {
            watermark = position.sequence();
            stateFile.markDirty();
            position = position.following();
        }
    }

    private void deleteSettledSegments() throws IOException {
        boolean stateForced = false;
        for (Segment oldest = segments.oldest(); oldest != null; oldest = segments.oldest()) {
            if (segments.isActive(oldest) || (oldest.count > 0 && oldest.lastSequence() > watermark)) {
                return;
            }
            if (!stateForced) {
                writeState(true);
                stateForced = true;
            }
            segments.delete(oldest);
        }
    }

    // ------------------------------------------------------------------------------------------------ bounds

    private void enforceBounds() throws IOException {
        long cutoff = clock.millis() - bounds.maxAge().toMillis();
        for (Segment oldest = segments.oldest(); oldest != null && !segments.isActive(oldest);
                oldest = segments.oldest()) {
            boolean tooOld = oldest.newestCollectedAtMillis < cutoff;
            boolean tooBig = segments.totalBytes() > bounds.maxBytes();
            if (!tooOld && !tooBig) {
                return;
            }
            drop(oldest, tooOld ? "older than the spool's maximum age" : "over the spool's size limit");
        }
    }

    private void drop(Segment segment, String why) throws IOException {
        int dropped = 0;
        for (int i = 0; i < segment.count; i++) {
            long sequence = segment.sequences[i];
            if (sequence > watermark && !settledAbove.contains(sequence)) {
                dropped++;
                unreportedDrops += 1 + segment.carried[i];
            }
        }
        droppedCount += dropped;
        pendingCount -= dropped;
        if (segment.count > 0 && segment.lastSequence() > watermark) {
            watermark = segment.lastSequence();
            settledAbove.headSet(watermark, true).clear();
        }
        advanceWatermark();
        writeState(true);
        segments.delete(segment);
        if (dropped > 0) {
            log.warn("Dropped [{}] unacknowledged reports (sequences up to [{}]): {} (bounds: {})", dropped,
                    watermark, why, bounds);
        }
    }

    // ------------------------------------------------------------------------------------------------ opening

    /** Counts what {@link SegmentRecovery} found, then applies the bounds to it. */
    private void countRecovered(List<Segment> recovered) throws IOException {
        long highest = watermark;
        for (Segment segment : recovered) {
            highest = Math.max(highest, segment.lastSequence());
            for (int i = 0; i < segment.count; i++) {
                if (segment.sequences[i] > watermark) {
                    pendingCount++;
                }
            }
        }
        nextSequence = highest + 1;
        enforceBounds();
        if (pendingCount > 0) {
            log.info("Spool in [{}] holds [{}] unacknowledged reports from an earlier run (sequences [{}]..[{}])",
                    directory, pendingCount, firstPendingSequence(), nextSequence - 1);
        }
    }

    private void writeState(boolean force) throws IOException {
        stateFile.write(new SpoolStateFile.Saved(watermark, unreportedDrops), force);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("spool is closed");
        }
    }
}
