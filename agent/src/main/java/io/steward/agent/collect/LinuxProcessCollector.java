package io.steward.agent.collect;

import io.steward.core.protocol.MetricsReport.ProcessInfo;
import io.steward.core.protocol.MetricsReport.ProcessStats;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Process and thread counts and the heaviest processes by CPU and by memory, read straight from /proc: one
 * /proc/[pid]/stat per process per cycle (parsed in place into primitive tables kept between cycles), and
 * /proc/[pid]/status (name, owner) only for the processes a report lists. Reports what {@link ProcessCollector}
 * reports through OSHI, which reads five files per process and builds a map of each.
 *
 * <p>Per-process CPU is measured between this cycle's and the previous cycle's reading of the same process (same pid
 * and start time); a process seen for the first time reports its lifetime average. CPU percent is top-style: 100 is
 * one logical CPU fully busy.
 */
final class LinuxProcessCollector implements ProcessFamily {
    /** Beyond this the full list is cut, so the answer stays one frame well under the node's 1 MiB limit. */
    private static final int ALL_LIMIT = 5000;

    private final ProcFiles files = new ProcFiles(2048);
    private final PidStat stat = new PidStat();
    private final UserNames users = new UserNames();
    private final LongSupplier totalMemory;
    private final long bootMillis;
    private final AuxiliaryVector kernel;
    private final File proc = new File("/proc");
    private volatile int top;
    private ProcessTable current = new ProcessTable(256);
    private ProcessTable previous = new ProcessTable(256);
    private int[] chosen = new int[0];

    /**
     * @param totalMemory the machine's memory in bytes (the memory collector's latest MemTotal)
     * @param bootEpochSeconds when the machine booted: turns a process's start (ticks after boot) into a time
     */
    LinuxProcessCollector(LongSupplier totalMemory, long bootEpochSeconds, AuxiliaryVector kernel, int top) {
        this.totalMemory = totalMemory;
        this.bootMillis = bootEpochSeconds * 1000;
        this.kernel = kernel;
        this.top = top;
    }

    @Override
    public void top(int top) {
        this.top = top;
    }

    @Override
    public synchronized ProcessStats collect() {
        int limit = top;
        ProcessTable swap = previous;
        previous = current;
        current = swap;
        current.clear();
        long now = System.currentTimeMillis();
        int threads = 0;
        String[] names = proc.list();
        if (names == null) {
            throw new IllegalStateException("/proc cannot be listed");
        }
        for (String name : names) {
            int pid = pid(name);
            if (pid <= 0 || !readStat(pid)) {
                continue; // not a process, or it ended between the listing and the read
            }
            threads += (int) Math.max(0, stat.threads);
            current.add(pid, stat.startTicks, stat.cpuTicks(), stat.rssPages * kernel.pageSize(),
                    cpuPercent(pid, now));
        }
        current.sortByPid();
        current.readAt = now;
        long memory = totalMemory.getAsLong();
        return new ProcessStats(current.size(), threads, describe(current.top(limit, true, chosenFor(limit)), memory),
                describe(current.top(limit, false, chosenFor(limit)), memory));
    }

    @Override
    public synchronized List<ProcessInfo> all() {
        int count = Math.min(current.size(), ALL_LIMIT);
        return describe(current.top(count, true, chosenFor(count)), totalMemory.getAsLong());
    }

    private int[] chosenFor(int count) {
        if (chosen.length < count) {
            chosen = new int[count];
        }
        return chosen;
    }

