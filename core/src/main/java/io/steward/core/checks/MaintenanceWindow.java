package io.steward.core.checks;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.steward.core.backup.BackupSchedule;
import java.time.Duration;
import java.time.Instant;

/**
 * A time when checks' alerts are suppressed (their results are still kept): once, between two instants, or
 * recurring, starting at each time of a cron expression on a zone's wall clock and lasting a fixed duration.
 *
 * <p>Recurring starts follow the wall-clock rules of {@link BackupSchedule.Cron}: a start inside the spring-forward
 * gap moves to the first moment after it, a start in the repeated autumn hour happens once (the first time). The
 * duration is elapsed time, so "02:00 for 2 h" ends at 05:00 on the spring-forward night in Europe/Berlin.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = MaintenanceWindow.OneOff.class, name = "once"),
    @JsonSubTypes.Type(value = MaintenanceWindow.Recurring.class, name = "recurring")
})
public sealed interface MaintenanceWindow {
    Duration MAX_DURATION = Duration.ofDays(7);
    /** Longer than any daylight-saving gap (at most 2 h anywhere). */
    Duration DST_LOOKBACK = Duration.ofHours(3);

    /** Whether {@code at} is inside the window (its start included, its end excluded). */
    boolean covers(Instant at);

    /** From {@code start} (included) to {@code end} (excluded). */
    record OneOff(Instant start, Instant end) implements MaintenanceWindow {
        public OneOff {
            requireNonNull(start, "start: required");
            requireNonNull(end, "end: required");
            if (!end.isAfter(start)) {
                throw new IllegalArgumentException("end: must be after start");
            }
        }

        @Override
        public boolean covers(Instant at) {
            return !at.isBefore(start) && at.isBefore(end);
        }
    }

    /**
     * Starting at every time of {@code cron} (five fields, or {@code @daily} etc.) in {@code timeZone}, for
     * {@code duration}; windows that overlap simply join.
     */
    record Recurring(String cron, String timeZone, @JsonFormat(shape = JsonFormat.Shape.STRING) Duration duration)
            implements MaintenanceWindow {
        public Recurring {
            requireNonNull(cron, "cron: required");
            requireNonNull(timeZone, "timeZone: required");
            requireNonNull(duration, "duration: required");
            if (duration.compareTo(Duration.ofMinutes(1)) < 0 || duration.compareTo(MAX_DURATION) > 0) {
                throw new IllegalArgumentException("duration: must be from 1 minute to 7 days (PT1M to P7D)");
            }
            new BackupSchedule.Cron(cron, timeZone); // parses both, with messages naming cron and timeZone
        }

        @Override
        public boolean covers(Instant at) {
            // Some start in (at - duration, at] covers at; a start exactly duration ago has just ended. The search
            // begins a DST gap earlier: a start moved past a spring-forward gap (02:30 happening at 03:30) is only
            // found from a wall-clock time before the gap.
            BackupSchedule.Cron schedule = schedule();
            Instant ended = at.minus(duration);
            Instant start = schedule.nextAfter(ended.minus(DST_LOOKBACK));
            for (int guard = 0; !start.isAfter(ended) && guard < 10_000; guard++) {
                start = schedule.nextAfter(start);
            }
            return start.isAfter(ended) && !start.isAfter(at);
        }

        /** The next start strictly after {@code after}. */
        public Instant nextStartAfter(Instant after) {
            return schedule().nextAfter(after);
        }

        private BackupSchedule.Cron schedule() {
            return new BackupSchedule.Cron(cron, timeZone);
        }
    }
}
