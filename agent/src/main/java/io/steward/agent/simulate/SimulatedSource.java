package io.steward.agent.simulate;

import static java.util.Objects.requireNonNull;

import io.steward.agent.ReportSource;
import io.steward.core.protocol.MetricsReport;
import io.steward.core.protocol.MetricsReport.CpuStats;
import io.steward.core.protocol.MetricsReport.DiskStats;
import io.steward.core.protocol.MetricsReport.FilesystemStats;
import io.steward.core.protocol.MetricsReport.HostInfo;
import io.steward.core.protocol.MetricsReport.MemoryStats;
import io.steward.core.protocol.MetricsReport.NetworkStats;
import io.steward.core.protocol.MetricsReport.ProcessInfo;
import io.steward.core.protocol.MetricsReport.ProcessStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A plausible server that does not exist: CPU, memory and load wander (mean-reverting random walks), disks fill
 * slowly, NICs and disks move traffic, a fixed cast of processes takes turns being busy. Cheap: a few dozen random
 * numbers and small records per report, so thousands can run in one JVM. Deterministic for a given seed.
 */
public final class SimulatedSource implements ReportSource {
    private static final String[] PROCESS_NAMES = {
        "systemd", "sshd", "nginx", "postgres", "java", "node", "redis-server", "dockerd", "containerd", "cron",
        "rsyslogd", "python3", "php-fpm", "chronyd", "journald", "udevd", "agetty", "bash", "prometheus", "haproxy"
    };
    private static final String[] USERS = {"root", "www-data", "postgres", "app", "redis"};

    private record SimulatedProcess(int pid, String name, String user, double baseCpu, long baseRss) {}

    private record Mount(String mount, String device, String type, long totalBytes, long inodesTotal) {}

    private final String hostname;
    private final Clock clock;
    private final SplittableRandom random;
    private final int cores;
    private final long memoryTotal;
    private final long swapTotal;
    private final Instant bootTime;
    private final List<Mount> mounts;
    private final double[] mountUse;
    private final List<SimulatedProcess> processes;
    private final double[] processCpu;
    private final String[] disks;
    private final String[] nics;
    private final String ipv4;
    private final String mac;
    private double cpu;
    private double memoryUse;
    private double load1;
    private double load5;
    private double load15;
    private long lastMillis;

    public SimulatedSource(String hostname, long seed) {
        this(hostname, seed, Clock.systemUTC());
    }

