package io.steward.node.server;

import static java.util.Objects.requireNonNull;

import io.steward.core.backup.BackupJobSpec;
import io.steward.core.backup.BackupSchedule;
import io.steward.core.backup.Retention;
import io.steward.node.serialization.CborSerializable;

/**
 * A backup job as people set it: its name, what the agent copies where ({@link BackupJobSpec}, checked again by the
 * agent), when, how many snapshots stay, and how often a test restore checks the newest one.
 *
 * @param verifyEveryHours hours between test restores; 0 turns them off
 */
public record BackupSettings(String name, BackupJobSpec spec, BackupSchedule schedule, Retention retention,
        boolean enabled, int verifyEveryHours) implements CborSerializable {
    public static final int DEFAULT_VERIFY_HOURS = 24;
    public static final int MAX_NAME = 100;

    public BackupSettings {
        requireNonNull(name, "name is null");
        requireNonNull(spec, "spec is null");
        requireNonNull(schedule, "schedule is null");
        requireNonNull(retention, "retention is null");
        if (verifyEveryHours < 0 || verifyEveryHours > 24 * 31) {
            throw new IllegalArgumentException("verifyEveryHours must be from 0 (off) to 744");
        }
    }

    public String jobId() {
        return spec.jobId();
    }

    /** Whether runs of the two settings write to the same place (rrsync lets one connection in at a time). */
    boolean sameDestination(BackupSettings other) {
        return spec.destination().address().equals(other.spec.destination().address())
                && spec.destination().path().equals(other.spec.destination().path());
    }
}
