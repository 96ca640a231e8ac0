package io.steward.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.protocol.MetricsReport.MemoryStats;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import oshi.hardware.NetworkIF.IfOperStatus;
import org.junit.jupiter.api.Test;

/** The /proc parsers on text captured from a real machine (agent/src/test/resources/proc), and the pure rules. */
class LinuxParsersTest {

    @Test
    void cpuTicksAreReadPerLineForTheTotalAndEachCpu() throws IOException {
        long[][] ticks = new long[4][LinuxCpuCollector.TICK_TYPES];
        int cores = LinuxCpuCollector.parseTicks(fixture("stat.txt"), ticks);
        assertThat(cores).isEqualTo(2);
        assertThat(ticks[0]).containsExactly(4987556, 5270, 1205647, 7921456, 16169, 0, 75839, 0);
        assertThat(ticks[2]).containsExactly(2524248, 2842, 616008, 3911883, 11512, 0, 38964, 0);
        assertThat(ticks[3]).containsOnly(0L);
    }

    @Test
    void moreCpusThanRowsAreCountedButNotWritten() throws IOException {
        long[][] ticks = new long[2][LinuxCpuCollector.TICK_TYPES];
        assertThat(LinuxCpuCollector.parseTicks(fixture("stat.txt"), ticks)).isEqualTo(2);
        assertThat(ticks[1][0]).isEqualTo(2463308);
    }

    @Test
    void busyShareLeavesOutIdleAndIowait() {
        long[] before = {100, 0, 50, 800, 50, 0, 0, 0};
        long[] after = {130, 0, 60, 850, 60, 0, 0, 0}; // 40 busy of 100
        assertThat(LinuxCpuCollector.busyRatio(before, after)).isEqualTo(0.4);
        assertThat(LinuxCpuCollector.busyRatio(after, after)).isZero();
    }

    @Test
    void loadAveragesAreTheFirstThreeNumbers() throws IOException {
        double[] load = new double[3];
        LinuxCpuCollector.parseLoadAverage(ProcText.of("47.53 36.98 0.05 27/451 4839\n"), load);
        assertThat(load).containsExactly(47.53, 36.98, 0.05);
        LinuxCpuCollector.parseLoadAverage(fixture("loadavg.txt"), load);
        assertThat(load).containsExactly(43.92, 41.55, 27.65);
    }

    @Test
    void memoryIsTotalMinusAvailableAndSwapIsTotalMinusFree() throws IOException {
        long[] fields = new long[LinuxMemoryCollector.MemInfo.values().length];
        LinuxMemoryCollector.parse(fixture("meminfo.txt"), fields);
        MemoryStats stats = LinuxMemoryCollector.stats(fields);
        assertThat(stats.totalBytes()).isEqualTo(value("meminfo.txt", "MemTotal:") * 1024);
        assertThat(stats.availableBytes()).isEqualTo(value("meminfo.txt", "MemAvailable:") * 1024);
        assertThat(stats.usedBytes()).isEqualTo(stats.totalBytes() - stats.availableBytes());
        assertThat(stats.swapTotalBytes()).isEqualTo(value("meminfo.txt", "SwapTotal:") * 1024);
        assertThat(stats.swapUsedBytes()).isEqualTo(stats.swapTotalBytes() - value("meminfo.txt", "SwapFree:") * 1024);
    }

    @Test
    void oldKernelsWithoutMemAvailableGetOshisEstimate() {
        long[] fields = new long[LinuxMemoryCollector.MemInfo.values().length];
        LinuxMemoryCollector.parse(ProcText.of("""
                MemTotal:       1000 kB
                MemFree:         100 kB
                Active(file):     50 kB
                Inactive(file):   25 kB
                SReclaimable:     25 kB
                SwapTotal:         0 kB
                SwapFree:          0 kB
                """), fields);
        MemoryStats stats = LinuxMemoryCollector.stats(fields);
        assertThat(stats.availableBytes()).isEqualTo(200 * 1024);
        assertThat(stats.percent()).isEqualTo(80.0);
        assertThat(stats.swapPercent()).isZero();
    }

    @Test
    void processStatIsCountedFromTheLastParenthesis() throws IOException {
        LinuxProcessCollector.PidStat stat = new LinuxProcessCollector.PidStat();
        // Captured pid 1: a negative nice value (-10) must not shift the fields after it.
        assertThat(LinuxProcessCollector.parseStat(fixture("pid-1-stat.txt"), stat)).isTrue();
        assertThat(stat.userTicks).isEqualTo(8281);
        assertThat(stat.systemTicks).isEqualTo(26854);
        assertThat(stat.threads).isEqualTo(14);
        assertThat(stat.startTicks).isEqualTo(20);
        assertThat(stat.rssPages).isEqualTo(3210);

        assertThat(LinuxProcessCollector.parseStat(ProcText.of(
                "42 (we ird) (name) S 1 42 42 0 -1 0 0 0 0 0 7 3 0 0 20 0 2 0 500 100 77 0\n"), stat)).isTrue();
        assertThat(stat.cpuTicks()).isEqualTo(10);
        assertThat(stat.threads).isEqualTo(2);
        assertThat(stat.startTicks).isEqualTo(500);
        assertThat(stat.rssPages).isEqualTo(77);
        assertThat(LinuxProcessCollector.parseStat(ProcText.of(""), stat)).isFalse();
    }

