package io.steward.agent.link;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.steward.core.protocol.MetricsReport;
import io.steward.core.protocol.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's spool on disk: append-only segment files plus a small state file with the acknowledgement watermark.
 *
 * <p>Layout of the spool directory:
 * <ul>
 *   <li>{@code segment-<first sequence>.log}: one report per line,
 *       {@code <sequence> <collectedAt epoch ms> <carried drops> <crc32 hex> <metrics JSON>}; the CRC covers the
 *       line without itself, so a torn or damaged line is recognised and skipped. Each process appends only to
 *       segments it created; a segment rolls over at {@code segmentBytes}.
 *   <li>{@code spool.state}: {@code acknowledged} (every sequence at or below it is acknowledged or dropped) and
 *       {@code unreported-drops}. Written by atomic rename; forced to disk before any segment is deleted, so the next
 *       sequence can never go back below a deleted report.
 * </ul>
 *
 * <p>Appends are forced to disk before {@link #append} returns (write-ahead: a report is never sent before it is
 * durable). A segment is deleted once every report in it is acknowledged, or when the bounds drop it: oldest
 * segment first, whole segments, never the one being written. Acknowledgements above the watermark (out of order)
 * are kept in memory; the link's window keeps them few.
 */
public final class DiskSpool implements Spool {
    private static final Logger log = LoggerFactory.getLogger(DiskSpool.class);

    static final String STATE_FILE = "spool.state";
    private static final String SEGMENT_PREFIX = "segment-";
    private static final String SEGMENT_SUFFIX = ".log";
    private static final String TEMPORARY_SUFFIX = ".tmp";
    static final long MINIMUM_SEGMENT_BYTES = 4 << 10;
    static final long MAXIMUM_SEGMENT_BYTES = 1 << 20;
    /** Watermark-only changes are written at most this often; losing one replays a few acknowledged reports. */
    private static final long STATE_WRITE_INTERVAL_MILLIS = 1000;

    private final Path directory;
    private final SpoolBounds bounds;
    private final Clock clock;
    private final long segmentBytes;
    private final List<Segment> segments = new ArrayList<>();
    /** Acknowledged or rejected sequences above the watermark. */
    private final TreeSet<Long> settledAbove = new TreeSet<>();
    private Segment active;
    private long watermark;
    private long nextSequence;
    private long unreportedDrops;
    private long droppedCount;
    private long totalBytes;
    private int pendingCount;
    private boolean stateDirty;
    private long stateWrittenAtMillis;
    private boolean closed;

    private DiskSpool(Path directory, SpoolBounds bounds, Clock clock, long segmentBytes) {
        this.directory = directory;
        this.bounds = bounds;
        this.clock = clock;
        this.segmentBytes = segmentBytes;
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
        DiskSpool spool = new DiskSpool(directory, bounds, clock, segmentBytes);
        spool.load();
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
        byte[] line = encode(sequence, report.collectedAt().toEpochMilli(), carried, json);
        if (active == null || (active.count > 0 && active.sizeBytes + line.length > segmentBytes)) {
            roll(sequence);
        }
        long offset = active.sizeBytes;
        try {
            writeFully(active.writer, ByteBuffer.wrap(line), offset);
            active.writer.force(false);
        } catch (IOException e) {
            // Cut off whatever part of the line made it, so the segment stays parseable.
            try {
                active.writer.truncate(offset);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        active.add(sequence, offset, line.length - 1, report.collectedAt().toEpochMilli(), carried);
        active.sizeBytes += line.length;
        totalBytes += line.length;
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
            Position position = firstAtLeast(Math.max(fromSequence, watermark + 1));
            while (position != null && settledAbove.contains(position.sequence())) {
                position = position.following();
            }
            if (position == null) {
                return null;
            }
            Record record = read(position);
            if (record != null) {
                return new SpooledReport(position.sequence(), record.json());
            }
            // Damaged since it was written: it can never be sent, so it counts as dropped; look again.
            settle(position.sequence(), true);
        }
    }

    @Override
    public synchronized long firstPendingSequence() {
        Position position = firstAtLeast(watermark + 1);
        while (position != null && settledAbove.contains(position.sequence())) {
            position = position.following();
        }
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
        List<Position> pending = new ArrayList<>();
        for (Position position = firstAtLeast(watermark + 1); position != null; position = position.following()) {
            if (!settledAbove.contains(position.sequence())) {
                pending.add(position);
            }
        }
        List<Segment> rewritten = writeRenumbered(pending, base + 1);
        int renumbered = rewritten.stream().mapToInt(segment -> segment.count).sum();
        // From here on the old segments only hold sequences <= base: the new watermark covers them.
        long previousWatermark = watermark;
        watermark = base;
        nextSequence = base + 1 + renumbered;
        settledAbove.clear();
        writeState(true);
        for (Segment segment : segments) {
            segment.closeChannels();
            Files.deleteIfExists(segment.path);
        }
        segments.clear();
        segments.addAll(rewritten);
        active = null;
        totalBytes = rewritten.stream().mapToLong(segment -> segment.sizeBytes).sum();
        pendingCount = renumbered;
        syncDirectory();
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
        if (active != null) {
            active.writer.force(true);
        }
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
            for (Segment segment : segments) {
                segment.closeChannels();
            }
        }
    }

