package io.steward.node.server;

import io.steward.core.backup.BackupDestination;
import io.steward.core.backup.BackupJobSpec;
import io.steward.core.backup.BackupSchedule;
import io.steward.core.backup.Retention;
import java.time.Instant;
import java.util.List;

/** Backup jobs for the entity's tests. */
final class BackupSamples {
    private BackupSamples() {}

    static final BackupDestination DESTINATION = new BackupDestination("backup.example.com", 22, "stw", "/b/web-1");

    /** A job backing up /srv/www every {@code hours} hours from {@code anchor}. */
    static BackupSettings everyHours(String jobId, int hours, Instant anchor) {
        return new BackupSettings("www " + jobId, new BackupJobSpec(jobId, List.of("/srv/www"), List.of(),
                DESTINATION, null, null), new BackupSchedule.EveryHours(hours, anchor), Retention.DEFAULT, true, 24);
    }
}
