package io.steward.agent.backup.store;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which files of a job's snapshots were verified, and tried, on which day (days since the epoch), so that test
 * restores spread over the files: each verification samples the files tried longest ago (never tried first), as
 * many as make a daily verification go through every file once per coverage window.
 *
 * @param lastRun the day of the last verification; -1 before the first
 * @param files per path (relative to the snapshot): {@code [day verified or -1, day tried]}
 */
public record VerifyCoverage(long lastRun, Map<String, long[]> files) {
    public static final VerifyCoverage NONE = new VerifyCoverage(-1, Map.of());
    private static final long NEVER = -1;

    public VerifyCoverage {
        requireNonNull(files, "files is null");
        files = Map.copyOf(files);
    }

    /**
     * The files to verify {@code today} out of the snapshot's {@code snapshotFiles}: {@code ceil(N / coverageDays)}
     * for each day since the last verification (at least one day's share, at most all), least recently tried first.
     */
    public List<String> sample(Collection<String> snapshotFiles, long today, int coverageDays) {
        int total = snapshotFiles.size();
        long days = lastRun < 0 ? 1 : Math.max(1, today - lastRun);
        long wanted = Math.min(total, (total * days + coverageDays - 1) / coverageDays);
        return snapshotFiles.stream()
                .sorted(Comparator.<String>comparingLong(path -> tried(path)).thenComparing(path -> path))
                .limit(wanted)
                .toList();
    }

    /** This coverage after {@code today}'s verification: forgets files no longer in the snapshot. */
    public VerifyCoverage after(long today, Collection<String> snapshotFiles, Collection<String> verified,
            Collection<String> tried) {
        Set<String> current = new HashSet<>(snapshotFiles);
        Map<String, long[]> next = new HashMap<>();
        files.forEach((path, marks) -> {
            if (current.contains(path)) {
                next.put(path, marks);
            }
        });
        for (String path : tried) {
            long[] old = next.getOrDefault(path, new long[] {NEVER, NEVER});
            next.put(path, new long[] {old[0], today});
        }
        for (String path : verified) {
            next.put(path, new long[] {today, today});
        }
        return new VerifyCoverage(today, next);
    }

    /** The share (0..100) of {@code snapshotFiles} verified within the {@code coverageDays} up to {@code today}. */
    public double percent(Collection<String> snapshotFiles, long today, int coverageDays) {
        if (snapshotFiles.isEmpty()) {
            return 100;
        }
        long within = snapshotFiles.stream().filter(path -> {
            long[] marks = files.get(path);
            return marks != null && marks[0] != NEVER && marks[0] > today - coverageDays;
        }).count();
        return 100.0 * within / snapshotFiles.size();
    }

    private long tried(String path) {
        long[] marks = files.get(path);
        return marks == null ? NEVER : marks[1];
    }
}