    /** Bytes of all segment files; for tests and diagnostics. */
    synchronized long totalBytes() {
        return totalBytes;
    }

    /** Number of segment files; for tests. */
    synchronized int segmentCount() {
        return segments.size();
    }

    // ------------------------------------------------------------------------------------------------ settling

    private void settle(long sequence, boolean rejected) throws IOException {
        if (sequence <= watermark || sequence >= nextSequence) {
            return;
        }
        Position position = exactly(sequence);
        if (position == null || !settledAbove.add(sequence)) {
            return;
        }
        pendingCount--;
        if (rejected) {
            droppedCount++;
            unreportedDrops += 1 + position.segment().carried[position.index()];
            stateDirty = true;
        }
        advanceWatermark();
        deleteSettledSegments();
        if (stateDirty) {
            writeState(false);
        }
    }

    private void advanceWatermark() {
        Position position = firstAtLeast(watermark + 1);
        while (position != null && settledAbove.remove(position.sequence())) {
            watermark = position.sequence();
            stateDirty = true;
            position = position.following();
        }
    }

    private void deleteSettledSegments() throws IOException {
        boolean stateForced = false;
        while (!segments.isEmpty()) {
            Segment oldest = segments.get(0);
            if (oldest == active || (oldest.count > 0 && oldest.lastSequence() > watermark)) {
                return;
            }
            if (!stateForced) {
                writeState(true);
                stateForced = true;
            }
            delete(oldest);
        }
    }

    // ------------------------------------------------------------------------------------------------ bounds

    private void enforceBounds() throws IOException {
        long cutoff = clock.millis() - bounds.maxAge().toMillis();
        while (!segments.isEmpty() && segments.get(0) != active) {
            Segment oldest = segments.get(0);
            boolean tooOld = oldest.newestCollectedAtMillis < cutoff;
            boolean tooBig = totalBytes > bounds.maxBytes();
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
        delete(segment);
        if (dropped > 0) {
            log.warn("Dropped [{}] unacknowledged reports (sequences up to [{}]): {} (bounds: {})", dropped,
                    watermark, why, bounds);
        }
    }

    // ------------------------------------------------------------------------------------------------ segments

    private void roll(long firstSequence) throws IOException {
        if (active != null) {
            active.writer.force(true);
            active.seal();
        }
        Path path = directory.resolve(segmentName(firstSequence));
        Segment segment = new Segment(path);
        segment.writer = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        syncDirectory();
        segments.add(segment);
        active = segment;
    }

    private void delete(Segment segment) throws IOException {
        segment.closeChannels();
        Files.deleteIfExists(segment.path);
        segments.remove(segment);
        totalBytes -= segment.sizeBytes;
        if (segment == active) {
            active = null;
        }
    }

    /**
     * Writes renumbered copies of the records at {@code positions} into new sealed segments, atomically renamed into
     * place. Reads one record at a time, so a full spool is rewritten in little memory. Damaged records are left out.
     */
    private List<Segment> writeRenumbered(List<Position> positions, long firstSequence) throws IOException {
        List<Segment> written = new ArrayList<>();
        List<Path> temporaries = new ArrayList<>();
        Segment current = null;
        FileChannel channel = null;
        long sequence = firstSequence;
        try {
            for (Position position : positions) {
                Record record = read(position);
                if (record == null) {
                    continue;
                }
                byte[] line = encode(sequence, record.collectedAtMillis(), record.carriedDrops(), record.json());
                if (current == null || (current.count > 0 && current.sizeBytes + line.length > segmentBytes)) {
                    if (channel != null) {
                        channel.force(true);
                        channel.close();
                    }
                    current = new Segment(directory.resolve(segmentName(sequence)));
                    Path temporary = temporaryOf(current.path);
                    temporaries.add(temporary);
                    channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                    written.add(current);
                }
                writeFully(channel, ByteBuffer.wrap(line), current.sizeBytes);
                current.add(sequence, current.sizeBytes, line.length - 1, record.collectedAtMillis(),
                        record.carriedDrops());
                current.sizeBytes += line.length;
                sequence++;
            }
            if (channel != null) {
                channel.force(true);
                channel.close();
                channel = null;
            }
            for (Segment segment : written) {
                Files.move(temporaryOf(segment.path), segment.path, StandardCopyOption.ATOMIC_MOVE);
                segment.seal();
            }
            return written;
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            for (Path temporary : temporaries) {
                Files.deleteIfExists(temporary);
            }
            throw e;
        }
    }

    private static Path temporaryOf(Path path) {
        return path.resolveSibling(path.getFileName() + TEMPORARY_SUFFIX);
    }

    private static String segmentName(long firstSequence) {
        return String.format("%s%020d%s", SEGMENT_PREFIX, firstSequence, SEGMENT_SUFFIX);
    }

    // ------------------------------------------------------------------------------------------------ positions

    /** A record's place in the index. */
    private record Position(List<Segment> segments, int segmentIndex, int index) {
        Segment segment() {
            return segments.get(segmentIndex);
        }

        long sequence() {
            return segment().sequences[index];
        }

        Position following() {
            if (index + 1 < segment().count) {
                return new Position(segments, segmentIndex, index + 1);
            }
            for (int next = segmentIndex + 1; next < segments.size(); next++) {
                if (segments.get(next).count > 0) {
                    return new Position(segments, next, 0);
                }
            }
            return null;
        }
    }

    private Position firstAtLeast(long sequence) {
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            if (segment.count > 0 && segment.lastSequence() >= sequence) {
                int index = Arrays.binarySearch(segment.sequences, 0, segment.count, sequence);
                return new Position(segments, i, index >= 0 ? index : -index - 1);
            }
        }
        return null;
    }

