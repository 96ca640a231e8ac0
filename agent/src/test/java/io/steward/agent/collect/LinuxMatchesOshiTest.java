package io.steward.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.steward.core.protocol.MetricsReport;
import io.steward.core.protocol.MetricsReport.NetworkStats;
import io.steward.core.protocol.MetricsReport.ProcessInfo;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.NetworkIF;

/**
 * The Linux /proc readers report what the OSHI collectors report on this machine: the same names, the same values
 * within what changes between two readings a few milliseconds apart (the node, alert rules and UI depend on them).
 */
class LinuxMatchesOshiTest {
    private static Families linux;
    private static Families oshi;

    @BeforeAll
    static void bothOnThisMachine() {
        assumeThat(Families.linuxProcAvailable()).as("Linux with /proc").isTrue();
        linux = Families.linux(100);
        oshi = Families.oshi(100);
    }

    @Test
    void theAgentUsesTheLinuxReadersHere() {
        assertThat(MachineCollector.forThisMachine(10).platform()).isEqualTo("Linux /proc");
    }

    @Test
    void cpuTicksMemoryAndLoadAgree() {
        CentralProcessor processor = new SystemInfo().getHardware().getProcessor();
        long[][] ticks = new long[8][LinuxCpuCollector.TICK_TYPES];
        int cores;
        try {
            cores = LinuxCpuCollector.parseTicks(new ProcFiles(16384).read("/proc/stat"), ticks);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        long[] oshiTicks = processor.getSystemCpuLoadTicks(); // milliseconds; /proc/stat counts 1/100 s here
        assertThat(cores).isEqualTo(processor.getLogicalProcessorCount());
        for (int i = 0; i < LinuxCpuCollector.TICK_TYPES; i++) {
            long ours = ticks[0][i] * 1000 / AuxiliaryVector.ofThisProcess().clockTicksPerSecond();
            assertThat(oshiTicks[i]).as("tick type %d", i).isCloseTo(ours, within(Math.max(500L, ours / 100)));
        }

        MetricsReport.CpuStats linuxCpu = linux.cpu().collect();
        MetricsReport.CpuStats oshiCpu = oshi.cpu().collect();
        assertThat(linuxCpu.perCore()).hasSameSizeAs(oshiCpu.perCore());
        assertThat(linuxCpu.load1()).isCloseTo(oshiCpu.load1(), within(1.0));
        assertThat(linuxCpu.load15()).isCloseTo(oshiCpu.load15(), within(0.5));
        assertThat(linuxCpu.percent()).isBetween(0.0, 100.0);

        MetricsReport.MemoryStats linuxMemory = linux.memory().collect();
        MetricsReport.MemoryStats oshiMemory = oshi.memory().collect();
        assertThat(linuxMemory.totalBytes()).isEqualTo(oshiMemory.totalBytes());
        assertThat(linuxMemory.swapTotalBytes()).isEqualTo(oshiMemory.swapTotalBytes());
        long slack = linuxMemory.totalBytes() / 50; // other processes allocate between the two reads
        assertThat(linuxMemory.usedBytes()).isCloseTo(oshiMemory.usedBytes(), within(slack));
        assertThat(linuxMemory.swapUsedBytes()).isCloseTo(oshiMemory.swapUsedBytes(), within(slack));
        assertThat(linuxMemory.percent()).isCloseTo(oshiMemory.percent(), within(2.0));
    }

    @Test
    void fileSystemsAreTheSameMountsWithTheSameFigures() {
        Map<String, MetricsReport.FilesystemStats> ours = byName(linux.filesystems().collect(),
                MetricsReport.FilesystemStats::mount);
        Map<String, MetricsReport.FilesystemStats> theirs = byName(oshi.filesystems().collect(),
                MetricsReport.FilesystemStats::mount);
        assertThat(ours.keySet()).isEqualTo(theirs.keySet()).isNotEmpty();
        ours.forEach((mount, stats) -> {
            MetricsReport.FilesystemStats other = theirs.get(mount);
            assertThat(stats.device()).as(mount).isEqualTo(other.device());
            assertThat(stats.type()).as(mount).isEqualTo(other.type());
            assertThat(stats.totalBytes()).as(mount).isEqualTo(other.totalBytes());
            assertThat(stats.inodesTotal()).as(mount).isEqualTo(other.inodesTotal());
            long slack = 256L << 20; // other tests write files between the two reads
            assertThat(stats.usedBytes()).as(mount).isCloseTo(other.usedBytes(), within(slack));
            assertThat(stats.percent()).as(mount).isCloseTo(other.percent(), within(0.5));
            assertThat(stats.inodesUsed()).as(mount).isCloseTo(other.inodesUsed(), within(10_000L));
        });
    }

    @Test
    void disksAreTheSameDevices() {
        assertThat(linux.disks().collect()).extracting(MetricsReport.DiskStats::name)
                .containsExactlyInAnyOrderElementsOf(oshi.disks().collect().stream()
                        .map(MetricsReport.DiskStats::name).toList());
    }

    @Test
    void interfacesAgreeOnNamesAddressesStateAndCounters() throws Exception {
        Map<String, NetworkStats> ours = byName(linux.interfaces().collect(), NetworkStats::name);
        Map<String, NetworkStats> theirs = byName(oshi.interfaces().collect(), NetworkStats::name);
        assertThat(ours.keySet()).isEqualTo(theirs.keySet());
        ours.forEach((name, stats) -> {
            NetworkStats other = theirs.get(name);
            assertThat(stats.ipv4()).as(name).isEqualTo(other.ipv4());
            assertThat(stats.ipv6()).as(name).isEqualTo(other.ipv6());
            assertThat(stats.mac()).as(name).isEqualTo(other.mac());
            assertThat(stats.up()).as(name).isEqualTo(other.up());
            assertThat(stats.rxErrors()).as(name).isEqualTo(other.rxErrors());
            assertThat(stats.txErrors()).as(name).isEqualTo(other.txErrors());
        });
        // The raw counters, read one after the other: equal but for the traffic in between.
        String[] names = ours.keySet().toArray(String[]::new);
        long[][] counters = new long[names.length][LinuxNetworkCollector.COUNTERS];
        LinuxNetworkCollector.parseNetDev(new ProcFiles(4096).read("/proc/net/dev"), names, counters);
        Map<String, NetworkIF> oshiInterfaces = new SystemInfo().getHardware().getNetworkIFs(true).stream()
                .collect(Collectors.toMap(NetworkIF::getName, Function.identity()));
        for (int i = 0; i < names.length; i++) {
            NetworkIF other = oshiInterfaces.get(names[i]);
            long slack = 50_000_000; // loopback carries other tests' traffic
            assertThat(counters[i][0]).as(names[i]).isCloseTo(other.getBytesRecv(), within(slack));
            assertThat(counters[i][1]).as(names[i]).isCloseTo(other.getBytesSent(), within(slack));
            assertThat(counters[i][2]).as(names[i]).isCloseTo(other.getPacketsRecv(), within(slack / 100));
            assertThat(counters[i][3]).as(names[i]).isCloseTo(other.getPacketsSent(), within(slack / 100));
        }
    }

    @Test
    void processesAgreeOnCountsNamesOwnersMemoryAndCpu() {
        MetricsReport.ProcessStats ours = linux.processes().collect();
        MetricsReport.ProcessStats theirs = oshi.processes().collect();
        assertThat(ours.count()).isCloseTo(theirs.count(), within(Math.max(10, theirs.count() / 10)));
        assertThat(ours.threadCount()).isCloseTo(theirs.threadCount(), within(Math.max(50, theirs.threadCount() / 5)));
        assertThat(ours.topByCpu()).isNotEmpty();
        // A listed process that ends before its name is read is left out (OSHI lists its stale snapshot), and with
        // fewer processes than the list's length every process is listed: with other builds starting and ending
        // processes on this machine between the two reads, a few may differ either way.
        assertThat(ours.topByMemory()).hasSizeBetween(theirs.topByMemory().size() - 10,
                theirs.topByMemory().size() + 10);

        Map<Integer, ProcessInfo> all = byName(linux.processes().all(), ProcessInfo::pid);
        Map<Integer, ProcessInfo> oshiAll = byName(oshi.processes().all(), ProcessInfo::pid);
        int compared = 0;
        int sameMemory = 0;
        int sameNameAndOwner = 0;
        for (ProcessInfo other : theirs.topByMemory()) {
            ProcessInfo mine = all.get(other.pid());
            if (mine == null) {
                continue; // ended between the two reads
            }
            compared++;
            // Between the two reads a process may exec another program (same pid, new name) or a kernel thread
            // change work queue (its name says which): most agree exactly, a few may not.
            if (mine.name().equals(other.name()) && java.util.Objects.equals(mine.user(), other.user())) {
                sameNameAndOwner++;
            }
            if (Math.abs(mine.rssBytes() - other.rssBytes()) <= Math.max(8L << 20, other.rssBytes() / 5)) {
                sameMemory++;
            }
        }
        assertThat(compared).isGreaterThan(ours.topByMemory().size() / 2);
        // Busy processes (other builds on this machine) grow and shrink between the two reads; most stay put.
        assertThat(sameMemory).isGreaterThanOrEqualTo(compared * 2 / 3);
        assertThat(sameNameAndOwner).isGreaterThanOrEqualTo(compared * 9 / 10);
        // A first reading is the lifetime average: for a long-running process both agree closely.
        ProcessInfo init = all.get(1);
        assertThat(init.cpuPercent()).isCloseTo(oshiAll.get(1).cpuPercent(), within(0.5));
        assertThat(init.memoryPercent()).isCloseTo(oshiAll.get(1).memoryPercent(), within(0.5));
    }

    @Test
    void aSecondCycleMeasuresCpuBetweenReadings() throws Exception {
        Families fresh = Families.linux(5);
        fresh.processes().collect();
        long deadline = System.nanoTime() + 150_000_000;
        while (System.nanoTime() < deadline) {
            Math.sqrt(System.nanoTime()); // this test's own thread burns CPU between the readings
        }
        ProcessInfo self = fresh.processes().all().stream()
                .filter(process -> process.pid() == ProcessHandle.current().pid()).findFirst().orElseThrow();
        MetricsReport.ProcessStats second = fresh.processes().collect();
        assertThat(second.topByCpu()).hasSizeLessThanOrEqualTo(5);
        ProcessInfo again = fresh.processes().all().stream()
                .filter(process -> process.pid() == ProcessHandle.current().pid()).findFirst().orElseThrow();
        assertThat(again.name()).isEqualTo(self.name()).isEqualTo("java");
        assertThat(again.cpuPercent()).isGreaterThan(0.0);
    }

    private static <K, V> Map<K, V> byName(java.util.List<V> values, Function<V, K> key) {
        return values.stream().collect(Collectors.toMap(key, Function.identity(), (a, b) -> a));
    }
}
