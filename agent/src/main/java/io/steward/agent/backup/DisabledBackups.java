package io.steward.agent.backup;

import static java.util.Objects.requireNonNull;

import io.steward.core.backup.BackupFailure;
import io.steward.core.backup.BackupOperation;
import io.steward.core.protocol.AgentMessage;
import io.steward.core.protocol.NodeMessage;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * An agent started without {@code --backups FILE}: it runs no backup at all. Every command is answered "not allowed"
 * at once, with nothing executed and nothing kept (the node asks again if an answer is lost).
 */
public final class DisabledBackups implements Backups {
    static final String REASON = "backups are not enabled on this agent: start it with --backups FILE";

    private final Consumer<AgentMessage> send;
    private final Clock clock;

    public DisabledBackups(Consumer<AgentMessage> send, Clock clock) {
        this.send = requireNonNull(send, "send is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public void handle(NodeMessage frame) {
        Instant now = clock.instant();
        if (frame instanceof NodeMessage.BackupRun run) {
            send.accept(BackupResults.refused(BackupOperation.RUN, run.runId(), run.job().jobId(),
                    BackupFailure.NOT_ALLOWED, REASON, now));
        } else if (frame instanceof NodeMessage.RestoreFiles restore) {
            send.accept(BackupResults.refused(BackupOperation.RESTORE, restore.restoreId(), restore.job().jobId(),
                    BackupFailure.NOT_ALLOWED, REASON, now));
        } else if (frame instanceof NodeMessage.VerifySnapshot verify) {
            send.accept(BackupResults.refused(BackupOperation.VERIFY, verify.verifyId(), verify.job().jobId(),
                    BackupFailure.NOT_ALLOWED, REASON, now));
        } else if (frame instanceof NodeMessage.FetchHostKey fetch) {
            send.accept(new AgentMessage.HostKeyFetched(fetch.commandId(), null, BackupFailure.NOT_ALLOWED, REASON));
        } else if (frame instanceof NodeMessage.BrowseSnapshot browse) {
            send.accept(new AgentMessage.SnapshotTree(browse.commandId(), browse.path(), List.of(), false,
                    BackupFailure.NOT_ALLOWED, REASON));
        }
        // BackupAck: there is nothing to forget.
    }

    @Override
    public void welcomed() {
        send.accept(new AgentMessage.BackupInfo(false, null, List.of(), List.of(), null));
    }

    @Override
    public void close() {}
}
