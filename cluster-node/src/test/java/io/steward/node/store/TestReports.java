package io.steward.node.store;

import io.steward.core.protocol.MetricsReport;
import java.time.Instant;
import java.util.List;

/** Small, fully specified reports for store tests: the CPU value varies, everything else is fixed. */
final class TestReports {
    /** Series each report below yields (see {@code ReportSamples}). */
    static final int SERIES_PER_REPORT = 13;
    static final long UPTIME_SECONDS = 1_000;
    static final double MEMORY_PERCENT = 42.5;
    static final double DISK_PERCENT = 71.0;
    static final double LOAD_1 = 0.75;

    private TestReports() {}

    static MetricsReport report(Instant collectedAt, double cpuPercent) {
        return new MetricsReport(
                collectedAt,
                5_000,
                new MetricsReport.HostInfo("host-1", "Debian", "12", "6.1.0", "x86_64", "Test CPU", 2,
                        Instant.parse("2026-01-01T00:00:00Z"), UPTIME_SECONDS),
                new MetricsReport.CpuStats(cpuPercent, List.of(cpuPercent, cpuPercent), LOAD_1, 0.5, 0.25),
                new MetricsReport.MemoryStats(8_000, 3_400, 4_600, MEMORY_PERCENT, 1_000, 0, 0),
                List.of(new MetricsReport.FilesystemStats("/", "/dev/sda1", "ext4", 100, 71, 29, DISK_PERCENT,
                        1_000, 100, 10)),
                List.of(),
                List.of(),
                new MetricsReport.ProcessStats(120, 480, List.of(), List.of()),
                0);
    }
}
