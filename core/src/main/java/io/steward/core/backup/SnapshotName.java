package io.steward.core.backup;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A snapshot's directory name on the destination: the UTC time its run started, {@code 2026-12-02T083000Z}. Names
 * sort by time, carry no {@code :} (rsync would read a path with one as {@code host:path}) and no character a shell
 * or rsync pattern treats specially.
 */
public final class SnapshotName {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern NAME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{6}Z");

    private SnapshotName() {}

    /** The name of a snapshot started at {@code startedAt} (to the second). */
    public static String of(Instant startedAt) {
        return FORMAT.format(startedAt.truncatedTo(ChronoUnit.SECONDS));
    }

    /** A name after {@code previous} for a run started at {@code startedAt}: two runs in one second still differ. */
    public static String after(Instant startedAt, String previous) {
        Instant at = startedAt.truncatedTo(ChronoUnit.SECONDS);
        Optional<Instant> last = previous == null ? Optional.empty() : takenAt(previous);
        if (last.isPresent() && !at.isAfter(last.get())) {
            at = last.get().plusSeconds(1);
        }
        return of(at);
    }

    /** When the snapshot called {@code name} was taken; empty for a name Steward did not make. */
    public static Optional<Instant> takenAt(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.from(FORMAT.parse(name)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    public static boolean isValid(String name) {
        return takenAt(name).isPresent();
    }
}
