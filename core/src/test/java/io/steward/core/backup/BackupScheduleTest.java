package io.steward.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class BackupScheduleTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static Instant berlin(int year, int month, int day, int hour, int minute) {
        return ZonedDateTime.of(year, month, day, hour, minute, 0, 0, BERLIN).toInstant();
    }

    @Test
    void aNightlyJobRunsEveryNightOnTheWallClockOfItsZone() {
        BackupSchedule nightly = new BackupSchedule.Cron("30 2 * * *", "Europe/Berlin");
        assertThat(nightly.nextAfter(berlin(2026, 6, 1, 12, 0))).isEqualTo(berlin(2026, 6, 2, 2, 30));
        assertThat(nightly.periodAt(berlin(2026, 6, 2, 2, 30))).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void aTimeSkippedWhenClocksGoForwardRunsRightAfterTheGapInsteadOfNotAtAll() {
        BackupSchedule nightly = new BackupSchedule.Cron("30 2 * * *", "Europe/Berlin");
        // 2026-03-29 02:00 → 03:00 in Berlin: 02:30 does not exist that night.
        Instant springNight = nightly.nextAfter(berlin(2026, 3, 28, 12, 0));
        assertThat(springNight).isEqualTo(ZonedDateTime.parse("2026-03-29T03:30+02:00").toInstant());
        assertThat(nightly.nextAfter(springNight)).isEqualTo(berlin(2026, 3, 30, 2, 30));
    }

    @Test
    void aTimeRepeatedWhenClocksGoBackRunsOnce() {
        BackupSchedule nightly = new BackupSchedule.Cron("30 2 * * *", "Europe/Berlin");
        // 2026-10-25 03:00 → 02:00 in Berlin: 02:30 happens twice.
        Instant autumnNight = nightly.nextAfter(berlin(2026, 10, 24, 12, 0));
        assertThat(autumnNight).isEqualTo(ZonedDateTime.parse("2026-10-25T02:30+02:00").toInstant());
        assertThat(nightly.nextAfter(autumnNight)).isEqualTo(berlin(2026, 10, 26, 2, 30));
    }

    @Test
    void nicknamesAndWeekdaysWork() {
        assertThat(new BackupSchedule.Cron("@daily", "UTC").nextAfter(Instant.parse("2026-06-01T12:00:00Z")))
                .isEqualTo(Instant.parse("2026-06-02T00:00:00Z"));
        BackupSchedule weekdays = new BackupSchedule.Cron("0 3 * * 1-5", "UTC");
        // Friday 2026-06-05 → Monday 2026-06-08.
        Instant friday = Instant.parse("2026-06-05T03:00:00Z");
        assertThat(weekdays.nextAfter(friday)).isEqualTo(Instant.parse("2026-06-08T03:00:00Z"));
        assertThat(weekdays.periodAt(friday)).isEqualTo(Duration.ofDays(3));
    }

    @Test
    void everyNHoursCountsFromItsAnchor() {
        Instant anchor = Instant.parse("2026-06-01T10:15:00Z");
        BackupSchedule sixHourly = new BackupSchedule.EveryHours(6, anchor);
        assertThat(sixHourly.nextAfter(anchor)).isEqualTo(Instant.parse("2026-06-01T16:15:00Z"));
        assertThat(sixHourly.nextAfter(Instant.parse("2026-06-02T03:00:00Z")))
                .isEqualTo(Instant.parse("2026-06-02T04:15:00Z"));
        assertThat(sixHourly.nextAfter(anchor.minusSeconds(60))).isEqualTo(anchor);
    }

    @Test
    void graceIsATenthOfThePeriodButAtLeastFiveMinutes() {
        Instant due = Instant.parse("2026-06-01T00:00:00Z");
        assertThat(new BackupSchedule.EveryHours(24, due).graceAt(due)).isEqualTo(Duration.ofMinutes(144));
        assertThat(new BackupSchedule.EveryHours(1, due).graceAt(due)).isEqualTo(Duration.ofMinutes(6));
        assertThat(new BackupSchedule.Cron("*/10 * * * *", "UTC").graceAt(due)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void mistakesAreRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> new BackupSchedule.Cron("61 * * * *", "UTC"))
                .hasMessageContaining("not a cron expression").hasMessageContaining("61");
        assertThatThrownBy(() -> new BackupSchedule.Cron("* * *", "UTC")).hasMessageContaining("five fields");
        assertThatThrownBy(() -> new BackupSchedule.Cron("0 3 * * *", "Mars/Olympus"))
                .hasMessageContaining("not a time zone");
        assertThatThrownBy(() -> new BackupSchedule.EveryHours(0, Instant.EPOCH)).hasMessageContaining("everyHours");
        assertThatThrownBy(() -> BackupSchedule.checked(new BackupSchedule.Cron("* * * * *", "UTC"), Instant.EPOCH,
                BackupTiming.DEFAULT)).hasMessageContaining("runs 60 s apart").hasMessageContaining("every 300 s");
        assertThat(BackupSchedule.checked(new BackupSchedule.Cron("* * * * *", "UTC"), Instant.EPOCH,
                new BackupTiming(Duration.ofSeconds(1), Duration.ofMinutes(1)))).isNotNull();
        assertThat(new BackupSchedule.Cron("* * * * *", "UTC").graceAt(Instant.EPOCH,
                new BackupTiming(Duration.ofSeconds(1), Duration.ofMinutes(1)))).isEqualTo(Duration.ofSeconds(6));
    }
}
