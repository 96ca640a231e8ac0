package io.steward.core.testing;

import io.steward.core.protocol.MetricsReport;
import java.time.Instant;
import java.util.List;

/**
 * The one builder of metric reports for tests: small, valid and fully specified. Every value not set on the builder
 * is one of the constants below, so a test can assert what it stored; the CPU percent is the value tests vary.
 */
public final class Reports {
    public static final String HOSTNAME = "test-host";
    public static final long INTERVAL_MILLIS = 5_000;
    public static final double MEMORY_PERCENT = 37.5;
    public static final double DISK_PERCENT = 40.0;
    public static final double LOAD_1 = 0.8;
    public static final long UPTIME_SECONDS = 86_400;
    /** Series a report yields (see {@code ReportSamples}) with {@link Builder#withoutDevices()}. */
    public static final int SERIES_WITHOUT_DEVICES = 13;

    private Reports() {}

    /** A report with one disk, one network interface and one top process. */
    public static MetricsReport report(String hostname, Instant at, double cpuPercent) {
        return at(at).hostname(hostname).cpu(cpuPercent).build();
    }

    public static MetricsReport report(String hostname, Instant at, double cpuPercent, long intervalMillis) {
        return at(at).hostname(hostname).cpu(cpuPercent).intervalMillis(intervalMillis).build();
    }

    /** Report number {@code number} (carried in the CPU percent), so a test can tell reports apart. */
    public static MetricsReport numbered(int number, Instant at) {
        return at(at).cpu(number).intervalMillis(1_000).build();
    }

    public static Builder at(Instant collectedAt) {
        return new Builder(collectedAt);
    }

    /** Builds one report; unset values are the constants of {@link Reports}. */
    public static final class Builder {
        private final Instant collectedAt;
        private String hostname = HOSTNAME;
        private double cpuPercent;
        private long intervalMillis = INTERVAL_MILLIS;
        private boolean devices = true;
        private long droppedReports;

        private Builder(Instant collectedAt) {
            this.collectedAt = collectedAt;
        }

        public Builder hostname(String value) {
            hostname = value;
            return this;
        }

        public Builder cpu(double percent) {
            cpuPercent = percent;
            return this;
        }

        public Builder intervalMillis(long value) {
            intervalMillis = value;
            return this;
        }

        /** No disks, network interfaces or processes: the fewest series a report can have. */
        public Builder withoutDevices() {
            devices = false;
            return this;
        }

        /** Reports the agent's spool lost before this one. */
        public Builder droppedReports(long count) {
            droppedReports = count;
            return this;
        }

        public MetricsReport build() {
            List<MetricsReport.ProcessInfo> top = devices
                    ? List.of(new MetricsReport.ProcessInfo(1, "java", "root", 12.5, 300L << 20, 3.6))
                    : List.of();
            return new MetricsReport(
                    collectedAt,
                    intervalMillis,
                    new MetricsReport.HostInfo(hostname, "Debian GNU/Linux", "12", "6.1.0-28-amd64", "x86_64",
                            "Test CPU @ 2.0GHz", 2, Instant.parse("2026-11-01T00:00:00Z"), UPTIME_SECONDS),
                    new MetricsReport.CpuStats(cpuPercent, List.of(cpuPercent, cpuPercent), LOAD_1, 0.6, 0.4),
                    new MetricsReport.MemoryStats(8L << 30, 3L << 30, 5L << 30, MEMORY_PERCENT, 2L << 30, 0, 0),
                    List.of(new MetricsReport.FilesystemStats("/", "/dev/vda1", "ext4", 100L << 30, 40L << 30,
                            60L << 30, DISK_PERCENT, 6_000_000, 300_000, 5.0)),
                    devices ? List.of(new MetricsReport.DiskStats("vda", 4096, 8192, 2, 3)) : List.of(),
                    devices ? List.of(new MetricsReport.NetworkStats("eth0", List.of("192.0.2.10"),
                            List.of("2001:db8::10"), "52:54:00:12:34:56", true, 1200, 3400, 10, 12, 0, 0)) : List.of(),
                    new MetricsReport.ProcessStats(120, 340, top, top),
                    droppedReports);
        }
    }
}
