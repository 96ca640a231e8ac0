package io.steward.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.protocol.MetricsReport;
import io.steward.core.testing.Reports;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentWindowTest {
    private static final Instant START = Instant.parse("2026-12-03T08:00:00.123456789Z");

    @Test
    void keepsTheNewestPointsOldestFirstOnceFull() {
        RecentWindow window = new RecentWindow(3);
        for (int number = 1; number <= 5; number++) {
            window.add(Reports.numbered(number, START.plusSeconds(number)));
        }

        assertThat(window.points()).extracting(WindowPoint::cpuPercent).containsExactly(3.0, 4.0, 5.0);
        assertThat(window.points()).extracting(WindowPoint::at)
                .containsExactly(START.plusSeconds(3), START.plusSeconds(4), START.plusSeconds(5));
    }

    @Test
    void leavesOutAReportOlderThanTheNewestPoint() {
        RecentWindow window = new RecentWindow(10);
        window.add(Reports.numbered(1, START.plusSeconds(10)));
        window.add(Reports.numbered(2, START.plusSeconds(5))); // a spool replay arriving late
        window.add(Reports.numbered(3, START.plusSeconds(10))); // same time as the newest: kept

        assertThat(window.points()).extracting(WindowPoint::cpuPercent).containsExactly(1.0, 3.0);
    }

    @Test
    void carriesEveryValueLiveChartsDrawWithTheTimeToTheNanosecond() {
        MetricsReport base = Reports.at(START).cpu(42.5).build();
        MetricsReport.NetworkStats eth0 = base.interfaces().get(0);
        MetricsReport.NetworkStats loopback = new MetricsReport.NetworkStats("lo", List.of("127.0.0.1"), List.of(),
                "00:00:00:00:00:00", true, 1_000_000, 2_000_000, 0, 0, 0, 0);
        MetricsReport.NetworkStats eth1 = new MetricsReport.NetworkStats("eth1", List.of(), List.of(),
                "52:54:00:12:34:57", true, 100, 200, 0, 0, 0, 0);
        MetricsReport report = new MetricsReport(base.collectedAt(), base.intervalMillis(), base.host(), base.cpu(),
                base.memory(), base.filesystems(), base.disks(), List.of(eth0, loopback, eth1), base.processes(),
                base.droppedReports());
        RecentWindow window = new RecentWindow(120);

        window.add(report);

        assertThat(window.points()).containsExactly(new WindowPoint(START, 42.5, Reports.MEMORY_PERCENT,
                report.memory().swapPercent(), Reports.LOAD_1, Reports.DISK_PERCENT,
                eth0.rxBytesPerSecond() + 100, eth0.txBytesPerSecond() + 200));
    }

    @Test
    void startsEmptyAgainWhenCleared() {
        RecentWindow window = new RecentWindow(2);
        window.add(Reports.numbered(1, START));
        window.add(Reports.numbered(2, START.plusSeconds(1)));
        window.add(Reports.numbered(3, START.plusSeconds(2)));

        window.clear();
        window.add(Reports.numbered(4, START.minusSeconds(60)));

        assertThat(window.points()).extracting(WindowPoint::cpuPercent).containsExactly(4.0);
    }
}
