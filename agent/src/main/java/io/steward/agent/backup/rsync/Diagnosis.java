package io.steward.agent.backup.rsync;

import static java.util.Objects.requireNonNull;

import io.steward.core.backup.BackupFailure;

/** Why an rsync call failed, in words an operator can act on. */
public record Diagnosis(BackupFailure failure, String reason) {
    public Diagnosis {
        requireNonNull(failure, "failure is null");
        requireNonNull(reason, "reason is null");
    }
}
