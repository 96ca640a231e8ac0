package io.steward.core.backup;

import static java.util.Objects.requireNonNull;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a backup job is due: a five-field cron expression read on the wall clock of a time zone, or every N hours.
 *
 * <p>Wall-clock semantics, as people mean "every night at 02:30": a time that does not exist on the day clocks go
 * forward runs at the first moment after the gap (03:30 instead of 02:30 — never skipped), and a time that occurs
 * twice when clocks go back runs once, at its first occurrence.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = BackupSchedule.Cron.class, name = "cron"),
    @JsonSubTypes.Type(value = BackupSchedule.EveryHours.class, name = "every-hours")
})
public sealed interface BackupSchedule {

    /** The first due time strictly after {@code after}. */
    Instant nextAfter(Instant after);

    /** The zone whose days, weeks and months retention counts in: the cron's own, UTC for every-N-hours. */
    default ZoneId retentionZone() {
        return this instanceof Cron cron ? Cron.zone(cron.timeZone()) : ZoneOffset.UTC;
    }

    /** The time from the due time {@code due} to the next one: what "late" and "twice the period" are measured in. */
    default Duration periodAt(Instant due) {
        return Duration.between(due, nextAfter(due));
    }

    /** How long after its due time a run may start before it counts as missed: 10 % of the period, at least 5 min. */
    default Duration graceAt(Instant due) {
        return graceAt(due, BackupTiming.DEFAULT);
    }

    /** {@link #graceAt(Instant)} with the node's own least grace. */
    default Duration graceAt(Instant due, BackupTiming timing) {
        Duration tenth = periodAt(due).dividedBy(10);
        return tenth.compareTo(timing.minimumGrace()) < 0 ? timing.minimumGrace() : tenth;
    }

    /**
     * A cron schedule ({@code minute hour day-of-month month day-of-week}, or {@code @hourly}, {@code @daily},
     * {@code @weekly}, {@code @monthly}, {@code @yearly}) on the wall clock of {@code timeZone}.
     */
    record Cron(String expression, String timeZone) implements BackupSchedule {
        private static final CronParser PARSER =
                new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
        private static final Map<String, String> NICKNAMES = Map.of(
                "@hourly", "0 * * * *",
                "@daily", "0 0 * * *",
                "@midnight", "0 0 * * *",
                "@weekly", "0 0 * * 0",
                "@monthly", "0 0 1 * *",
                "@yearly", "0 0 1 1 *",
                "@annually", "0 0 1 1 *");

        public Cron {
            requireNonNull(expression, "expression is null");
            requireNonNull(timeZone, "timeZone is null");
            zone(timeZone);
            executionTime(expression);
        }

        @Override
        public Instant nextAfter(Instant after) {
            ZoneId zone = zone(timeZone);
            ExecutionTime cron = executionTime(expression);
            // The cron runs on wall-clock time (a zone without transitions); each time is then placed in the zone.
            LocalDateTime wallClock = LocalDateTime.ofInstant(after, zone);
            for (int attempt = 0; attempt < 10_000; attempt++) {
                Optional<ZonedDateTime> next = cron.nextExecution(wallClock.atZone(ZoneOffset.UTC));
                if (next.isEmpty()) {
                    break;
                }
                wallClock = next.get().toLocalDateTime();
                // ofLocal moves a time inside a gap forward by the gap, and takes the earlier of two in an overlap.
                Instant due = ZonedDateTime.ofLocal(wallClock, zone, null).toInstant();
                if (due.isAfter(after)) {
                    return due;
                }
            }
            throw new IllegalStateException("the cron expression '" + expression + "' never fires again");
        }

        private static ZoneId zone(String timeZone) {
            try {
                return ZoneId.of(timeZone);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("timeZone: '" + timeZone + "' is not a time zone (e.g. UTC,"
                        + " Europe/Berlin, America/New_York)");
            }
        }

        /** Parsed expressions: a plan over a long downtime asks for thousands of due times of the same one. */
        private static final Map<String, ExecutionTime> PARSED = new ConcurrentHashMap<>();

        private static ExecutionTime executionTime(String expression) {
            ExecutionTime known = PARSED.get(expression);
            if (known != null) {
                return known;
            }
            ExecutionTime parsed = parse(expression);
            if (PARSED.size() > 1_000) {
                PARSED.clear(); // a bound, not an LRU: there are a few jobs, not thousands of expressions
            }
            PARSED.put(expression, parsed);
            return parsed;
        }

        private static ExecutionTime parse(String expression) {
            String trimmed = expression.strip();
            String standard = NICKNAMES.getOrDefault(trimmed.toLowerCase(Locale.ROOT), trimmed);
            try {
                com.cronutils.model.Cron cron = PARSER.parse(standard);
                cron.validate();
                return ExecutionTime.forCron(cron);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cron: '" + expression + "' is not a cron expression: "
                        + e.getMessage() + " (five fields: minute hour day-of-month month day-of-week, e.g."
                        + " '30 2 * * *' for 02:30 every day)");
            }
        }
    }

    /** Every {@code hours} hours, counted from {@code anchor} (when the job was created or its schedule changed). */
    record EveryHours(int hours, Instant anchor) implements BackupSchedule {
        public static final int MAX_HOURS = 24 * 31;

        public EveryHours {
            requireNonNull(anchor, "anchor is null");
            if (hours < 1 || hours > MAX_HOURS) {
                throw new IllegalArgumentException("everyHours must be a whole number from 1 to " + MAX_HOURS);
            }
        }

        @Override
        public Instant nextAfter(Instant after) {
            Duration period = Duration.ofHours(hours);
            if (after.isBefore(anchor)) {
                return anchor;
            }
            long periods = Duration.between(anchor, after).toSeconds() / period.toSeconds() + 1;
            return anchor.plus(period.multipliedBy(periods));
        }

        @Override
        public Duration periodAt(Instant due) {
            return Duration.ofHours(hours);
        }
    }

    /** Refuses a schedule that would run more often than {@code timing} allows, measured from {@code now}. */
    static BackupSchedule checked(BackupSchedule schedule, Instant now, BackupTiming timing) {
        Instant first = schedule.nextAfter(now);
        Instant second = schedule.nextAfter(first);
        Duration period = Duration.between(first, second);
        if (period.compareTo(timing.minimumPeriod()) < 0) {
            throw new IllegalArgumentException("schedule: runs " + period.toSeconds() + " s apart; a backup job may"
                    + " run at most every " + timing.minimumPeriod().toSeconds() + " s");
        }
        return schedule;
    }
}
