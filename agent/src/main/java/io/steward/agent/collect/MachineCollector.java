package io.steward.agent.collect;

import io.steward.agent.AgentSettings;
import io.steward.agent.ReportSource;
import io.steward.core.protocol.MetricsReport;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects this machine, one collector per metric family. A family that fails (a disappearing disk, a permission
 * problem) is reported empty for that cycle and logged once until it works again; only CPU, memory and host failures
 * skip the whole cycle.
 */
public final class MachineCollector implements ReportSource {
    private static final Logger log = LoggerFactory.getLogger(MachineCollector.class);

    private final Families families;
    private final boolean[] failing = new boolean[4];
    private long previousNanos;
    private volatile long lastCycleNanos;

    MachineCollector(Families families) {
        this.families = families;
        this.previousNanos = System.nanoTime();
    }

    /**
     * The collector for the machine the agent runs on: the direct /proc readers on Linux, OSHI elsewhere.
     *
     * @param topProcesses how many processes each report lists by CPU and by memory (each)
     */
    public static MachineCollector forThisMachine(int topProcesses) {
        AgentSettings.checkTopProcesses("topProcesses", topProcesses, Integer.toString(topProcesses));
        Families families = null;
        if (Families.linuxProcAvailable()) {
            try {
                families = Families.linux(topProcesses);
            } catch (RuntimeException e) { // a /proc unlike any seen: OSHI may still read it
                log.warn("Cannot read /proc directly; collecting with OSHI", e);
            }
        }
        if (families == null) {
            families = Families.oshi(topProcesses);
        }
        log.debug("Collecting with [{}]", families.platform());
        return new MachineCollector(families);
    }

    /** Which readers this collector uses ("Linux /proc", "OSHI"). */
    public String platform() {
        return families.platform();
    }

    @Override
    public synchronized MetricsReport collect() {
        long started = System.nanoTime();
        Instant collectedAt = Instant.now();
        MetricsReport report = new MetricsReport(
                collectedAt,
                Math.max(1, (started - previousNanos) / 1_000_000),
                families.host().collect(),
                families.cpu().collect(),
                families.memory().collect(),
                optional(0, "file systems", families.filesystems()::collect, List.of()),
                optional(1, "disks", families.disks()::collect, List.of()),
                optional(2, "network interfaces", families.interfaces()::collect, List.of()),
                optional(3, "processes", families.processes()::collect, MetricsReport.ProcessStats.EMPTY),
                0);
        previousNanos = started;
        lastCycleNanos = System.nanoTime() - started;
        log.debug("Collection took [{}] ms", lastCycleNanos / 1_000_000);
        return report;
    }

    @Override
    public void topProcesses(int count) {
        AgentSettings.checkTopProcesses("topProcesses", count, Integer.toString(count));
        families.processes().top(count);
    }

    @Override
    public List<MetricsReport.ProcessInfo> allProcesses() {
        return families.processes().all();
    }

    /** Wall time of the last collection, in nanoseconds. */
    public long lastCycleNanos() {
        return lastCycleNanos;
    }

    private <T> T optional(int family, String name, Supplier<T> collector, T empty) {
        try {
            T value = collector.get();
            if (failing[family]) {
                log.info("Collecting {} works again", name);
                failing[family] = false;
            }
            return value;
        } catch (RuntimeException | LinkageError e) {
            if (!failing[family]) {
                log.warn("Cannot collect {}; reporting none until it works again", name, e);
                failing[family] = true;
            }
            return empty;
        }
    }
}