    @Test
    void statusGivesTheNameAndTheRealUid() throws IOException {
        var fields = LinuxProcessCollector.parseStatus(fixture("pid-1-status.txt"));
        assertThat(fields.name()).isEqualTo("process_api");
        assertThat(fields.uid()).isZero();
        var other = LinuxProcessCollector.parseStatus(ProcText.of("Name:\tmy app\nUmask:\t0022\nUid:\t1000\t1001\t1000\t1000\n"));
        assertThat(other).isEqualTo(new LinuxProcessCollector.StatusFields("my app", 1000));
        assertThat(LinuxProcessCollector.parseStatus(ProcText.of("Name:\tx\n")).uid()).isEqualTo(-1);
    }

    @Test
    void onlyNumericProcEntriesArePids() {
        assertThat(LinuxProcessCollector.pid("10032")).isEqualTo(10032);
        assertThat(LinuxProcessCollector.pid("self")).isEqualTo(-1);
        assertThat(LinuxProcessCollector.pid("")).isEqualTo(-1);
        assertThat(LinuxProcessCollector.pid("12a")).isEqualTo(-1);
    }

    @Test
    void processTableRanksLikeTheOshiCollectorAndFindsPidsAfterSorting() {
        ProcessTable table = new ProcessTable(2); // grows
        table.add(30, 1, 1, 300, 5.0);
        table.add(10, 1, 1, 100, 50.0);
        table.add(20, 1, 1, 900, 5.0);
        table.add(40, 1, 1, 50, 0.0);
        table.sortByPid();
        assertThat(table.find(20)).isEqualTo(1);
        assertThat(table.find(25)).isEqualTo(-1);
        int[] rows = new int[4];
        int count = table.top(3, true, rows);
        assertThat(count).isEqualTo(3);
        assertThat(new int[] {table.pid(rows[0]), table.pid(rows[1]), table.pid(rows[2])})
                .containsExactly(10, 20, 30); // CPU ties broken by memory
        count = table.top(10, false, rows);
        assertThat(count).isEqualTo(4);
        assertThat(table.pid(rows[0])).isEqualTo(20);
        assertThat(table.pid(rows[3])).isEqualTo(40);
        assertThat(table.top(0, true, rows)).isZero();
    }

    @Test
    void netDevCountersGoToTheNamedInterfaces() throws IOException {
        String[] names = {"eth0", "lo", "gone0"};
        long[][] counters = new long[3][LinuxNetworkCollector.COUNTERS];
        counters[2] = new long[] {1, 2, 3, 4, 5, 6};
        LinuxNetworkCollector.parseNetDev(fixture("net-dev.txt"), names, counters);
        assertThat(counters[0]).containsExactly(613404841, 2326751, 29747, 22502, 0, 0);
        assertThat(counters[1]).containsExactly(13367035787L, 13367035787L, 9896702, 9896702, 0, 0);
        assertThat(counters[2]).containsExactly(1, 2, 3, 4, 5, 6); // not in the file: kept
        // Errors columns, and a name glued to its first number as the kernel prints large counters.
        LinuxNetworkCollector.parseNetDev(ProcText.of("h1\nh2\n  eth0:1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"),
                names, counters);
        assertThat(counters[0]).containsExactly(1, 9, 2, 10, 3, 11);
    }

    @Test
    void operstateMapsAsOshiDoes() {
        assertThat(LinuxNetworkCollector.parseOperState(ProcText.of("up\n"))).isEqualTo(IfOperStatus.UP);
        assertThat(LinuxNetworkCollector.parseOperState(ProcText.of("down\n"))).isEqualTo(IfOperStatus.DOWN);
        assertThat(LinuxNetworkCollector.parseOperState(ProcText.of("unknown\n"))).isEqualTo(IfOperStatus.UNKNOWN);
        assertThat(LinuxNetworkCollector.parseOperState(ProcText.of(""))).isEqualTo(IfOperStatus.UNKNOWN);
    }

