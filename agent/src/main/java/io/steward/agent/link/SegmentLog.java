package io.steward.agent.link;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disk spool's segment files in sequence order. Appends go to the newest segment and are forced to disk before
 * {@link #append} returns; a segment rolls over at {@code segmentBytes}. Each process appends only to segments it
 * created. Whole segments are deleted, never lines: which ones, and when, is the spool's decision.
 */
final class SegmentLog {
    private static final Logger log = LoggerFactory.getLogger(SegmentLog.class);

    private final Path directory;
    private final long segmentBytes;
    private final List<Segment> segments = new ArrayList<>();
    private Segment active;
    private long totalBytes;

    /** A log over {@code recovered} (sealed segments left by an earlier run, in sequence order). */
    SegmentLog(Path directory, long segmentBytes, List<Segment> recovered) {
        this.directory = directory;
        this.segmentBytes = segmentBytes;
        segments.addAll(recovered);
        totalBytes = recovered.stream().mapToLong(segment -> segment.sizeBytes).sum();
    }

    /** Appends {@code line} durably; on failure the segment is cut back so it stays parseable. */
    void append(SpoolLine line) throws IOException {
        byte[] bytes = line.encode();
        if (active == null || (active.count > 0 && active.sizeBytes + bytes.length > segmentBytes)) {
            roll(line.sequence());
        }
        long offset = active.sizeBytes;
        try {
            DurableFiles.writeFully(active.writer, ByteBuffer.wrap(bytes), offset);
            active.writer.force(false);
        } catch (IOException e) {
            try {
                active.writer.truncate(offset);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        active.add(line.sequence(), offset, bytes.length - 1, line.collectedAtMillis(), line.carriedDrops());
        active.sizeBytes += bytes.length;
        totalBytes += bytes.length;
    }

    /** The line at {@code position}, or null (logged) when it was damaged since it was written. */
    SpoolLine read(SpoolPosition position) throws IOException {
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
        SpoolLine line = buffer.hasRemaining() ? null : SpoolLine.decode(buffer.array(), 0, length);
        if (line == null || line.sequence() != position.sequence()) {
            log.error("Spool record [{}] in [{}] is damaged; dropping it", position.sequence(), segment.path);
            return null;
        }
        return line;
    }

    SpoolPosition firstAtLeast(long sequence) {
        return SpoolPosition.firstAtLeast(segments, sequence);
    }

    SpoolPosition exactly(long sequence) {
        return SpoolPosition.exactly(segments, sequence);
    }

    /** The oldest segment, or null when there is none. */
    Segment oldest() {
        return segments.isEmpty() ? null : segments.get(0);
    }

    /** Whether {@code segment} is the one being written (never deleted by the bounds). */
    boolean isActive(Segment segment) {
        return segment == active;
    }

    void delete(Segment segment) throws IOException {
        segment.closeChannels();
        Files.deleteIfExists(segment.path);
        segments.remove(segment);
        totalBytes -= segment.sizeBytes;
        if (segment == active) {
            active = null;
        }
    }

    long totalBytes() {
        return totalBytes;
    }

    int count() {
        return segments.size();
    }

    /** Forces the segment being written, metadata included. */
    void force() throws IOException {
        if (active != null) {
            active.writer.force(true);
        }
    }

    void close() {
        for (Segment segment : segments) {
            segment.closeChannels();
        }
    }

    /**
     * Writes renumbered copies of the lines at {@code positions}, from {@code firstSequence} on, into new sealed
     * segments atomically renamed into place; they join the log only with {@link #replaceWith}. Reads one line at a
     * time, so a full spool is rewritten in little memory. Damaged lines are left out.
     */
    List<Segment> writeRenumbered(List<SpoolPosition> positions, long firstSequence) throws IOException {
        List<Segment> written = new ArrayList<>();
        List<Path> temporaries = new ArrayList<>();
        Segment current = null;
        FileChannel channel = null;
        long sequence = firstSequence;
        try {
            for (SpoolPosition position : positions) {
                SpoolLine original = read(position);
                if (original == null) {
                    continue;
                }
                SpoolLine line = new SpoolLine(sequence, original.collectedAtMillis(), original.carriedDrops(),
                        original.json());
                byte[] bytes = line.encode();
                if (current == null || (current.count > 0 && current.sizeBytes + bytes.length > segmentBytes)) {
                    if (channel != null) {
                        channel.force(true);
                        channel.close();
                    }
                    current = new Segment(directory.resolve(Segment.fileName(sequence)));
                    Path temporary = DurableFiles.temporaryOf(current.path);
                    temporaries.add(temporary);
                    channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                    written.add(current);
                }
                DurableFiles.writeFully(channel, ByteBuffer.wrap(bytes), current.sizeBytes);
                current.add(sequence, current.sizeBytes, bytes.length - 1, line.collectedAtMillis(),
                        line.carriedDrops());
                current.sizeBytes += bytes.length;
                sequence++;
            }
            if (channel != null) {
                channel.force(true);
                channel.close();
                channel = null;
            }
            for (Segment segment : written) {
                Files.move(DurableFiles.temporaryOf(segment.path), segment.path, StandardCopyOption.ATOMIC_MOVE);
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

    /** Deletes every current segment and continues with {@code rewritten} (appends will start a new segment). */
    void replaceWith(List<Segment> rewritten) throws IOException {
        for (Segment segment : segments) {
            segment.closeChannels();
            Files.deleteIfExists(segment.path);
        }
        segments.clear();
        segments.addAll(rewritten);
        active = null;
        totalBytes = rewritten.stream().mapToLong(segment -> segment.sizeBytes).sum();
    }

    private void roll(long firstSequence) throws IOException {
        if (active != null) {
            active.writer.force(true);
            active.seal();
        }
        Path path = directory.resolve(Segment.fileName(firstSequence));
        Segment segment = new Segment(path);
        segment.writer = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        DurableFiles.syncDirectory(directory);
        segments.add(segment);
        active = segment;
    }
}
