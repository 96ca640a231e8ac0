package io.steward.agent.collect;

import io.steward.core.protocol.MetricsReport.CpuStats;
import io.steward.core.protocol.MetricsReport.DiskStats;
import io.steward.core.protocol.MetricsReport.FilesystemStats;
import io.steward.core.protocol.MetricsReport.HostInfo;
import io.steward.core.protocol.MetricsReport.MemoryStats;
import io.steward.core.protocol.MetricsReport.NetworkStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import oshi.SystemInfo;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.software.os.OperatingSystem;

/**
 * One collector per metric family, as a platform provides them. OSHI serves every platform; on Linux the families
 * read every cycle (CPU, memory, processes, disks, network counters) have direct /proc readers, and OSHI keeps what is
 * read once or rarely (the machine's identity, the interface list with addresses) and the file systems' mount filter.
 */
record Families(
        String platform,
        Collector<HostInfo> host,
        Collector<CpuStats> cpu,
        Collector<MemoryStats> memory,
        Collector<List<FilesystemStats>> filesystems,
        Collector<List<DiskStats>> disks,
        Collector<List<NetworkStats>> interfaces,
        ProcessFamily processes) {

    static Families oshi(int topProcesses) {
        SystemInfo systemInfo = new SystemInfo();
        HardwareAbstractionLayer hardware = systemInfo.getHardware();
        OperatingSystem operatingSystem = systemInfo.getOperatingSystem();
        return new Families("OSHI",
                new HostCollector(operatingSystem, hardware.getProcessor()),
                new CpuCollector(hardware.getProcessor()),
                new MemoryCollector(hardware.getMemory()),
                new FilesystemCollector(operatingSystem.getFileSystem()),
                new DiskCollector(hardware),
                new NetworkCollector(hardware),
                new ProcessCollector(operatingSystem, hardware.getMemory(), topProcesses));
    }

    static Families linux(int topProcesses) {
        SystemInfo systemInfo = new SystemInfo();
        HardwareAbstractionLayer hardware = systemInfo.getHardware();
        OperatingSystem operatingSystem = systemInfo.getOperatingSystem();
        LinuxMemoryCollector memory = new LinuxMemoryCollector();
        memory.collect(); // the process collector's denominator from the first cycle on
        return new Families("Linux /proc",
                new HostCollector(operatingSystem, hardware.getProcessor()),
                new LinuxCpuCollector(),
                memory,
                new LinuxFilesystemCollector(),
                new LinuxDiskCollector(),
                new LinuxNetworkCollector(() -> hardware.getNetworkIFs(true)),
                new LinuxProcessCollector(memory::totalBytes, operatingSystem.getSystemBootTime(),
                        AuxiliaryVector.ofThisProcess(), topProcesses));
    }

    /** Linux with a readable /proc: the direct readers apply. */
    static boolean linuxProcAvailable() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
                && Files.isReadable(Path.of("/proc/stat")) && Files.isReadable(Path.of("/proc/self/stat"));
    }
}
