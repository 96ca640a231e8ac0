package io.steward.core.backup;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which snapshots a backup job keeps, as rsnapshot, restic and borg count them: the last {@code keepLast}, and the
 * newest snapshot of each of the last {@code daily} days, {@code weekly} ISO weeks and {@code monthly} months that
 * have one (days, weeks and months on the job's time zone). The newest snapshot is always kept, whatever the counts.
 */
public record Retention(int keepLast, int daily, int weekly, int monthly) {
    public static final Retention DEFAULT = new Retention(7, 7, 4, 12);
    public static final int MAX_COUNT = 1000;

    public Retention {
        for (int count : new int[] {keepLast, daily, weekly, monthly}) {
            if (count < 0 || count > MAX_COUNT) {
                throw new IllegalArgumentException("retention counts must be whole numbers from 0 to " + MAX_COUNT);
            }
        }
        if (keepLast + daily + weekly + monthly == 0) {
            throw new IllegalArgumentException("retention must keep something: keepLast, daily, weekly or monthly");
        }
    }

    /** A good snapshot on the destination and when it was taken. */
    public record Snapshot(String name, Instant takenAt) {}

    /** The names of the snapshots to keep; every other one may be pruned. */
    public Set<String> keep(List<Snapshot> snapshots, ZoneId zone) {
        List<Snapshot> newestFirst = new ArrayList<>(snapshots);
        newestFirst.sort(Comparator.comparing(Snapshot::takenAt).reversed().thenComparing(Snapshot::name));
        Set<String> keep = new LinkedHashSet<>();
        if (!newestFirst.isEmpty()) {
            keep.add(newestFirst.get(0).name());
        }
        newestFirst.stream().limit(keepLast).forEach(snapshot -> keep.add(snapshot.name()));
        keepNewestPerPeriod(newestFirst, daily, zone, keep, date -> date.toString());
        keepNewestPerPeriod(newestFirst, weekly, zone, keep,
                date -> date.get(IsoFields.WEEK_BASED_YEAR) + "-W" + date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
        keepNewestPerPeriod(newestFirst, monthly, zone, keep, date -> date.getYear() + "-" + date.getMonthValue());
        return keep;
    }

    /** The names of the snapshots {@link #keep} does not keep, oldest first. */
    public List<String> prune(List<Snapshot> snapshots, ZoneId zone) {
        Set<String> keep = keep(snapshots, zone);
        return snapshots.stream()
                .sorted(Comparator.comparing(Snapshot::takenAt))
                .map(Snapshot::name)
                .filter(name -> !keep.contains(name))
                .toList();
    }

    private static void keepNewestPerPeriod(List<Snapshot> newestFirst, int periods, ZoneId zone, Set<String> keep,
            java.util.function.Function<LocalDate, String> period) {
        Set<String> seen = new HashSet<>();
        for (Snapshot snapshot : newestFirst) {
            if (seen.size() >= periods) {
                return;
            }
            if (seen.add(period.apply(LocalDate.ofInstant(snapshot.takenAt(), zone)))) {
                keep.add(snapshot.name());
            }
        }
    }
}
