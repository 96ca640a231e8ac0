package io.steward.agent.backup.rsync;

import static java.util.Objects.requireNonNull;

import io.steward.core.backup.BackupDestination;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every rsync command line of a backup, as arguments (never through a shell), for one destination reached through
 * rrsync. Remote paths are relative to the rrsync root (the destination's path) and built from constants and checked
 * names; a path someone chose goes in a {@code --files-from} list or is glob-escaped, because rrsync expands
 * {@code * ? [} in path arguments. Local paths are absolute: rsync reads an argument with a {@code :} before any
 * {@code /} as {@code host:path}.
 *
 * <p>Data always moves with {@code -aHAX -M--fake-super --numeric-ids}: the destination account is not root, so
 * owners, modes, ACLs and xattrs are kept in xattrs there and given back as they were; ids stay numbers because the
 * hosts' user databases differ.
 */
public final class RsyncCommands {
    /** Seconds without any data before rsync gives up on a connection. */
    public static final int IO_TIMEOUT_SECONDS = 600;
    private static final List<String> DATA = List.of("-aHAX", "-M--fake-super", "--numeric-ids",
            "--timeout=" + IO_TIMEOUT_SECONDS);
    /** Progress and totals on stdout; numbers without separators (whatever the locale), line-buffered. */
    private static final List<String> REPORTING = List.of("--info=progress2", "--stats", "--no-h", "--outbuf=L");

    private final Path rsync;
    private final RemoteShell shell;
    private final BackupDestination destination;

    public RsyncCommands(Path rsync, RemoteShell shell, BackupDestination destination) {
        this.rsync = requireNonNull(rsync, "rsync is null");
        this.shell = requireNonNull(shell, "shell is null");
        this.destination = requireNonNull(destination, "destination is null");
    }

    /** The destination's snapshots and markers in one listing (nothing inside the snapshots). */
    public List<String> listState() {
        List<String> argv = start();
        argv.addAll(List.of("--list-only", "-r", "--no-h", "--timeout=" + IO_TIMEOUT_SECONDS,
                "-f", "+ /snapshots/", "-f", "+ /snapshots/*/", "-f", "- /snapshots/*/*",
                "-f", "+ /.steward/", "-f", "+ /.steward/complete/", "-f", "+ /.steward/complete/*",
                "-f", "- /.steward/**", "-f", "- /*"));
        argv.add(remote(""));
        return argv;
    }

    /**
     * A backup into the new directory {@code snapshots/NAME/}, each source with its full path ({@code -R}),
     * unchanged files hard-linked to the {@code linkDests} (searched in that order). {@code --partial} keeps an
     * interrupted file for the next attempt to resume; a {@code --link-dest} must start with {@code /}, meaning
     * the rrsync root: no other form works with every rrsync version.
     */
    public List<String> run(List<String> sources, List<String> excludes, Integer bandwidthKiBps,
            List<String> linkDests, String snapshot) {
        List<String> argv = start();
        argv.addAll(DATA);
        argv.addAll(REPORTING);
        argv.addAll(List.of("--partial", "--mkpath", "-R"));
        if (bandwidthKiBps != null) {
            argv.add("--bwlimit=" + bandwidthKiBps);
        }
        excludes.forEach(pattern -> argv.add("--exclude=" + pattern));
        linkDests.forEach(base -> argv.add("--link-dest=/" + DestinationState.SNAPSHOTS + base));
        for (String source : sources) {
            argv.add(local(source));
        }
        argv.add(remote(DestinationState.SNAPSHOTS + snapshot + "/"));
        return argv;
    }

    /**
     * Pushes the completion marker {@code stage/NAME} (the stage holds nothing else) and deletes the markers of
     * {@code unmark} in the same call. {@code --delete-after} deletes only once the marker is in place, and rsync
     * deletes nothing after an error; {@code - /*} protects every other marker.
     */
    public List<String> mark(Path stage, String snapshot, List<String> unmark) {
        List<String> argv = start();
        argv.addAll(List.of("-r", "--delete-after", "--mkpath", "--chmod=F644", "--timeout=" + IO_TIMEOUT_SECONDS,
                "-f", "+ /" + snapshot));
        unmark.forEach(name -> argv.addAll(List.of("-f", "+ /" + name)));
        argv.addAll(List.of("-f", "- /*", local(stage.toString()) + "/", remote(DestinationState.MARKERS)));
        return argv;
    }

    /** Deletes {@code snapshots/NAME/} of each name: an empty directory synced over them, everything else protected. */
    public List<String> deleteSnapshots(Path emptyDirectory, List<String> names) {
        List<String> argv = start();
        argv.addAll(List.of("-r", "--delete", "--timeout=" + IO_TIMEOUT_SECONDS));
        names.forEach(name -> argv.addAll(List.of("-f", "+ /" + name + "/")));
        argv.addAll(List.of("-f", "- /*", local(emptyDirectory.toString()) + "/",
                remote(DestinationState.SNAPSHOTS)));
        return argv;
    }

    /** One directory of a snapshot ({@code path} as on the server, {@code /} for the top). */
    public List<String> browse(String snapshot, String path) {
        List<String> argv = start();
        argv.addAll(List.of("--list-only", "-l", "--no-h", "-M--fake-super", "--timeout=" + IO_TIMEOUT_SECONDS));
        argv.add(remote(snapshotPath(snapshot, path) + "/"));
        return argv;
    }

    /** Every entry of a snapshot, recursively, paths relative to it. */
    public List<String> listSnapshot(String snapshot) {
        List<String> argv = start();
        argv.addAll(List.of("--list-only", "-r", "-l", "--no-h", "-M--fake-super",
                "--timeout=" + IO_TIMEOUT_SECONDS));
        argv.add(remote(DestinationState.SNAPSHOTS + snapshot + "/"));
        return argv;
    }

    /**
     * Copies the paths listed in {@code filesFrom} (NUL-separated, relative to the snapshot) from a snapshot to
     * {@code root}, each with its full path below it; directories with everything in them.
     */
    public List<String> restore(String snapshot, Path filesFrom, Path root) {
        List<String> argv = start();
        argv.addAll(DATA);
        argv.addAll(REPORTING);
        argv.addAll(List.of("-r", "--mkpath", "--from0", "--files-from=" + local(filesFrom.toString())));
        argv.add(remote(DestinationState.SNAPSHOTS + snapshot + "/"));
        argv.add(directory(root));
        return argv;
    }

    /** Copies the files listed in {@code filesFrom} from a snapshot into the empty {@code directory}. */
    public List<String> fetch(String snapshot, Path filesFrom, Path directory) {
        List<String> argv = start();
        argv.addAll(List.of("-t", "-M--fake-super", "--numeric-ids", "--timeout=" + IO_TIMEOUT_SECONDS));
        argv.addAll(REPORTING);
        argv.addAll(List.of("--from0", "--files-from=" + local(filesFrom.toString())));
        argv.add(remote(DestinationState.SNAPSHOTS + snapshot + "/"));
        argv.add(directory(directory));
        return argv;
    }

    /** rsync's version line. */
    public static List<String> version(Path rsync) {
        return List.of(rsync.toString(), "--version");
    }

    /**
     * {@code path} made literal for rrsync, which expands glob patterns in path arguments ({@code a[1]} would
     * name {@code a1}): each {@code [}, {@code *} and {@code ?} becomes a one-character class.
     */
    public static String globEscaped(String path) {
        StringBuilder escaped = new StringBuilder(path.length());
        for (char c : path.toCharArray()) {
            switch (c) {
                case '[' -> escaped.append("[[]");
                case '*' -> escaped.append("[*]");
                case '?' -> escaped.append("[?]");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** {@code snapshots/NAME} followed by {@code path} (absolute, as on the server), glob-escaped. */
    static String snapshotPath(String snapshot, String path) {
        String inside = path.equals("/") ? "" : globEscaped(path);
        return DestinationState.SNAPSHOTS + snapshot + inside;
    }

    private List<String> start() {
        return new ArrayList<>(List.of(rsync.toString(), "-e", shell.command()));
    }

    private String remote(String path) {
        String host = destination.host().contains(":") ? "[" + destination.host() + "]" : destination.host();
        return destination.user() + "@" + host + ":" + path;
    }

    private static String directory(Path path) {
        String text = local(path.toString());
        return text.endsWith("/") ? text : text + "/";
    }

    private static String local(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("local paths given to rsync must be absolute: " + path);
        }
        return path;
    }
}
