package io.steward.core.backup;

/**
 * The series a server's entity derives from its backup jobs, one per job ({@code backup.failed{job=www-x1y2}}), for
 * the alert rules; the default rules are in {@link io.steward.core.alerting.DefaultRules#backups()}.
 */
public final class BackupSeries {
    private BackupSeries() {}

    /** 1 while the job's last run failed or was refused. */
    public static final String FAILED = "backup.failed";
    /** 1 while the newest thing that happened to the job is a due time missed (no run started within its grace). */
    public static final String MISSED = "backup.missed";
    /** 1 while the last run ended with a warning: some files vanished or could not be read. */
    public static final String INCOMPLETE = "backup.incomplete";
    /** 1 while the destination's host key differs from the pinned one. */
    public static final String HOST_KEY_CHANGED = "backup.hostkey.changed";
    /** 1 while the last test restore found files whose content differs from the source. */
    public static final String VERIFY_FAILED = "backup.verify.failed";
    /** Seconds since the last good snapshot (since the job was created, before the first). */
    public static final String AGE_SECONDS = "backup.age.seconds";
    /** The same age in periods of the job's schedule: 2 means two runs' worth of changes are unprotected. */
    public static final String AGE_PERIODS = "backup.age.periods";
    public static final String SIZE_BYTES = "backup.size.bytes";
    public static final String FILES = "backup.files";
    public static final String DURATION_SECONDS = "backup.duration.seconds";
    /** How much the last good snapshot shrank against the one before: percent, the larger of size and files. */
    public static final String SHRINK_PERCENT = "backup.shrink.percent";
    /** Every backup series starts so: the backup evaluation speaks for these (a missing one resolves its alert). */
    public static final String PREFIX = "backup.";
}