    private Position exactly(long sequence) {
        Position position = firstAtLeast(sequence);
        return position != null && position.sequence() == sequence ? position : null;
    }

    // ------------------------------------------------------------------------------------------------ lines

    /** One parsed spool line. */
    private record Record(long sequence, long collectedAtMillis, long carriedDrops, String json) {}

    static byte[] encode(long sequence, long collectedAtMillis, long carriedDrops, String json) {
        byte[] prefix = (sequence + " " + collectedAtMillis + " " + carriedDrops).getBytes(UTF_8);
        byte[] body = (" " + json).getBytes(UTF_8);
        CRC32 crc = new CRC32();
        crc.update(prefix);
        crc.update(body);
        byte[] checksum = String.format(" %08x", crc.getValue()).getBytes(UTF_8);
        byte[] line = new byte[prefix.length + checksum.length + body.length + 1];
        System.arraycopy(prefix, 0, line, 0, prefix.length);
        System.arraycopy(checksum, 0, line, prefix.length, checksum.length);
        System.arraycopy(body, 0, line, prefix.length + checksum.length, body.length);
        line[line.length - 1] = '\n';
        return line;
    }

    /** Parses one line (without its newline), or returns null when it is torn or damaged. */
    static Record decode(byte[] bytes, int from, int length) {
        int end = from + length;
        int[] spaces = new int[4];
        int found = 0;
        for (int i = from; i < end && found < 4; i++) {
            if (bytes[i] == ' ') {
                spaces[found++] = i;
            }
        }
        if (found < 4 || spaces[3] - spaces[2] != 9) {
            return null;
        }
        try {
            long sequence = Long.parseLong(new String(bytes, from, spaces[0] - from, UTF_8));
            long collectedAt = Long.parseLong(new String(bytes, spaces[0] + 1, spaces[1] - spaces[0] - 1, UTF_8));
            long carried = Long.parseLong(new String(bytes, spaces[1] + 1, spaces[2] - spaces[1] - 1, UTF_8));
            long checksum = Long.parseLong(new String(bytes, spaces[2] + 1, 8, UTF_8), 16);
            CRC32 crc = new CRC32();
            crc.update(bytes, from, spaces[2] - from);
            crc.update(bytes, spaces[3], end - spaces[3]);
            if (crc.getValue() != checksum || sequence < 1 || carried < 0) {
                return null;
            }
            return new Record(sequence, collectedAt, carried, new String(bytes, spaces[3] + 1, end - spaces[3] - 1,
                    UTF_8));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private Record read(Position position) throws IOException {
        Segment segment = position.segment();
        int length = segment.lengths[position.index()];
        ByteBuffer buffer = ByteBuffer.allocate(length);
        FileChannel channel = segment.reader();
        long offset = segment.offsets[position.index()];
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                break;
            }
        }
        Record record = buffer.hasRemaining() ? null : decode(buffer.array(), 0, length);
        if (record == null || record.sequence() != position.sequence()) {
            log.error("Spool record [{}] in [{}] is damaged; dropping it", position.sequence(), segment.path);
            return null;
        }
        return record;
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    // ------------------------------------------------------------------------------------------------ loading

    private void load() throws IOException {
        readState();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path path : stream) {
                String name = path.getFileName().toString();
                if (name.endsWith(TEMPORARY_SUFFIX)) {
                    Files.deleteIfExists(path); // a renumbering interrupted before its rename: the originals remain
                } else if (name.startsWith(SEGMENT_PREFIX) && name.endsWith(SEGMENT_SUFFIX)) {
                    files.add(path);
                }
            }
        }
        files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        long highest = watermark;
        for (Path file : files) {
            Segment segment = scan(file);
            segment.seal();
            if (segment.count == 0 || segment.lastSequence() <= watermark) {
                Files.deleteIfExists(file);
                continue;
            }
            segments.add(segment);
            totalBytes += segment.sizeBytes;
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

    private Segment scan(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Segment segment = new Segment(file);
        int start = 0;
        long previous = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            Record record = decode(bytes, start, i - start);
            if (record == null || record.sequence() <= previous) {
                log.warn("Skipping a damaged record at byte [{}] of spool segment [{}]", start, file);
            } else {
                segment.add(record.sequence(), start, i - start, record.collectedAtMillis(), record.carriedDrops());
                previous = record.sequence();
            }
            start = i + 1;
        }
        if (start < bytes.length) {
            log.warn("Skipping a torn last record ([{}] bytes) in spool segment [{}], left by a crash",
                    bytes.length - start, file);
        }
        segment.sizeBytes = bytes.length;
        return segment;
    }

