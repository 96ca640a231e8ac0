package io.steward.core.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DuePlanTest {
    private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
    private static final BackupSchedule HOURLY = new BackupSchedule.EveryHours(1, T0);

    @Test
    void nothingIsDueBeforeTheNextDueTime() {
        DuePlan plan = DuePlan.of(HOURLY, T0, T0.plus(Duration.ofMinutes(30)));
        assertThat(plan.runFor()).isNull();
        assertThat(plan.missed()).isZero();
        assertThat(plan.nextDue()).isEqualTo(T0.plus(Duration.ofHours(1)));
    }

    @Test
    void aDueTimeReachedIsRunWithinItsGraceAndNotMissed() {
        DuePlan plan = DuePlan.of(HOURLY, T0, T0.plus(Duration.ofMinutes(62)));
        assertThat(plan.runFor()).isEqualTo(T0.plus(Duration.ofHours(1)));
        assertThat(plan.missed()).isZero();
        assertThat(plan.nextDue()).isEqualTo(T0.plus(Duration.ofHours(2)));
    }

    @Test
    void afterADowntimeTheJobCatchesUpOnceAndCountsWhatWasMissed() {
        // Down from 00:00 to 10:30: due at 01:00 … 10:00; 01:00 … 09:00 are past their 6-minute grace.
        DuePlan plan = DuePlan.of(HOURLY, T0, T0.plus(Duration.ofMinutes(630)));
        assertThat(plan.runFor()).as("one catch-up run, for the latest due time")
                .isEqualTo(T0.plus(Duration.ofHours(10)));
        assertThat(plan.missed()).isEqualTo(10);
        assertThat(plan.oldestMissed()).isEqualTo(T0.plus(Duration.ofHours(1)));
        assertThat(plan.nextDue()).isEqualTo(T0.plus(Duration.ofHours(11)));
    }

    @Test
    void aYearLongGapStillPlansAtOnce() {
        BackupSchedule everyTenMinutes = new BackupSchedule.Cron("*/10 * * * *", "UTC");
        Instant now = T0.plus(Duration.ofDays(3650)).plusSeconds(7);
        DuePlan plan = DuePlan.of(everyTenMinutes, T0, now);
        assertThat(plan.missed()).isGreaterThanOrEqualTo(DuePlan.MAX_COUNTED);
        assertThat(plan.oldestMissed()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
        // The one catch-up run is for the latest due time, and the next one is after now.
        assertThat(plan.runFor()).isEqualTo(now.minusSeconds(7));
        assertThat(plan.nextDue()).isEqualTo(now.minusSeconds(7).plus(Duration.ofMinutes(10)));
    }
}
