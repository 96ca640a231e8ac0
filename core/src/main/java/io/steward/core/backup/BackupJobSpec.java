package io.steward.core.backup;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A backup job as the agent runs it: what to copy, what to leave out, where to, and within which limits. The node
 * adds the schedule and the retention it owns; the agent checks the sources and the destination against its own
 * allow-list before anything runs.
 *
 * @param sources absolute directories on the server; each is copied with its full path under the snapshot
 *     ({@code /srv/www} becomes {@code <snapshot>/srv/www}), so a file's place in a snapshot is its path on the server
 * @param excludes rsync exclude patterns ({@code *.tmp}, {@code /srv/www/cache/})
 * @param bandwidthKiBps rsync's {@code --bwlimit}; null for none
 * @param timeout the whole run's limit, after which rsync is stopped and the run failed; null for none
 */
public record BackupJobSpec(String jobId, List<String> sources, List<String> excludes,
        BackupDestination destination, @Nullable Integer bandwidthKiBps, @Nullable Duration timeout) {
    public static final int MAX_SOURCES = 32;
    public static final int MAX_EXCLUDES = 100;
    public static final int MAX_PATTERN = 512;
    public static final int MAX_SOURCE_PATH = 1024;

    public BackupJobSpec {
        requireNonNull(jobId, "jobId is null");
        requireNonNull(destination, "destination is null");
        if (!jobId.matches("[a-z0-9][a-z0-9-]{0,63}")) {
            throw new IllegalArgumentException("job id '" + jobId + "' is not lower-case letters, digits and dashes");
        }
        if (sources == null || sources.isEmpty()) {
            throw new IllegalArgumentException("sources: at least one directory is required");
        }
        if (sources.size() > MAX_SOURCES) {
            throw new IllegalArgumentException("sources: at most " + MAX_SOURCES + " directories");
        }
        List<String> normal = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            String source = BackupPaths.absolute("sources[" + i + "]", sources.get(i), MAX_SOURCE_PATH);
            if (source.equals("/")) {
                throw new IllegalArgumentException("sources[" + i + "]: '/' is the whole machine; name directories");
            }
            if (!normal.contains(source)) {
                normal.add(source);
            }
        }
        for (String a : normal) {
            for (String b : normal) {
                if (!a.equals(b) && BackupPaths.within(a, b)) {
                    throw new IllegalArgumentException("sources: '" + a + "' is inside '" + b + "'");
                }
            }
        }
        sources = List.copyOf(normal);
        excludes = excludes == null ? List.of() : List.copyOf(excludes);
        if (excludes.size() > MAX_EXCLUDES) {
            throw new IllegalArgumentException("excludes: at most " + MAX_EXCLUDES + " patterns");
        }
        for (int i = 0; i < excludes.size(); i++) {
            String pattern = excludes.get(i);
            if (pattern == null || pattern.isBlank() || pattern.length() > MAX_PATTERN
                    || pattern.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException("excludes[" + i + "] must be a pattern of 1 to " + MAX_PATTERN
                        + " characters on one line");
            }
        }
        if (bandwidthKiBps != null && (bandwidthKiBps < 1 || bandwidthKiBps > 10_000_000)) {
            throw new IllegalArgumentException("bandwidthKiBps must be from 1 to 10000000 (KiB/s), or absent");
        }
        if (timeout != null && (timeout.compareTo(Duration.ofMinutes(1)) < 0
                || timeout.compareTo(Duration.ofDays(7)) > 0)) {
            throw new IllegalArgumentException("timeout must be from 1 minute to 7 days, or absent");
        }
    }

    /** Whether an agent allowing {@code allowSources} may read every source of this job. */
    public boolean sourcesAllowedBy(List<String> allowSources) {
        return sources.stream().allMatch(source -> BackupPaths.withinAny(source, allowSources));
    }
}
