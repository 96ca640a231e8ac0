package io.steward.core.backup;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a job's schedule asks for at a moment, decided without an actor: the due time to run now (at most one, however
 * many passed while nobody could run them: a node that was down catches up once, not N times), how many due times
 * passed their grace without a run (missed), and the next due time to wait for.
 *
 * @param runFor the due time a run should start for now; null when none is due
 * @param missed due times whose grace ran out without a run started for them
 * @param oldestMissed the first of them; null when none
 * @param nextDue the due time after {@code runFor} (or after now, when nothing is due)
 */
public record DuePlan(@Nullable Instant runFor, int missed, @Nullable Instant oldestMissed, Instant nextDue) {
    /**
     * Due times beyond this many in one gap are not counted one by one: the plan skips to the last few before now
     * (a job down for years still plans at once, and its missed count says "at least").
     */
    static final int MAX_COUNTED = 10_000;

    public DuePlan {
        requireNonNull(nextDue, "nextDue is null");
    }

    /**
     * The plan at {@code now} for a job whose last run (or missed run) was for {@code lastHandledDue}, or which was
     * created then.
     */
    public static DuePlan of(BackupSchedule schedule, Instant lastHandledDue, Instant now) {
        return of(schedule, lastHandledDue, now, BackupTiming.DEFAULT);
    }

    /** {@link #of(BackupSchedule, Instant, Instant)} with the node's own least grace. */
    public static DuePlan of(BackupSchedule schedule, Instant lastHandledDue, Instant now, BackupTiming timing) {
        Instant due = schedule.nextAfter(lastHandledDue);
        if (due.isAfter(now)) {
            return new DuePlan(null, 0, null, due);
        }
        Instant latest = due;
        Instant oldestMissed = null;
        int missed = 0;
        for (int counted = 0; !due.isAfter(now); counted++) {
            if (counted == MAX_COUNTED) {
                Instant lastFew = now.minus(schedule.periodAt(due).multipliedBy(3));
                if (lastFew.isAfter(due)) {
                    due = schedule.nextAfter(lastFew);
                    continue;
                }
            }
            latest = due;
            if (due.plus(schedule.graceAt(due, timing)).isBefore(now)) {
                missed++;
                if (oldestMissed == null) {
                    oldestMissed = due;
                }
            }
            due = schedule.nextAfter(due);
        }
        return new DuePlan(latest, missed, oldestMissed, schedule.nextAfter(latest));
    }
}
