package io.steward.node.testing;

import io.steward.core.protocol.MetricsReport;
import java.time.Instant;
import java.util.List;

/** Small, realistic reports for node tests. */
public final class Reports {
    private Reports() {}

    public static MetricsReport report(String hostname, Instant at, double cpuPercent) {
        return report(hostname, at, cpuPercent, 5000);
    }

    public static MetricsReport report(String hostname, Instant at, double cpuPercent, long intervalMillis) {
        return new MetricsReport(
                at,
                intervalMillis,
                new MetricsReport.HostInfo(hostname, "Debian GNU/Linux", "12", "6.1.0-28-amd64", "x86_64",
                        "Test CPU @ 2.0GHz", 2, Instant.parse("2026-11-01T00:00:00Z"), 86_400),
                new MetricsReport.CpuStats(cpuPercent, List.of(cpuPercent, cpuPercent), 0.8, 0.6, 0.4),
                new MetricsReport.MemoryStats(8L << 30, 3L << 30, 5L << 30, 37.5, 2L << 30, 0, 0),
                List.of(new MetricsReport.FilesystemStats("/", "/dev/vda1", "ext4", 100L << 30, 40L << 30,
                        60L << 30, 40.0, 6_000_000, 300_000, 5.0)),
                List.of(new MetricsReport.DiskStats("vda", 4096, 8192, 2, 3)),
                List.of(new MetricsReport.NetworkStats("eth0", List.of("192.0.2.10"), List.of("2001:db8::10"),
                        "52:54:00:12:34:56", true, 1200, 3400, 10, 12, 0, 0)),
                new MetricsReport.ProcessStats(120, 340,
                        List.of(new MetricsReport.ProcessInfo(1, "java", "root", 12.5, 300L << 20, 3.6)),
                        List.of(new MetricsReport.ProcessInfo(1, "java", "root", 12.5, 300L << 20, 3.6))),
                0);
    }
}