    public SimulatedSource(String hostname, long seed, Clock clock) {
        this.hostname = requireNonNull(hostname, "hostname is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.random = new SplittableRandom(seed);
        this.cores = new int[] {1, 2, 4, 8, 16}[random.nextInt(5)];
        this.memoryTotal = (1L << 30) * new int[] {1, 2, 4, 8, 16, 32}[random.nextInt(6)];
        this.swapTotal = random.nextBoolean() ? memoryTotal / 2 : 0;
        this.bootTime = clock.instant().minus(Duration.ofMinutes(5 + random.nextInt(90 * 24 * 60)));
        this.mounts = new ArrayList<>();
        mounts.add(new Mount("/", "/dev/vda1", "ext4", (20L + random.nextInt(200)) << 30, 6_000_000));
        mounts.add(new Mount("/boot", "/dev/vda2", "ext4", 1L << 30, 65_536));
        if (random.nextBoolean()) {
            mounts.add(new Mount("/var/lib/data", "/dev/vdb1", "xfs", (100L + random.nextInt(900)) << 30,
                    50_000_000));
        }
        this.mountUse = new double[mounts.size()];
        for (int i = 0; i < mountUse.length; i++) {
            mountUse[i] = 10 + random.nextDouble() * 70;
        }
        this.disks = mounts.size() > 2 ? new String[] {"vda", "vdb"} : new String[] {"vda"};
        this.nics = new String[] {"lo", "eth0"};
        this.ipv4 = "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
        this.mac = String.format("52:54:00:%02x:%02x:%02x", random.nextInt(256), random.nextInt(256),
                random.nextInt(256));
        this.processes = new ArrayList<>();
        int count = 20 + random.nextInt(10);
        for (int i = 0; i < count; i++) {
            processes.add(new SimulatedProcess(100 + i * 37 + random.nextInt(30),
                    PROCESS_NAMES[random.nextInt(PROCESS_NAMES.length)], USERS[random.nextInt(USERS.length)],
                    random.nextDouble() * random.nextDouble() * 40, (4L + random.nextInt(400)) << 20));
        }
        this.processCpu = new double[count];
        this.cpu = 5 + random.nextDouble() * 30;
        this.memoryUse = 20 + random.nextDouble() * 50;
        this.load1 = cpu / 100 * cores;
        this.load5 = load1;
        this.load15 = load1;
        this.lastMillis = clock.millis();
    }

    @Override
    public synchronized MetricsReport collect() {
        Instant now = clock.instant();
        long elapsedMillis = Math.max(1, now.toEpochMilli() - lastMillis);
        lastMillis = now.toEpochMilli();
        double seconds = elapsedMillis / 1000.0;

        cpu = walk(cpu, 25, 6, 0, 100);
        List<Double> perCore = new ArrayList<>(cores);
        for (int i = 0; i < cores; i++) {
            perCore.add(round(clamp(cpu + random.nextDouble() * 20 - 10, 0, 100)));
        }
        double runnable = cpu / 100 * cores;
        load1 += (runnable - load1) * 0.3;
        load5 += (runnable - load5) * 0.08;
        load15 += (runnable - load15) * 0.03;

        memoryUse = walk(memoryUse, 45, 1.5, 5, 98);
        long memoryUsed = (long) (memoryTotal * memoryUse / 100);
        long swapUsed = swapTotal == 0 ? 0 : (long) (swapTotal * Math.max(0, memoryUse - 70) / 100);

        List<FilesystemStats> filesystems = new ArrayList<>(mounts.size());
        for (int i = 0; i < mounts.size(); i++) {
            Mount mount = mounts.get(i);
            mountUse[i] = clamp(mountUse[i] + random.nextDouble() * 0.01, 0, 99.5);
            long used = (long) (mount.totalBytes() * mountUse[i] / 100);
            long inodesUsed = (long) (mount.inodesTotal() * mountUse[i] / 300);
            filesystems.add(new FilesystemStats(mount.mount(), mount.device(), mount.type(), mount.totalBytes(), used,
                    mount.totalBytes() - used, round(mountUse[i]), mount.inodesTotal(), inodesUsed,
                    round(inodesUsed * 100.0 / mount.inodesTotal())));
        }

        List<DiskStats> diskStats = new ArrayList<>(disks.length);
        for (String disk : disks) {
            double activity = cpu / 100;
            diskStats.add(new DiskStats(disk, round(random.nextDouble() * 4e6 * activity),
                    round(random.nextDouble() * 8e6 * activity), round(random.nextDouble() * 200 * activity),
                    round(random.nextDouble() * 400 * activity)));
        }

        List<NetworkStats> interfaces = new ArrayList<>(nics.length);
        for (String nic : nics) {
            boolean loopback = nic.equals("lo");
            double scale = (loopback ? 2e5 : 2e6) * (0.2 + cpu / 100);
            double rx = random.nextDouble() * scale;
            double tx = random.nextDouble() * scale;
            interfaces.add(new NetworkStats(nic, List.of(loopback ? "127.0.0.1" : ipv4),
                    List.of(loopback ? "::1" : "fe80::5054:ff:fe00:1"), loopback ? null : mac, true,
                    round(rx), round(tx), round(rx / 900), round(tx / 900), 0, 0));
        }

        for (int i = 0; i < processCpu.length; i++) {
            processCpu[i] = clamp(processes.get(i).baseCpu() * (cpu / 30) * (0.5 + random.nextDouble()), 0,
                    100.0 * cores);
        }
        List<ProcessInfo> infos = new ArrayList<>(processes.size());
        for (int i = 0; i < processes.size(); i++) {
            SimulatedProcess process = processes.get(i);
            long rss = (long) (process.baseRss() * (0.9 + random.nextDouble() * 0.2));
            infos.add(new ProcessInfo(process.pid(), process.name(), process.user(), round(processCpu[i]), rss,
                    round(rss * 100.0 / memoryTotal)));
        }
        List<ProcessInfo> byCpu = top(infos, Comparator.comparingDouble(ProcessInfo::cpuPercent));
        List<ProcessInfo> byMemory = top(infos, Comparator.comparingLong(ProcessInfo::rssBytes));

        long uptime = Duration.between(bootTime, now).toSeconds();
        return new MetricsReport(
                now,
                elapsedMillis,
                new HostInfo(hostname, "Debian GNU/Linux", "12", "6.1.0-28-amd64", "x86_64",
                        "Simulated vCPU @ 2.40GHz", cores, bootTime, uptime),
                new CpuStats(round(cpu), perCore, round(load1), round(load5), round(load15)),
                new MemoryStats(memoryTotal, memoryUsed, memoryTotal - memoryUsed, round(memoryUse), swapTotal,
                        swapUsed, swapTotal == 0 ? 0 : round(swapUsed * 100.0 / swapTotal)),
                filesystems,
                diskStats,
                interfaces,
                new ProcessStats(processes.size() + 60, processes.size() * 3 + 150, byCpu, byMemory),
                0);
    }

    /** A mean-reverting random step, so values wander but stay believable. */
    private double walk(double value, double mean, double step, double minimum, double maximum) {
        double next = value + (mean - value) * 0.05 + (random.nextDouble() * 2 - 1) * step;
        return clamp(next, minimum, maximum);
    }

    private static List<ProcessInfo> top(List<ProcessInfo> infos, Comparator<ProcessInfo> order) {
        List<ProcessInfo> sorted = new ArrayList<>(infos);
        sorted.sort(order.reversed());
        return sorted.subList(0, Math.min(15, sorted.size()));
    }

    private static double clamp(double value, double minimum, double maximum) {
        return Math.max(minimum, Math.min(maximum, value));
    }

    private static double round(double value) {
        return Math.round(value * 100.0) / 100.0;
    }
}
