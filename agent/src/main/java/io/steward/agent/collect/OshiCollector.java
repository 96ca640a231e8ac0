package io.steward.agent.collect;

import io.steward.agent.AgentSettings;
import io.steward.agent.ReportSource;
import io.steward.core.protocol.MetricsReport;
import java.util.List;

/**
 * Collects this machine with OSHI alone, on any platform OSHI supports: one {@link oshi.SystemInfo} and its hardware
 * layer for the agent's lifetime. The agent uses {@link MachineCollector#forThisMachine}, which reads Linux's /proc
 * directly; this one stays for other platforms and as the reference the Linux readers are checked against.
 */
public final class OshiCollector implements ReportSource {
    private final MachineCollector machine;

    /** Lists {@link AgentSettings#DEFAULT_TOP_PROCESSES} processes per ranking. */
    public OshiCollector() {
        this(AgentSettings.DEFAULT_TOP_PROCESSES);
    }

    /** @param topProcesses how many processes each report lists by CPU and by memory (each) */
    public OshiCollector(int topProcesses) {
        AgentSettings.checkTopProcesses("topProcesses", topProcesses, Integer.toString(topProcesses));
        this.machine = new MachineCollector(Families.oshi(topProcesses));
    }

    @Override
    public MetricsReport collect() {
        return machine.collect();
    }

    @Override
    public void topProcesses(int count) {
        machine.topProcesses(count);
    }

    @Override
    public List<MetricsReport.ProcessInfo> allProcesses() {
        return machine.allProcesses();
    }

    /** Wall time of the last collection, in nanoseconds. */
    public long lastCycleNanos() {
        return machine.lastCycleNanos();
    }
}
