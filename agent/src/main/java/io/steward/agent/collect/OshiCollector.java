package io.steward.agent.collect;

import io.steward.agent.AgentSettings;
import io.steward.agent.ReportSource;
import io.steward.core.protocol.MetricsReport;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import oshi.SystemInfo;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.software.os.OperatingSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects this machine with OSHI: one {@link SystemInfo} and its hardware layer for the agent's lifetime, one
 * collector per metric family. A family that fails (a disappearing disk, a permission problem) is reported empty for
 * that cycle and logged once until it works again; only CPU, memory and host failures skip the whole cycle.
 */
public final class OshiCollector implements ReportSource {
    private static final Logger log = LoggerFactory.getLogger(OshiCollector.class);

    private final HostCollector host;
    private final CpuCollector cpu;
    private final MemoryCollector memory;
    private final FilesystemCollector filesystems;
    private final DiskCollector disks;
    private final NetworkCollector interfaces;
    private final ProcessCollector processes;
    private final boolean[] failing = new boolean[4];
    private long previousNanos;
    private volatile long lastCycleNanos;

    /** Lists {@link AgentSettings#DEFAULT_TOP_PROCESSES} processes per ranking. */
    public OshiCollector() {
        this(AgentSettings.DEFAULT_TOP_PROCESSES);
    }

    /** @param topProcesses how many processes each report lists by CPU and by memory (each) */
    public OshiCollector(int topProcesses) {
        if (topProcesses < 1) {
            throw new IllegalArgumentException("topProcesses must be positive, got " + topProcesses);
        }
        SystemInfo systemInfo = new SystemInfo();
        HardwareAbstractionLayer hardware = systemInfo.getHardware();
        OperatingSystem operatingSystem = systemInfo.getOperatingSystem();
        this.host = new HostCollector(operatingSystem, hardware.getProcessor());
        this.cpu = new CpuCollector(hardware.getProcessor());
        this.memory = new MemoryCollector(hardware.getMemory());
        this.filesystems = new FilesystemCollector(operatingSystem.getFileSystem());
        this.disks = new DiskCollector(hardware);
        this.interfaces = new NetworkCollector(hardware);
        this.processes = new ProcessCollector(operatingSystem, hardware.getMemory(), topProcesses);
        this.previousNanos = System.nanoTime();
    }

    @Override
    public synchronized MetricsReport collect() {
        long started = System.nanoTime();
        Instant collectedAt = Instant.now();
        MetricsReport report = new MetricsReport(
                collectedAt,
                Math.max(1, (started - previousNanos) / 1_000_000),
                host.collect(),
                cpu.collect(),
                memory.collect(),
                optional(0, "file systems", filesystems::collect, List.of()),
                optional(1, "disks", disks::collect, List.of()),
                optional(2, "network interfaces", interfaces::collect, List.of()),
                optional(3, "processes", processes::collect, MetricsReport.ProcessStats.EMPTY),
                0);
        previousNanos = started;
        lastCycleNanos = System.nanoTime() - started;
        log.debug("Collection took [{}] ms", lastCycleNanos / 1_000_000);
        return report;
    }

    /** Wall time of the last collection, in nanoseconds. */
    public long lastCycleNanos() {
        return lastCycleNanos;
    }

    private <T> T optional(int family, String name, Supplier<T> collector, T empty) {
        try {
            T value = collector.get();
            if (failing[family]) {
                log.info("Collecting {} works again", name);
                failing[family] = false;
            }
            return value;
        } catch (RuntimeException | LinkageError e) {
            if (!failing[family]) {
                log.warn("Cannot collect {}; reporting none until it works again", name, e);
                failing[family] = true;
            }
            return empty;
        }
    }

    @Override
    public List<MetricsReport.ProcessInfo> allProcesses() {
        return processes.all();
    }
}
