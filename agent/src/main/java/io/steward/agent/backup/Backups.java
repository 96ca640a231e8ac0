package io.steward.agent.backup;

import io.steward.agent.link.BackupFrames;
import io.steward.core.protocol.NodeMessage;

/**
 * What the agent does with the node's backup frames: {@link EnabledBackups} with a {@code --backups} file,
 * {@link DisabledBackups} (which refuses everything and runs nothing) without one.
 */
public sealed interface Backups extends BackupFrames, AutoCloseable permits DisabledBackups, EnabledBackups {

    /** Takes one of the node's backup frames (see {@link #accepts}); never blocks the caller. */
    @Override
    void handle(NodeMessage frame);

    /** The node welcomed the agent: say what backups allow here, and send every unacknowledged result again. */
    @Override
    void welcomed();

    /** Stops running operations (their results say "interrupted" and are sent after the next start). */
    @Override
    void close();

    @Override
    default boolean accepts(NodeMessage frame) {
        return frame instanceof NodeMessage.BackupRun || frame instanceof NodeMessage.FetchHostKey
                || frame instanceof NodeMessage.BrowseSnapshot || frame instanceof NodeMessage.RestoreFiles
                || frame instanceof NodeMessage.VerifySnapshot || frame instanceof NodeMessage.BackupAck;
    }
}