    // ------------------------------------------------------------------------------------------------ state file

    private void readState() throws IOException {
        Path file = directory.resolve(STATE_FILE);
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(file, UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            return;
        }
        try {
            watermark = Long.parseLong(properties.getProperty("acknowledged", "0").trim());
            unreportedDrops = Long.parseLong(properties.getProperty("unreported-drops", "0").trim());
        } catch (NumberFormatException e) {
            // Replaying acknowledged reports is harmless (the node stores each sequence once); losing some is not.
            log.warn("Spool state [{}] is unreadable; replaying everything still in the spool", file);
            watermark = 0;
            unreportedDrops = 0;
        }
    }

    private void writeState(boolean force) throws IOException {
        long now = clock.millis();
        if (!force && now - stateWrittenAtMillis < STATE_WRITE_INTERVAL_MILLIS) {
            stateDirty = true;
            return;
        }
        Path file = directory.resolve(STATE_FILE);
        Path temporary = temporaryOf(file);
        byte[] content = ("acknowledged=" + watermark + "\nunreported-drops=" + unreportedDrops + "\n")
                .getBytes(UTF_8);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            writeFully(channel, ByteBuffer.wrap(content), 0);
            if (force) {
                channel.force(true);
            }
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (force) {
            syncDirectory();
        }
        stateDirty = false;
        stateWrittenAtMillis = now;
    }

    private void syncDirectory() {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not every platform can sync a directory; the data files themselves are forced.
            log.debug("Cannot sync directory [{}]: {}", directory, e.toString());
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("spool is closed");
        }
    }

    // ------------------------------------------------------------------------------------------------ segment

    /** One segment file and its in-memory index (sequence, offset, length, carried drops per record). */
    private static final class Segment {
        final Path path;
        long[] sequences = new long[32];
        long[] offsets = new long[32];
        int[] lengths = new int[32];
        long[] carried = new long[32];
        int count;
        long sizeBytes;
        long newestCollectedAtMillis = Long.MIN_VALUE;
        FileChannel writer;
        FileChannel reader;

        Segment(Path path) {
            this.path = path;
        }

        void add(long sequence, long offset, int length, long collectedAtMillis, long carriedDrops) {
            if (count == sequences.length) {
                int capacity = count * 2;
                sequences = Arrays.copyOf(sequences, capacity);
                offsets = Arrays.copyOf(offsets, capacity);
                lengths = Arrays.copyOf(lengths, capacity);
                carried = Arrays.copyOf(carried, capacity);
            }
            sequences[count] = sequence;
            offsets[count] = offset;
            lengths[count] = length;
            carried[count] = carriedDrops;
            count++;
            newestCollectedAtMillis = Math.max(newestCollectedAtMillis, collectedAtMillis);
        }

        long lastSequence() {
            return sequences[count - 1];
        }

        FileChannel reader() throws IOException {
            if (writer != null) {
                return writer;
            }
            if (reader == null) {
                reader = FileChannel.open(path, StandardOpenOption.READ);
            }
            return reader;
        }

        void seal() throws IOException {
            if (writer != null) {
                writer.close();
                writer = null;
            }
        }

        void closeChannels() {
            try {
                seal();
                if (reader != null) {
                    reader.close();
                    reader = null;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
