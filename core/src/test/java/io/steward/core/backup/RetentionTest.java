package io.steward.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionTest {

    /** A snapshot every 6 hours for 60 days, named by its index. */
    private static List<Retention.Snapshot> sixHourly() {
        List<Retention.Snapshot> snapshots = new ArrayList<>();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 4 * 60; i++) {
            snapshots.add(new Retention.Snapshot("s" + i, t.plus(Duration.ofHours(6L * i))));
        }
        return snapshots;
    }

    @Test
    void keepsTheLastNAndTheNewestOfEachDayWeekAndMonth() {
        List<Retention.Snapshot> snapshots = sixHourly();
        var keep = new Retention(3, 7, 4, 12).keep(snapshots, ZoneOffset.UTC);
        // Last 3: s239, s238, s237. Daily (7 days, newest of each): s239, s235, s231, … s215.
        assertThat(keep).contains("s239", "s238", "s237", "s235", "s231", "s215");
        // Weekly: the newest of each ISO week, e.g. s211 (Sunday 2026-02-22 18:00); not the day before it.
        assertThat(keep).contains("s211").doesNotContain("s207", "s236");
        // Monthly: the newest of January (s123 = Jan 31 18:00) and of February.
        assertThat(keep).contains("s123");
        // 3 last + 7 daily (s239 shared) + weekly/monthly newest-per-period (shared where they coincide).
        assertThat(keep).hasSizeLessThanOrEqualTo(3 + 7 + 4 + 12);
    }

    @Test
    void theNewestGoodSnapshotIsNeverPruned() {
        List<Retention.Snapshot> snapshots = sixHourly();
        Retention onlyMonthly = new Retention(0, 0, 0, 1);
        assertThat(onlyMonthly.keep(snapshots, ZoneOffset.UTC)).containsExactly("s239");
        assertThat(onlyMonthly.prune(snapshots, ZoneOffset.UTC)).hasSize(239).doesNotContain("s239")
                .startsWith("s0");
    }

    @Test
    void countsMustBeSensible() {
        assertThatThrownBy(() -> new Retention(0, 0, 0, 0)).hasMessageContaining("keep something");
        assertThatThrownBy(() -> new Retention(-1, 7, 4, 12)).hasMessageContaining("from 0 to");
    }
}
