package io.steward.agent.collect;

import io.steward.core.protocol.MetricsReport.MemoryStats;
import oshi.hardware.GlobalMemory;
import oshi.hardware.VirtualMemory;

/** Physical memory and swap. "Used" is total minus available (the kernel's estimate), as {@code free} shows it. */
final class MemoryCollector implements Collector<MemoryStats> {
    private final GlobalMemory memory;

    MemoryCollector(GlobalMemory memory) {
        this.memory = memory;
    }

    @Override
    public MemoryStats collect() {
        long total = memory.getTotal();
        long available = memory.getAvailable();
        long used = Math.max(0, total - available);
        VirtualMemory swap = memory.getVirtualMemory();
        long swapTotal = Math.max(0, swap.getSwapTotal());
        long swapUsed = Math.max(0, swap.getSwapUsed());
        return new MemoryStats(total, used, available, Percent.round2(Percent.of(used, total)), swapTotal, swapUsed,
                Percent.round2(Percent.of(swapUsed, swapTotal)));
    }
}
