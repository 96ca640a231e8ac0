package io.steward.core.backup;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a backup run ended, as the agent reports it. */
public enum BackupOutcome {
    /** A complete snapshot, every file copied. */
    SUCCEEDED,
    /** A complete snapshot, but some files vanished or could not be read (rsync 24 / 23): listed, not silent. */
    WARNING,
    /** No new snapshot; {@link BackupFailure} says why. */
    FAILED,
    /** The agent would not run it (outside its allow-list, backups not enabled, already running): nothing ran. */
    REFUSED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
