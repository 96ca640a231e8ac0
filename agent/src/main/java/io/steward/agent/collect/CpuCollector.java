package io.steward.agent.collect;

import io.steward.core.protocol.MetricsReport.CpuStats;
import java.util.ArrayList;
import java.util.List;
import oshi.hardware.CentralProcessor;

/** CPU use over the last cycle, total and per logical CPU, from tick deltas; plus the load averages. */
final class CpuCollector implements Collector<CpuStats> {
    private final CentralProcessor processor;
    private long[] previousTicks;
    private long[][] previousCoreTicks;

    CpuCollector(CentralProcessor processor) {
        this.processor = processor;
        this.previousTicks = processor.getSystemCpuLoadTicks();
        this.previousCoreTicks = processor.getProcessorCpuLoadTicks();
    }

    @Override
    public CpuStats collect() {
        long[] ticks = processor.getSystemCpuLoadTicks();
        long[][] coreTicks = processor.getProcessorCpuLoadTicks();
        double total = processor.getSystemCpuLoadBetweenTicks(previousTicks, ticks);
        double[] cores = coreTicks.length == previousCoreTicks.length
                ? processor.getProcessorCpuLoadBetweenTicks(previousCoreTicks, coreTicks)
                : new double[coreTicks.length]; // CPUs went on- or offline: one cycle without per-core values
        previousTicks = ticks;
        previousCoreTicks = coreTicks;
        List<Double> perCore = new ArrayList<>(cores.length);
        for (double core : cores) {
            perCore.add(Percent.round2(Percent.ofRatio(core)));
        }
        double[] load = processor.getSystemLoadAverage(3);
        return new CpuStats(Percent.round2(Percent.ofRatio(total)), perCore,
                Percent.round2(Percent.nonNegative(load[0])),
                Percent.round2(Percent.nonNegative(load[1])),
                Percent.round2(Percent.nonNegative(load[2])));
    }
}
