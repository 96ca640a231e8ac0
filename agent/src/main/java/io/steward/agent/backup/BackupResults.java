package io.steward.agent.backup;

import io.steward.core.backup.BackupFailure;
import io.steward.core.backup.BackupOperation;
import io.steward.core.backup.BackupOutcome;
import io.steward.core.protocol.AgentMessage;
import java.time.Instant;
import java.util.List;

/** The results of runs, restores and verifications refused, or failed before their work could say more. */
final class BackupResults {
    private BackupResults() {}

    static AgentMessage refused(BackupOperation operation, String commandId, String jobId, BackupFailure failure,
            String reason, Instant at) {
        return switch (operation) {
            case RUN -> new AgentMessage.BackupRunResult(commandId, jobId, BackupOutcome.REFUSED, failure, reason,
                    null, null, null, null, null, null, at, at);
            case RESTORE, VERIFY -> failed(operation, commandId, jobId, failure, reason, at, at);
        };
    }

    static AgentMessage failed(BackupOperation operation, String commandId, String jobId, BackupFailure failure,
            String reason, Instant startedAt, Instant at) {
        return switch (operation) {
            case RUN -> new AgentMessage.BackupRunResult(commandId, jobId, BackupOutcome.FAILED, failure, reason,
                    null, null, null, null, null, null, startedAt, at);
            case RESTORE -> new AgentMessage.RestoreResult(commandId, jobId, false, failure, reason, 0, 0,
                    List.of(), at);
            case VERIFY -> new AgentMessage.VerifyResult(commandId, jobId, false, failure, reason, null, 0, 0,
                    List.of(), 0, at);
        };
    }
}
