package io.steward.agent.collect;

import io.steward.core.protocol.MetricsReport.CpuStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU use from /proc/stat tick deltas, total and per logical CPU, and the load averages from /proc/loadavg; the same
 * figures as {@link CpuCollector} (OSHI reads the same files) without its per-cycle arrays and string splitting.
 */
final class LinuxCpuCollector implements Collector<CpuStats> {
    /** user, nice, system, idle, iowait, irq, softirq, steal: what OSHI counts (guest is inside user already). */
    static final int TICK_TYPES = 8;
    private static final int IDLE = 3;
    private static final int IOWAIT = 4;

    private final ProcFiles files = new ProcFiles(16 * 1024);
    private long[][] ticks = new long[1 + Runtime.getRuntime().availableProcessors()][TICK_TYPES];
    private long[][] previous = new long[ticks.length][TICK_TYPES];
    private int previousCores;
    private final double[] load = new double[3];

    LinuxCpuCollector() {
        previousCores = readTicks();
        long[][] swap = previous;
        previous = ticks;
        ticks = swap;
    }

    @Override
    public CpuStats collect() {
        int cores = readTicks();
        double total = busyRatio(previous[0], ticks[0]);
        List<Double> perCore = new ArrayList<>(cores);
        for (int core = 1; core <= cores; core++) {
            // CPUs went on- or offline: one cycle without per-core values, as the OSHI collector does.
            perCore.add(cores == previousCores ? Percent.round2(Percent.ofRatio(busyRatio(previous[core], ticks[core])))
                    : 0.0);
        }
        long[][] swap = previous;
        previous = ticks;
        ticks = swap;
        previousCores = cores;
        try {
            parseLoadAverage(files.read("/proc/loadavg"), load);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new CpuStats(Percent.round2(Percent.ofRatio(total)), perCore,
                Percent.round2(Percent.nonNegative(load[0])),
                Percent.round2(Percent.nonNegative(load[1])),
                Percent.round2(Percent.nonNegative(load[2])));
    }

    /** Reads /proc/stat into {@code ticks}, growing the tables when more CPUs came online; returns the CPU count. */
    private int readTicks() {
        try {
            int cores = parseTicks(files.read("/proc/stat"), ticks);
            if (cores >= ticks.length) {
                long[] aggregate = previous[0];
                ticks = new long[cores + 1][TICK_TYPES];
                previous = new long[cores + 1][TICK_TYPES];
                previous[0] = aggregate; // the total stays right; per-core values restart next cycle
                previousCores = -1;
                cores = parseTicks(files.read("/proc/stat"), ticks);
            }
            return Math.min(cores, ticks.length - 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses the "cpu" line into {@code into[0]} and "cpuN" lines into the following rows (as many as fit); returns
     * how many "cpuN" lines there were. Missing trailing columns (old kernels) read as 0.
     */
    static int parseTicks(ProcText text, long[][] into) {
        int cores = 0;
        while (!text.atEnd() && text.startsWith("cpu")) {
            boolean aggregate = text.startsWith("cpu ");
            text.skipWord();
            int row = aggregate ? 0 : ++cores;
            for (int i = 0; i < TICK_TYPES; i++) {
                long value = text.nextLong();
                if (row < into.length) {
                    into[row][i] = Math.max(0, value);
                }
            }
            text.nextLine();
        }
        return cores;
    }

    /** The busy share 0..1 between two tick rows: everything but idle and iowait, over everything. */
    static double busyRatio(long[] before, long[] after) {
        long total = 0;
        for (int i = 0; i < TICK_TYPES; i++) {
            total += after[i] - before[i];
        }
        long idle = after[IDLE] + after[IOWAIT] - before[IDLE] - before[IOWAIT];
        return total > 0 ? (double) (total - idle) / total : 0;
    }

    /** "0.52 0.58 0.59 2/345 12345" → the three averages. */
    static void parseLoadAverage(ProcText text, double[] into) {
        for (int i = 0; i < 3; i++) {
            into[i] = text.nextDecimal();
        }
    }
}
