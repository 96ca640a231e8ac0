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

    /**
     * Check rules, added when URL checks arrived (installations seeded before get them once too): a check down by
     * quorum is critical, partly down (some vantages fail) warns; a certificate warns at 14 days left and is critical
     * at 3; a certificate replaced unexpectedly (not a renewal by the same issuer) and vantages or addresses served
     * different certificates warn.
     */
    public static List<AlertRule> checks() {
        return List.of(
                critical("default-url-down", "Check down", CHECK_DOWN),
                new AlertRule("default-url-partial", "Check failing from some vantages", SeriesName.of(CHECK_PARTIAL),
                        Comparison.ABOVE, 0.5, 0.5, Duration.ZERO, Severity.WARNING, new Scope.Global(), true),
                new AlertRule("default-cert-expiring", "Certificate expires within 14 days",
                        SeriesName.of(CERT_DAYS_LEFT), Comparison.BELOW, 14.5, 14.5, Duration.ZERO, Severity.WARNING,
                        new Scope.Global(), true),
                new AlertRule("default-cert-expiring-critical", "Certificate expires within 3 days",
                        SeriesName.of(CERT_DAYS_LEFT), Comparison.BELOW, 3.5, 3.5, Duration.ZERO, Severity.CRITICAL,
                        new Scope.Global(), true),
                new AlertRule("default-cert-changed", "Certificate changed unexpectedly", SeriesName.of(CERT_CHANGED),
                        Comparison.ABOVE, 0.5, 0.5, Duration.ZERO, Severity.WARNING, new Scope.Global(), true),
                new AlertRule("default-cert-mismatch", "Different certificates served", SeriesName.of(CERT_MISMATCH),
                        Comparison.ABOVE, 0.5, 0.5, Duration.ZERO, Severity.WARNING, new Scope.Global(), true));
    }

    /** 1 while a check is down by quorum ({@code url.down{check=homepage-k3x9q2}}). */
    public static final String CHECK_DOWN = "url.down";
    /** 1 while some, not most, of a check's vantages fail. */
    public static final String CHECK_PARTIAL = "url.partial";
    /** Whole days until the earliest expiry among a check's certificates (chains included). */
    public static final String CERT_DAYS_LEFT = "cert.days_left";
    /** 1 for a day after a check's certificate was replaced unexpectedly. */
    public static final String CERT_CHANGED = "cert.changed";
    /** 1 while a check's vantages or addresses are served different certificates. */
    public static final String CERT_MISMATCH = "cert.mismatch";

    private static AlertRule critical(String id, String name, String series) {
        return new AlertRule(id, name, SeriesName.of(series), Comparison.ABOVE, 0.5, 0.5, Duration.ZERO,
                Severity.CRITICAL, new Scope.Global(), true);
    }

    /** 1 while a service is down, per service ({@code service.down{service=nginx}}). */
    public static final String SERVICE_DOWN = "service.down";
    /** 1 while the entity has given up restarting a service (attempts exhausted or flapping). */
    public static final String SERVICE_RECOVERY_FAILED = "service.recovery_failed";
}