    @Test
    void diskstatsCountersAreSectorsTimes512() throws IOException {
        String[] names = {"vda", "sdz"};
        long[][] counters = new long[2][LinuxDiskCollector.COUNTERS];
        LinuxDiskCollector.parseDiskStats(fixture("diskstats.txt"), names, counters);
        assertThat(counters[0]).containsExactly(47678730L * 512, 222098128L * 512, 1193594, 1040676);
        assertThat(counters[1]).containsOnly(0L);
    }

    @Test
    void mountsKeepLocalFileSystemsAsOshiAndTheFilesystemRulesDo() throws IOException {
        assertThat(LinuxFilesystemCollector.parseMounts(fixture("mounts.txt"))).containsExactly(
                new LinuxFilesystemCollector.Mount("/dev/vda", "/", "ext4"),
                new LinuxFilesystemCollector.Mount("model_tools_unavailable",
                        "/mnt/sandboxing/model_tools_env/v1/python", "tmpfs"));
        assertThat(LinuxFilesystemCollector.parseMounts(ProcText.of("""
                /dev/sdb1 /mnt/my\\040disk ext4 rw 0 0
                server:/export /mnt/nfs nfs4 rw,addr=10.0.0.1 0 0
                overlay /var/lib/docker/overlay2/abc/merged overlay rw 0 0
                /dev/loop3 /snap/core/1 squashfs ro 0 0
                tmpfs /run tmpfs rw 0 0
                tmpfs /run/user/1000 tmpfs rw 0 0
                /dev/sdc1 /var/lib/docker ext4 rw 0 0
                """))).containsExactly(
                new LinuxFilesystemCollector.Mount("/dev/sdb1", "/mnt/my disk", "ext4"),
                new LinuxFilesystemCollector.Mount("/dev/sdc1", "/var/lib/docker", "ext4"));
    }

    @Test
    void mountNamesHaveEveryOctalEscapeDecoded() {
        // The kernel escapes space, tab, newline and backslash; a backslash not followed by three octal digits stays.
        assertThat(LinuxFilesystemCollector.parseMounts(ProcText.of("""
                /dev/sdb1 /mnt/a\\040b\\011c\\012d\\134e ext4 rw 0 0
                /dev/sdc1 /mnt/caf\\303\\251\\134 xfs rw 0 0
                /dev/sdd1 /mnt/odd\\9x\\04 ext4 rw 0 0
                """))).containsExactly(
                new LinuxFilesystemCollector.Mount("/dev/sdb1", "/mnt/a b\tc\nd\\e", "ext4"),
                new LinuxFilesystemCollector.Mount("/dev/sdc1", "/mnt/caf\u00e9\\", "xfs"),
                new LinuxFilesystemCollector.Mount("/dev/sdd1", "/mnt/odd\\9x\\04", "ext4"));
    }

    @Test
    void auxiliaryVectorGivesTheTickRateAndPageSize() throws IOException {
        assertThat(AuxiliaryVector.parse(bytes("auxv.bin"))).isEqualTo(new AuxiliaryVector(100, 4096));
        assertThat(AuxiliaryVector.parse(new byte[0])).isEqualTo(AuxiliaryVector.DEFAULTS);
    }

    @Test
    void passwdMapsUidsToTheFirstName() {
        Map<Integer, String> users = UserNames.parsePasswd("""
                root:x:0:0:root:/root:/bin/bash
                # a comment
                toor:x:0:0::/root:/bin/sh
                postgres:x:104:110:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash
                +::::::
                """);
        assertThat(users).containsExactlyInAnyOrderEntriesOf(Map.of(0, "root", 104, "postgres"));
    }

    @Test
    void decimalsAndNumbersAreReadInPlace() {
        ProcText text = ProcText.of("MemTotal:  24683548 kB\nnext -5 x 7");
        assertThat(text.startsWith("MemTotal:")).isTrue();
        text.skip("MemTotal:".length());
        assertThat(text.nextLong()).isEqualTo(24683548);
        text.nextLine();
        assertThat(text.nextLong()).isEqualTo(-1); // "next"
        assertThat(text.nextLong()).isEqualTo(-1); // "-5": not an unsigned number, skipped whole
        assertThat(text.nextLong()).isEqualTo(-1); // "x"
        assertThat(text.nextLong()).isEqualTo(7);
        assertThat(text.atEnd()).isTrue();
        assertThat(ProcText.of("1.5").nextDecimal()).isEqualTo(1.5);
    }

    private static ProcText fixture(String name) throws IOException {
        byte[] bytes = bytes(name);
        return new ProcText().reset(bytes, bytes.length);
    }

    private static byte[] bytes(String name) throws IOException {
        try (InputStream in = LinuxParsersTest.class.getResourceAsStream("/proc/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static long value(String fixture, String key) throws IOException {
        for (String line : new String(bytes(fixture), StandardCharsets.US_ASCII).split("\n")) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim().split(" ")[0]);
            }
        }
        throw new AssertionError(key + " not in " + fixture);
    }
}
