package io.steward.core.protocol;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything one collection cycle measured on a server. Rates (bytes/s, packets/s, ops/s) are computed by the agent
 * from counter deltas over {@code intervalMillis}; percentages are 0..100.
 *
 * <p>Fields that may be absent are marked {@link Nullable}; the dashboard's TypeScript types are generated from
 * these records.
 *
 * @param droppedReports reports the agent's spool had to drop (oldest first) since the last report it sent
 */
public record MetricsReport(
        Instant collectedAt,
        long intervalMillis,
        HostInfo host,
        CpuStats cpu,
        MemoryStats memory,
        List<FilesystemStats> filesystems,
        List<DiskStats> disks,
        List<NetworkStats> interfaces,
        ProcessStats processes,
        long droppedReports) {

    public MetricsReport {
        requireNonNull(collectedAt, "collectedAt is null");
        requireNonNull(host, "host is null");
        requireNonNull(cpu, "cpu is null");
        requireNonNull(memory, "memory is null");
        filesystems = filesystems == null ? List.of() : List.copyOf(filesystems);
        disks = disks == null ? List.of() : List.copyOf(disks);
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
        processes = processes == null ? ProcessStats.EMPTY : processes;
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("intervalMillis must be positive");
        }
    }

    /** What the machine is; changes rarely (reboot, upgrade). */
    public record HostInfo(
            String hostname,
            @Nullable String osName,
            @Nullable String osVersion,
            @Nullable String kernel,
            @Nullable String architecture,
            @Nullable String cpuModel,
            int logicalCpus,
            @Nullable Instant bootTime,
            long uptimeSeconds) {
        public HostInfo {
            requireNonNull(hostname, "hostname is null");
        }
    }

    /** CPU utilisation over the last interval and the kernel's load averages. */
    public record CpuStats(double percent, List<Double> perCore, double load1, double load5, double load15) {
        public CpuStats {
            perCore = perCore == null ? List.of() : List.copyOf(perCore);
        }
    }

    public record MemoryStats(
            long totalBytes,
            long usedBytes,
            long availableBytes,
            double percent,
            long swapTotalBytes,
            long swapUsedBytes,
            double swapPercent) {}

    public record FilesystemStats(
            String mount,
            @Nullable String device,
            @Nullable String type,
            long totalBytes,
            long usedBytes,
            long freeBytes,
            double percent,
            long inodesTotal,
            long inodesUsed,
            double inodesPercent) {
        public FilesystemStats {
            requireNonNull(mount, "mount is null");
        }
    }

    public record DiskStats(
            String name,
            double readBytesPerSecond,
            double writeBytesPerSecond,
            double readOpsPerSecond,
            double writeOpsPerSecond) {
        public DiskStats {
            requireNonNull(name, "name is null");
        }
    }

    public record NetworkStats(
            String name,
            List<String> ipv4,
            List<String> ipv6,
            @Nullable String mac,
            boolean up,
            double rxBytesPerSecond,
            double txBytesPerSecond,
            double rxPacketsPerSecond,
            double txPacketsPerSecond,
            long rxErrors,
            long txErrors) {
        public NetworkStats {
            requireNonNull(name, "name is null");
            ipv4 = ipv4 == null ? List.of() : List.copyOf(ipv4);
            ipv6 = ipv6 == null ? List.of() : List.copyOf(ipv6);
        }
    }

    /** Process and thread counts with the heaviest processes by CPU and by memory. */
    public record ProcessStats(int count, int threadCount, List<ProcessInfo> topByCpu, List<ProcessInfo> topByMemory) {
        public static final ProcessStats EMPTY = new ProcessStats(0, 0, List.of(), List.of());

        public ProcessStats {
            topByCpu = topByCpu == null ? List.of() : List.copyOf(topByCpu);
            topByMemory = topByMemory == null ? List.of() : List.copyOf(topByMemory);
        }
    }

    public record ProcessInfo(
            int pid, String name, @Nullable String user, double cpuPercent, long rssBytes, double memoryPercent) {}

    /** The fullest filesystem's use in percent, or 0 when none is reported. */
    public double fullestFilesystemPercent() {
        return filesystems.stream().mapToDouble(FilesystemStats::percent).max().orElse(0);
    }
}
