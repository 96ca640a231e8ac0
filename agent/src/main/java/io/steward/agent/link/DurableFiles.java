package io.steward.agent.link;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The few file operations the disk spool's durability rests on: whole writes, directory sync, temporary names. */
final class DurableFiles {
    private static final Logger log = LoggerFactory.getLogger(DurableFiles.class);
    private static final String TEMPORARY_SUFFIX = ".tmp";

    private DurableFiles() {}

    /** Writes all of {@code buffer} at {@code position}, however many writes that takes. */
    static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    /** Makes created, renamed and deleted entries of {@code directory} durable, where the platform can. */
    static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not every platform can sync a directory; the data files themselves are forced.
            log.debug("Cannot sync directory [{}]: {}", directory, e.toString());
        }
    }

    /** Where {@code path} is written before its atomic rename into place. */
    static Path temporaryOf(Path path) {
        return path.resolveSibling(path.getFileName() + TEMPORARY_SUFFIX);
    }

    static boolean isTemporary(String name) {
        return name.endsWith(TEMPORARY_SUFFIX);
    }
}
