package io.steward.agent.backup.rsync;

import io.steward.core.backup.Retention;
import io.steward.core.backup.SnapshotName;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A job's destination as one listing shows it: snapshot directories ({@code snapshots/NAME/}) and completion markers
 * ({@code .steward/complete/NAME}). Only a directory with a marker is a good snapshot: the marker is pushed last,
 * after rsync finished, so a directory without one is an interrupted attempt. Names are Steward's (they sort by
 * time); anything else found there is ignored.
 */
public record DestinationState(SortedSet<String> directories, SortedSet<String> markers) {
    /** rsync accepts at most 20 basis directories ({@code MAX_BASIS_DIRS}). */
    public static final int MAX_LINK_DESTS = 20;
    public static final String SNAPSHOTS = "snapshots/";
    public static final String MARKERS = ".steward/complete/";

    public DestinationState {
        directories = Collections.unmodifiableSortedSet(new TreeSet<>(directories));
        markers = Collections.unmodifiableSortedSet(new TreeSet<>(markers));
    }

    /** The state a recursive listing of the destination's root shows. */
    public static DestinationState of(List<ListingEntry> entries) {
        SortedSet<String> directories = new TreeSet<>();
        SortedSet<String> markers = new TreeSet<>();
        for (ListingEntry entry : entries) {
            String name = entry.name();
            if (entry.isDirectory() && name.startsWith(SNAPSHOTS) && valid(name.substring(SNAPSHOTS.length()))) {
                directories.add(name.substring(SNAPSHOTS.length()));
            } else if (entry.isFile() && name.startsWith(MARKERS) && valid(name.substring(MARKERS.length()))) {
                markers.add(name.substring(MARKERS.length()));
            }
        }
        return new DestinationState(directories, markers);
    }

    /** Good snapshots, oldest first. */
    public List<String> good() {
        return directories.stream().filter(markers::contains).toList();
    }

    /** Snapshot directories without a marker (interrupted attempts), oldest first. */
    public List<String> unmarked() {
        return directories.stream().filter(name -> !markers.contains(name)).toList();
    }

    /** Markers whose directory is gone (never left by Steward, which deletes a marker before its data). */
    public List<String> strayMarkers() {
        return markers.stream().filter(name -> !directories.contains(name)).toList();
    }

    public Optional<String> newestGood() {
        List<String> good = good();
        return good.isEmpty() ? Optional.empty() : Optional.of(good.get(good.size() - 1));
    }

    /**
     * The basis directories of the next run, in the order rsync must search them: attempts newer than the newest
     * good snapshot, newest first (rsync takes a file's basis from the first directory that has it, so the newest
     * attempt's partial file is resumed), then the newest good snapshot.
     */
    public List<String> linkDests() {
        String newestGood = newestGood().orElse("");
        List<String> bases = new ArrayList<>(unmarked().stream().filter(name -> name.compareTo(newestGood) > 0)
                .sorted(Collections.reverseOrder()).limit(MAX_LINK_DESTS - 1).toList());
        newestGood().ifPresent(bases::add);
        return bases;
    }

    /**
     * The name the new snapshot gets: {@code requested}, unless a directory or marker of that name or a newer one
     * exists — then the next second after the newest. A run never writes into an existing directory (its files may
     * be hard links shared with a good snapshot, which rsync would change in place) and a new snapshot is always
     * the newest.
     */
    public String nameFor(String requested) {
        SortedSet<String> all = new TreeSet<>(directories);
        all.addAll(markers);
        if (all.isEmpty() || requested.compareTo(all.last()) > 0) {
            return requested;
        }
        return SnapshotName.after(SnapshotName.takenAt(requested).orElseThrow(), all.last());
    }

    /**
     * What to delete once {@code snapshot} is marked good: the snapshots {@code retention} no longer keeps, and every
     * older unmarked attempt and stray marker.
     */
    public Pruning pruningAfter(String snapshot, Retention retention, ZoneId zone) {
        List<Retention.Snapshot> good = new ArrayList<>();
        for (String name : good()) {
            good.add(new Retention.Snapshot(name, SnapshotName.takenAt(name).orElseThrow()));
        }
        good.add(new Retention.Snapshot(snapshot, SnapshotName.takenAt(snapshot).orElseThrow()));
        List<String> pruned = retention.prune(good, zone);
        List<String> markers = new ArrayList<>(pruned);
        markers.addAll(strayMarkers());
        List<String> data = new ArrayList<>(pruned);
        unmarked().stream().filter(name -> name.compareTo(snapshot) < 0).forEach(data::add);
        List<String> kept = good.stream().map(Retention.Snapshot::name).filter(name -> !pruned.contains(name))
                .sorted().toList();
        return new Pruning(pruned, List.copyOf(markers), List.copyOf(data), kept);
    }

    /**
     * @param pruned good snapshots retention removes, oldest first
     * @param markers markers to delete (first: a snapshot without a marker is no longer good)
     * @param data snapshot directories to delete after the markers
     * @param kept the good snapshots after pruning, oldest first
     */
    public record Pruning(List<String> pruned, List<String> markers, List<String> data, List<String> kept) {}

    private static boolean valid(String name) {
        return SnapshotName.isValid(name);
    }
}
