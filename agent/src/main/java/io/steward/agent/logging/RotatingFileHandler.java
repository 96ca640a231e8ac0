package io.steward.agent.logging;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Writes log records to a file and rotates it by size: before a record would take the live file past the limit,
 * {@code agent.log} becomes {@code agent.log.1}, {@code .1} becomes {@code .2} and so on, and the oldest beyond the
 * number kept is deleted.
 *
 * <p>Why not java.util.logging's own {@code FileHandler}: it creates its files with the process umask (readable by
 * every user under systemd's default 0022, and the log names hosts, paths and services), names the live file
 * {@code agent.log.0}, and keeps {@code .lck} files beside it. This one creates its files 0640 and its directory 0750
 * when missing, never follows a symbolic link at the log file's name, and takes an existing file's permissions down
 * to 0640.
 */
final class RotatingFileHandler extends Handler {
    private static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-r-----");
    private static final Set<PosixFilePermission> DIRECTORY_PERMISSIONS = PosixFilePermissions.fromString("rwxr-x---");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path file;
    private final long maxBytes;
    private final int maxFiles;
    private FileChannel channel;
    private long size;

    private RotatingFileHandler(Path file, long maxBytes, int maxFiles) {
        this.file = file;
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
        setFormatter(new LineFormatter());
        setLevel(Level.ALL);
    }

    /** Opens (or creates) {@code file} for appending; the message of the exception names the file. */
    static RotatingFileHandler open(Path file, long maxBytes, int maxFiles) throws IOException {
        RotatingFileHandler handler = new RotatingFileHandler(file.toAbsolutePath(), maxBytes, maxFiles);
        handler.openLiveFile();
        return handler;
    }

    /** The rotated file {@code number} (1 is the newest). */
    static Path rotated(Path file, int number) {
        return file.resolveSibling(file.getFileName() + "." + number);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        if (channel == null || !isLoggable(record)) {
            return;
        }
        String text;
        try {
            text = getFormatter().format(record);
        } catch (RuntimeException e) {
            reportError("cannot format a log record", e, ErrorManager.FORMAT_FAILURE);
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            if (size > 0 && size + bytes.length > maxBytes) {
                rotate();
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            size += bytes.length;
        } catch (IOException e) {
            reportError("cannot write the log file " + file, e, ErrorManager.WRITE_FAILURE);
        }
    }

    @Override
    public void flush() {
        // Every record goes to the file system as it is published; nothing is buffered here.
    }

    @Override
    public synchronized void close() {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            reportError("cannot close the log file " + file, e, ErrorManager.CLOSE_FAILURE);
        }
        channel = null;
    }

    private void rotate() throws IOException {
        channel.close();
        channel = null;
        if (maxFiles > 1) {
            Files.deleteIfExists(rotated(file, maxFiles - 1));
            for (int number = maxFiles - 2; number >= 1; number--) {
                Path older = rotated(file, number);
                if (Files.exists(older, LinkOption.NOFOLLOW_LINKS)) {
                    Files.move(older, rotated(file, number + 1));
                }
            }
            Files.move(file, rotated(file, 1));
        } else {
            Files.deleteIfExists(file);
        }
        openLiveFile();
    }

    private void openLiveFile() throws IOException {
        Path directory = file.getParent();
        if (directory != null && !Files.isDirectory(directory)) {
            if (POSIX) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY_PERMISSIONS));
            } else {
                Files.createDirectories(directory);
            }
        }
        Set<OpenOption> options = Set.of(CREATE, WRITE, APPEND, LinkOption.NOFOLLOW_LINKS);
        FileAttribute<?>[] attributes = POSIX
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_PERMISSIONS)}
                : new FileAttribute<?>[0];
        FileChannel opened;
        try {
            opened = FileChannel.open(file, options, attributes);
        } catch (IOException e) {
            throw new IOException("cannot open the log file " + file + ": " + e, e);
        }
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("the log file " + file + " is not a regular file");
            }
            if (POSIX) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
                if (!FILE_PERMISSIONS.containsAll(permissions)) {
                    permissions.retainAll(FILE_PERMISSIONS);
                    Files.setPosixFilePermissions(file, permissions);
                }
            }
            size = opened.size();
        } catch (IOException e) {
            opened.close();
            throw e;
        }
        channel = opened;
    }
}
