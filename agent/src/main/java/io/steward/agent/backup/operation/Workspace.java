package io.steward.agent.backup.operation;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.steward.agent.backup.rsync.RemoteShell;
import io.steward.agent.backup.rsync.RsyncCommands;
import io.steward.core.backup.BackupDestination;
import io.steward.core.backup.HostKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One command's scratch directory ({@code work/<commandId>/}, owner-only): the known_hosts file pinning the
 * command's host key, file lists, the marker being pushed, an empty directory to prune with, a verification's
 * restored sample. Deleted when the command ends.
 */
public final class Workspace implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Workspace.class);

    private final Path directory;
    private final RsyncCommands commands;

    private Workspace(Path directory, RsyncCommands commands) {
        this.directory = directory;
        this.commands = commands;
    }

    static Workspace open(BackupTools tools, String commandId, BackupDestination destination, HostKey hostKey)
            throws IOException {
        Path directory = tools.workRoot().resolve(commandId);
        delete(directory);
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Path knownHosts = directory.resolve("known_hosts");
        Files.writeString(knownHosts, hostKey.knownHostsLine(destination) + "\n", UTF_8);
        RemoteShell shell = new RemoteShell(tools.programs().ssh(), tools.key().privateKey(), knownHosts,
                destination.port());
        return new Workspace(directory, new RsyncCommands(tools.programs().rsync(), shell, destination));
    }

    RsyncCommands commands() {
        return commands;
    }

    /** A new, empty directory {@code name} in the workspace. */
    Path newDirectory(String name) throws IOException {
        Path created = directory.resolve(name);
        delete(created);
        return Files.createDirectory(created);
    }

    /** {@code name} in the workspace (for a file list or a marker). */
    Path file(String name) {
        return directory.resolve(name);
    }

    @Override
    public void close() {
        try {
            delete(directory);
        } catch (IOException e) {
            log.warn("Cannot delete the backup work directory [{}]: {}", directory, e.toString());
        }
    }

    /** Empties the root of every workspace (at start: what a stopped agent left) and returns it. */
    public static Path reset(Path root) throws IOException {
        delete(root);
        return Files.createDirectories(root);
    }

    /** Deletes {@code path} and everything below it, if it exists. */
    static void delete(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path each : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        }
    }
}
