package io.steward.core.alerting;

import io.steward.core.backup.BackupSeries;
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

    /**
     * Service rules, added when services arrived (installations seeded before get them once too). A service that
     * stays down for a minute — its restarts are not working — warns; a recovery the entity gave up on (attempts
     * exhausted, or flapping) is critical at once.
     */
    public static List<AlertRule> services() {
        return List.of(
                new AlertRule("default-service-down", "Service down", SeriesName.of(SERVICE_DOWN),
                        Comparison.ABOVE, 0.5, 0.5, Duration.ofMinutes(1), Severity.WARNING, new Scope.Global(), true),
                new AlertRule("default-service-recovery", "Service recovery failed",
                        SeriesName.of(SERVICE_RECOVERY_FAILED), Comparison.ABOVE, 0.5, 0.5, Duration.ZERO,
                        Severity.CRITICAL, new Scope.Global(), true));
    }

    /**
     * Backup rules, added when backups arrived (installations seeded before get them once too): a failed or refused
     * run, a missed due time, a changed host key and a test restore that found different content are critical;
     * a recovery point older than two periods, a snapshot that shrank by more than 30 % (a wiped source, an
     * unmounted disk) and files that could not be read warn.
     */
    public static List<AlertRule> backups() {
        return List.of(
                critical("default-backup-failed", "Backup failed", BackupSeries.FAILED),
                critical("default-backup-missed", "Backup missed", BackupSeries.MISSED),
                critical("default-backup-host-key", "Backup destination's host key changed",
                        BackupSeries.HOST_KEY_CHANGED),
                critical("default-backup-verify", "Backup test restore found different content",
                        BackupSeries.VERIFY_FAILED),
                new AlertRule("default-backup-stale", "Backup older than two periods", SeriesName.of(
                        BackupSeries.AGE_PERIODS), Comparison.ABOVE, 2, 2, Duration.ZERO, Severity.WARNING,
                        new Scope.Global(), true),
                new AlertRule("default-backup-shrunk", "Backup shrank by more than 30 %", SeriesName.of(
                        BackupSeries.SHRINK_PERCENT), Comparison.ABOVE, 30, 30, Duration.ZERO, Severity.WARNING,
                        new Scope.Global(), true),
                new AlertRule("default-backup-incomplete", "Backup skipped files", SeriesName.of(
                        BackupSeries.INCOMPLETE), Comparison.ABOVE, 0.5, 0.5, Duration.ZERO, Severity.WARNING,
                        new Scope.Global(), true));
    }

    private static AlertRule critical(String id, String name, String series) {
        return new AlertRule(id, name, SeriesName.of(series), Comparison.ABOVE, 0.5, 0.5, Duration.ZERO,
                Severity.CRITICAL, new Scope.Global(), true);
    }

    /** 1 while a service is down, per service ({@code service.down{service=nginx}}). */
    public static final String SERVICE_DOWN = "service.down";
    /** 1 while the entity has given up restarting a service (attempts exhausted or flapping). */
    public static final String SERVICE_RECOVERY_FAILED = "service.recovery_failed";
}
