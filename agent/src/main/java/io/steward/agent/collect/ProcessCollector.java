package io.steward.agent.collect;

import io.steward.core.protocol.MetricsReport.ProcessInfo;
import io.steward.core.protocol.MetricsReport.ProcessStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import oshi.hardware.GlobalMemory;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * Process and thread counts and the heaviest processes by CPU and by memory. Per-process CPU is measured between
 * this cycle's and the previous cycle's snapshot of the same process (same pid and start time); a process seen for
 * the first time reports its lifetime average. Only the previous cycle's snapshots are kept, so the memory is
 * bounded by the number of processes running now.
 *
 * <p>CPU percent is top-style: 100 is one logical CPU fully busy, so a multi-threaded process can exceed 100.
 */
final class ProcessCollector implements ProcessFamily {
    private record Candidate(OSProcess process, double cpuPercent, long rssBytes) {}

    private static final Comparator<Candidate> BY_CPU = Comparator.comparingDouble(Candidate::cpuPercent)
            .thenComparingLong(Candidate::rssBytes);
    private static final Comparator<Candidate> BY_MEMORY = Comparator.comparingLong(Candidate::rssBytes)
            .thenComparingDouble(Candidate::cpuPercent);

    private final OperatingSystem operatingSystem;
    private final GlobalMemory memory;
    /** Changes on a config reload; read once per cycle. */
    private volatile int top;
    private Map<Integer, OSProcess> previous = new HashMap<>();
    /** Every process of the latest cycle, described on request only (the full list is asked for rarely). */
    private volatile List<Candidate> latest = List.of();
    private volatile long latestTotalMemory;

    ProcessCollector(OperatingSystem operatingSystem, GlobalMemory memory, int top) {
        this.operatingSystem = operatingSystem;
        this.memory = memory;
        this.top = top;
    }

    @Override
    public void top(int top) {
        this.top = top;
    }

    @Override
    public ProcessStats collect() {
        int limit = top;
        List<OSProcess> processes = operatingSystem.getProcesses();
        Map<Integer, OSProcess> current = new HashMap<>(Math.max(16, processes.size() * 2));
        List<Candidate> candidates = new ArrayList<>(processes.size());
        int threads = 0;
        for (OSProcess process : processes) {
            OSProcess before = previous.get(process.getProcessID());
            if (before != null && before.getStartTime() != process.getStartTime()) {
                before = null; // the pid was reused by another process
            }
            double cpu = Percent.nonNegative(process.getProcessCpuLoadBetweenTicks(before)) * 100.0;
            candidates.add(new Candidate(process, cpu, Math.max(0, process.getResidentMemory())));
            threads += Math.max(0, process.getThreadCount());
            current.put(process.getProcessID(), process);
        }
        previous = current;
        long totalMemory = memory.getTotal();
        latest = List.copyOf(candidates);
        latestTotalMemory = totalMemory;
        return new ProcessStats(processes.size(), threads,
                describe(TopProcesses.top(candidates, limit, BY_CPU), totalMemory),
                describe(TopProcesses.top(candidates, limit, BY_MEMORY), totalMemory));
    }

    @Override
    public List<ProcessInfo> all() {
        List<Candidate> candidates = new ArrayList<>(latest);
        candidates.sort(BY_CPU.reversed());
        // Bounded so the answer stays one frame well under the node's limit (1 MiB) even on a huge host.
        return describe(candidates.subList(0, Math.min(candidates.size(), 5000)), latestTotalMemory);
    }

    private static List<ProcessInfo> describe(List<Candidate> chosen, long totalMemory) {
        List<ProcessInfo> result = new ArrayList<>(chosen.size());
        for (Candidate candidate : chosen) {
            OSProcess process = candidate.process();
            result.add(new ProcessInfo(process.getProcessID(), process.getName(), process.getUser(),
                    Percent.round2(candidate.cpuPercent()), candidate.rssBytes(),
                    Percent.round2(Percent.of(candidate.rssBytes(), totalMemory))));
        }
        return result;
    }
}