    /** The name and owner of the chosen rows (from /proc/[pid]/status); a process that ended meanwhile is left out. */
    private List<ProcessInfo> describe(int count, long memory) {
        List<ProcessInfo> result = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int row = chosen[i];
            int pid = current.pid(row);
            ProcText status;
            try {
                status = files.read("/proc/" + pid + "/status");
            } catch (IOException e) {
                continue;
            }
            StatusFields fields = parseStatus(status);
            long rss = current.rssBytes(row);
            result.add(new ProcessInfo(pid, fields.name(), fields.uid() < 0 ? UserNames.UNKNOWN : users.name(fields.uid()),
                    Percent.round2(current.cpuPercent(row)), rss, Percent.round2(Percent.of(rss, memory))));
        }
        return result;
    }

    private boolean readStat(int pid) {
        try {
            return parseStat(files.read("/proc/" + pid + "/stat"), stat);
        } catch (IOException e) {
            return false;
        }
    }

    /** OSHI's figure: CPU time over wall time since the previous reading of the same process, else since its start. */
    private double cpuPercent(int pid, long now) {
        long cpuMillis = stat.cpuTicks() * 1000 / kernel.clockTicksPerSecond();
        int before = previous.find(pid);
        if (before >= 0 && previous.startTicks(before) == stat.startTicks && now > previous.readAt) {
            long beforeMillis = previous.cpuTicks(before) * 1000 / kernel.clockTicksPerSecond();
            return Percent.nonNegative((double) (cpuMillis - beforeMillis) / (now - previous.readAt)) * 100.0;
        }
        long startMillis = bootMillis + stat.startTicks * 1000 / kernel.clockTicksPerSecond();
        long upMillis = now - Math.min(startMillis, now - 1);
        return Percent.nonNegative((double) cpuMillis / upMillis) * 100.0;
    }

    /** "1234" → 1234; anything else (self, sys, net...) → -1. */
    static int pid(String name) {
        if (name.isEmpty() || name.length() > 9) {
            return -1;
        }
        int pid = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            pid = pid * 10 + (c - '0');
        }
        return pid;
    }

    /** The numbers of /proc/[pid]/stat a report needs; one instance is reused for every process. */
    static final class PidStat {
        long userTicks;
        long systemTicks;
        long threads;
        long startTicks;
        long rssPages;

        long cpuTicks() {
            return userTicks + systemTicks;
        }
    }

    /**
     * Parses /proc/[pid]/stat. The command name (field 2) is in parentheses and may hold spaces and parentheses
     * itself, so the fields are counted from the last ')'. False when the text is not a stat line.
     */
    static boolean parseStat(ProcText text, PidStat into) {
        byte[] bytes = text.bytes();
        int close = text.end() - 1;
        while (close >= 0 && bytes[close] != ')') {
            close--;
        }
        if (close < 0) {
            return false;
        }
        text.position(close + 1);
        // Fields after the name, numbered from 0 = state (field 3 in proc(5)).
        for (int field = 0; field <= 21; field++) {
            long value = text.nextLong(); // state letters and negative priorities read as -1 and are skipped
            switch (field) {
                case 11 -> into.userTicks = value;
                case 12 -> into.systemTicks = value;
                case 17 -> into.threads = value;
                case 19 -> into.startTicks = value;
                case 21 -> into.rssPages = value;
                default -> { }
            }
        }
        return into.userTicks >= 0 && into.systemTicks >= 0 && into.startTicks >= 0 && into.rssPages >= 0;
    }

    /** What a report shows of a process besides its numbers. */
    record StatusFields(String name, int uid) {}

    /** The "Name:" and the real id of "Uid:" from /proc/[pid]/status; -1 for a missing uid. */
    static StatusFields parseStatus(ProcText text) {
        String name = "";
        long uid = -1;
        boolean haveName = false;
        while (!text.atEnd() && (!haveName || uid < 0)) {
            if (text.startsWith("Name:")) {
                text.skip("Name:".length());
                name = text.restOfLine();
                haveName = true;
            } else if (text.startsWith("Uid:")) {
                text.skip("Uid:".length());
                uid = text.nextLong();
                text.nextLine();
            } else {
                text.nextLine();
            }
        }
        return new StatusFields(name, uid > Integer.MAX_VALUE ? -1 : (int) uid);
    }
}
