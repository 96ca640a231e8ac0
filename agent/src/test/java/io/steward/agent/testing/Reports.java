package io.steward.agent.testing;

import io.steward.core.protocol.MetricsReport;
import java.time.Instant;
import java.util.List;

/** Small, valid reports whose CPU percent carries a number, so a test can tell reports apart. */
public final class Reports {
    private Reports() {}

    public static MetricsReport numbered(int number, Instant at) {
        return new MetricsReport(
                at,
                1000,
                new MetricsReport.HostInfo("test-host", "Debian GNU/Linux", "12", "6.1.0", "x86_64", "Test CPU", 2,
                        Instant.parse("2026-11-01T00:00:00Z"), 3600),
                new MetricsReport.CpuStats(number, List.of(1.0, 2.0), 0.5, 0.4, 0.3),
                new MetricsReport.MemoryStats(8L << 30, 2L << 30, 6L << 30, 25.0, 0, 0, 0),
                List.of(new MetricsReport.FilesystemStats("/", "/dev/vda1", "ext4", 100, 40, 60, 40.0, 10, 1, 10.0)),
                List.of(new MetricsReport.DiskStats("vda", 1024, 2048, 1, 2)),
                List.of(new MetricsReport.NetworkStats("eth0", List.of("192.0.2.10"), List.of(), "52:54:00:12:34:56",
                        true, 100, 200, 1, 2, 0, 0)),
                new MetricsReport.ProcessStats(80, 300, List.of(), List.of()),
                0);
    }
}
