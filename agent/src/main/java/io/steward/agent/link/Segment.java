package io.steward.agent.link;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * One segment file of the disk spool, {@code segment-<first sequence>.log}, and its in-memory index: sequence,
 * offset, length and carried drops per line. Only the segment being written has a writer; reads of a sealed one
 * open a reader lazily.
 */
final class Segment {
    private static final String PREFIX = "segment-";
    private static final String SUFFIX = ".log";

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

    /** The file name of the segment whose first line has {@code firstSequence}; names sort in sequence order. */
    static String fileName(long firstSequence) {
        return String.format("%s%020d%s", PREFIX, firstSequence, SUFFIX);
    }

    static boolean isSegmentFile(String name) {
        return name.startsWith(PREFIX) && name.endsWith(SUFFIX);
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
