package io.steward.core.alerting;

import io.steward.core.metrics.SeriesName;
import java.time.Duration;
import java.util.List;

/** The rules a new installation starts with, all global and enabled; people edit or disable them like any other. */
public final class DefaultRules {
    private DefaultRules() {}

    public static List<AlertRule> all() {
        return List.of(
                new AlertRule("default-cpu", "CPU busy", SeriesName.of("cpu.percent"), Comparison.ABOVE, 90, 80,
                        Duration.ofMinutes(5), Severity.WARNING, new Scope.Global(), true),
                new AlertRule("default-memory", "Memory almost full", SeriesName.of("memory.percent"),
                        Comparison.ABOVE, 90, 85, Duration.ofMinutes(5), Severity.WARNING, new Scope.Global(), true),
                // Every filesystem: a disk filling up is not something to wait five minutes for.
                new AlertRule("default-disk", "Filesystem almost full", SeriesName.of("disk.percent"),
                        Comparison.ABOVE, 90, 88, Duration.ZERO, Severity.CRITICAL, new Scope.Global(), true),
                new AlertRule("default-offline", "Server offline", SeriesName.of(AlertRule.SERVER_OFFLINE),
                        Comparison.ABOVE, 0.5, 0.5, Duration.ZERO, Severity.CRITICAL, new Scope.Global(), true));
    }
}
