package io.steward.core.backup;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The long-running things an agent does for a backup job, each of which reports progress. */
public enum BackupOperation {
    RUN, RESTORE, VERIFY;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
