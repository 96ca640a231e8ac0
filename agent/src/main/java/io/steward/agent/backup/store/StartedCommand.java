package io.steward.agent.backup.store;

import static java.util.Objects.requireNonNull;

import io.steward.core.backup.BackupOperation;
import java.time.Instant;

/** A run, restore or verification that began and has no result yet. */
public record StartedCommand(String commandId, BackupOperation operation, String jobId, Instant startedAt) {
    public StartedCommand {
        requireNonNull(commandId, "commandId is null");
        requireNonNull(operation, "operation is null");
        requireNonNull(jobId, "jobId is null");
        requireNonNull(startedAt, "startedAt is null");
    }
}
