package io.steward.agent.link;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disk spool's {@code spool.state}: {@code acknowledged} (every sequence at or below it is acknowledged or
 * dropped) and {@code unreported-drops}. Written by atomic rename. Unforced writes are throttled: losing one replays
 * a few acknowledged reports, which the node stores once anyway.
 */
final class SpoolStateFile {
    private static final Logger log = LoggerFactory.getLogger(SpoolStateFile.class);

    static final String NAME = "spool.state";
    /** Watermark-only changes are written at most this often; losing one replays a few acknowledged reports. */
    private static final long WRITE_INTERVAL_MILLIS = 1000;

    /** What the file holds. */
    record Saved(long acknowledged, long unreportedDrops) {
        static final Saved NOTHING = new Saved(0, 0);
    }

    private final Path directory;
    private final Path file;
    private final Clock clock;
    private boolean dirty;
    private long writtenAtMillis;

    SpoolStateFile(Path directory, Clock clock) {
        this.directory = directory;
        this.file = directory.resolve(NAME);
        this.clock = clock;
    }

    /** The saved state; nothing when there is no file yet, or when it cannot be read (replaying is safe). */
    Saved read() throws IOException {
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(file, UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            return Saved.NOTHING;
        }
        try {
            return new Saved(Long.parseLong(properties.getProperty("acknowledged", "0").trim()),
                    Long.parseLong(properties.getProperty("unreported-drops", "0").trim()));
        } catch (NumberFormatException e) {
            // Replaying acknowledged reports is harmless (the node stores each sequence once); losing some is not.
            log.warn("Spool state [{}] is unreadable; replaying everything still in the spool", file);
            return Saved.NOTHING;
        }
    }

    /** Something changed that is not on disk yet. */
    void markDirty() {
        dirty = true;
    }

    boolean dirty() {
        return dirty;
    }

    /**
     * Writes the state. Forced: to stable storage, now (before a segment is deleted, so the next sequence can never
     * go back below a deleted report). Unforced: only if the last write is old enough, else it stays dirty.
     */
    void write(Saved state, boolean force) throws IOException {
        long now = clock.millis();
        if (!force && now - writtenAtMillis < WRITE_INTERVAL_MILLIS) {
            dirty = true;
            return;
        }
        Path temporary = DurableFiles.temporaryOf(file);
        byte[] content = ("acknowledged=" + state.acknowledged() + "\nunreported-drops=" + state.unreportedDrops()
                + "\n").getBytes(UTF_8);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            DurableFiles.writeFully(channel, ByteBuffer.wrap(content), 0);
            if (force) {
                channel.force(true);
            }
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (force) {
            DurableFiles.syncDirectory(directory);
        }
        dirty = false;
        writtenAtMillis = now;
    }
}
