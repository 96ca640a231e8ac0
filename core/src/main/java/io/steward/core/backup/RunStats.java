package io.steward.core.backup;

/**
 * What one backup run moved and what its snapshot holds, from rsync's {@code --stats}.
 *
 * @param filesTotal regular files in the snapshot
 * @param filesTransferred regular files rsync sent (new or changed)
 * @param totalBytes the size of the files in the snapshot
 * @param bytesTransferred file data sent (literal data)
 * @param durationMillis from the run's start to its end, pruning included
 * @param exitCode rsync's exit code (0, or 23/24 for a run that ended with a warning)
 */
public record RunStats(long filesTotal, long filesTransferred, long totalBytes, long bytesTransferred,
        long durationMillis, int exitCode) {
    public static final RunStats NONE = new RunStats(0, 0, 0, 0, 0, 0);
}
