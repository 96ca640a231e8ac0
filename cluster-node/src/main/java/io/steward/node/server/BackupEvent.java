package io.steward.node.server;

import io.steward.core.backup.BackupFailure;
import io.steward.core.backup.HostKey;
import io.steward.core.backup.RunStats;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A server's backups changed: a job was set up, a run started or ended (or was missed), a host key was seen or
 * trusted, a restore or a test restore happened; applies to {@link BackupBook}. The history lists every one.
 */
public sealed interface BackupEvent extends ServerEvent {

    /** The job the fact is about; empty for facts about the agent. */
    String jobId();

    record JobCreated(BackupSettings settings, String by, Instant at) implements BackupEvent {
        @Override
        public String jobId() {
            return settings.jobId();
        }
    }

    /** {@code destinationChanged}: the pinned host key no longer applies and is fetched again. */
    record JobUpdated(BackupSettings settings, boolean destinationChanged, boolean scheduleChanged, String by,
            Instant at) implements BackupEvent {
        @Override
        public String jobId() {
            return settings.jobId();
        }
    }

    record JobDeleted(String jobId, String by, Instant at) implements BackupEvent {}

    /** The agent fetched the destination's host key (first contact, or after a change). */
    record HostKeySeen(String jobId, HostKey hostKey, Instant at) implements BackupEvent {}

    /** The agent could not fetch it; {@code reason} in its words. */
    record HostKeyUnavailable(String jobId, String reason, Instant at) implements BackupEvent {}

    /** A person compared and accepted the fingerprint: runs may use the key. */
    record HostKeyTrusted(String jobId, String fingerprint, String by, Instant at) implements BackupEvent {}

    /** A run found another key than the pinned one: runs stop until a person trusts the new one. */
    record HostKeyChanged(String jobId, String expectedFingerprint, Instant at) implements BackupEvent {}

    /**
     * A run was sent to the agent.
     *
     * @param dueFor the due time it runs for; null for a run started by a person
     * @param leaseUntil when the run counts as lost if no result came (a crashed agent never blocks the job longer)
     */
    record RunStarted(String jobId, String runId, String snapshot, Trigger trigger, @Nullable Instant dueFor,
            @Nullable String by, Instant leaseUntil, Instant at) implements BackupEvent {}

    /** A good snapshot: {@code warning} when some files vanished or could not be read ({@code problemFiles}). */
    record RunCompleted(String jobId, String runId, boolean warning, String snapshot, RunStats stats,
            List<String> problemFiles, List<String> log, List<String> snapshots, Instant at) implements BackupEvent {}

    /** No snapshot: the agent's failure, a lost result, or a start nobody confirmed. */
    record RunFailed(String jobId, String runId, @Nullable BackupFailure failure, String reason, List<String> log,
            Instant at) implements BackupEvent {}

    /** Not run: refused by the agent (its allow-list) or by the node (no trusted host key). */
    record RunRefused(String jobId, @Nullable String runId, @Nullable BackupFailure failure, String reason,
            @Nullable Instant dueFor, Instant at) implements BackupEvent {}

    /** Due times whose grace ran out without a run ({@code count} of them, {@code first} to {@code last}). */
    record RunsMissed(String jobId, int count, Instant first, Instant last, String reason, Instant at)
            implements BackupEvent {}

    /** Retention removed these snapshots from the destination after run {@code runId}. */
    record SnapshotsPruned(String jobId, String runId, List<String> snapshots, Instant at) implements BackupEvent {}

    record RestoreStarted(String jobId, String restoreId, String snapshot, String path, @Nullable String target,
            String by, Instant at) implements BackupEvent {}

    record RestoreFinished(String jobId, String restoreId, boolean ok, @Nullable BackupFailure failure,
            @Nullable String reason, long files, long bytes, List<String> log, Instant at) implements BackupEvent {}

    /** A test restore ended; {@code ok} false with {@code mismatched} files is a critical alert. */
    record Verified(String jobId, String verifyId, boolean ok, @Nullable BackupFailure failure,
            @Nullable String reason, @Nullable String snapshot, int checked, int skippedChanged,
            List<String> mismatched, double coveragePercent, Instant at) implements BackupEvent {}

    /** What the agent allows changed (or was first heard): shown with its public key. */
    record AgentBackupsChanged(AgentBackups agent, Instant at) implements BackupEvent {
        @Override
        public String jobId() {
            return "";
        }
    }

    /** Why a run started. */
    enum Trigger { SCHEDULE, CATCH_UP, MANUAL }
}
