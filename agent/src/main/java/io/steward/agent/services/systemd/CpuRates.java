package io.steward.agent.services.systemd;

import io.steward.agent.collect.Percent;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU use of each unit between two checks, from systemd's cumulative CPUUsageNSec. Top-style like the process
 * list: 100 is one logical CPU fully busy. The first check of a unit, and one after its counter went back (the unit
 * restarted and got a new cgroup), have no rate. Only the last check's readings are kept.
 */
final class CpuRates {
    private record Reading(long cpuNanos, long atNanos) {}

    private Map<String, Reading> previous = new HashMap<>();
    private Map<String, Reading> current = new HashMap<>();

    /** The rate since the unit's previous reading, or null when there is none to compare with. */
    Double percent(String unit, Long cpuNanos, long nowNanos) {
        if (cpuNanos == null) {
            return null;
        }
        current.put(unit, new Reading(cpuNanos, nowNanos));
        Reading before = previous.get(unit);
        if (before == null || nowNanos <= before.atNanos() || cpuNanos < before.cpuNanos()) {
            return null;
        }
        double percent = (cpuNanos - before.cpuNanos()) * 100.0 / (nowNanos - before.atNanos());
        return Percent.round2(Percent.nonNegative(percent));
    }

    /** Ends a check: its readings become the ones to compare with, units not seen are forgotten. */
    void endCheck() {
        previous = current;
        current = new HashMap<>();
    }
}
