package io.steward.agent.collect;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads small kernel files (/proc, /sys) whole into one buffer that is kept and reused, so a collection cycle reads
 * hundreds of them without leaving garbage behind but the stream objects. Not thread-safe: one per collector.
 */
final class ProcFiles {
    private final ProcText text = new ProcText();
    private byte[] buffer;

    ProcFiles(int initialSize) {
        this.buffer = new byte[initialSize];
    }

    /**
     * The whole of {@code path} behind a cursor at its start (the cursor and its bytes are reused by the next read).
     * The buffer doubles when a file does not fit (/proc/stat grows with the CPUs and interrupts).
     */
    ProcText read(String path) throws IOException {
        try (FileInputStream in = new FileInputStream(path)) {
            return readAll(in);
        }
    }

    /**
     * Reads until end of stream. A short read is not the end: seq_file files (/proc/self/mounts, /proc/diskstats,
     * /proc/net/dev, a many-CPU /proc/stat) hand out at most about a page per read(), so stopping there would cut
     * them. The cost is one more read() per file, the one that returns -1.
     */
    private ProcText readAll(InputStream in) throws IOException {
        int length = 0;
        while (true) {
            if (length == buffer.length) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
            int read = in.read(buffer, length, buffer.length - length);
            if (read < 0) {
                return text.reset(buffer, length);
            }
            length += read;
        }
    }
}
