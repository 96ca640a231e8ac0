package io.steward.core.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.steward.core.backup.BackupFailure;
import io.steward.core.backup.BackupOperation;
import io.steward.core.backup.BackupOutcome;
import io.steward.core.backup.HostKey;
import io.steward.core.backup.RunStats;
import io.steward.core.backup.TreeEntry;
import io.steward.core.checks.CheckResult;
import io.steward.core.services.ServiceState;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Frames an agent sends to a node. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(AgentMessage.Hello.class),
    @JsonSubTypes.Type(AgentMessage.Report.class),
    @JsonSubTypes.Type(AgentMessage.Services.class),
    @JsonSubTypes.Type(AgentMessage.CommandResult.class),
    @JsonSubTypes.Type(AgentMessage.ProcessList.class),
    @JsonSubTypes.Type(AgentMessage.BackupInfo.class),
    @JsonSubTypes.Type(AgentMessage.BackupProgress.class),
    @JsonSubTypes.Type(AgentMessage.BackupRunResult.class),
    @JsonSubTypes.Type(AgentMessage.HostKeyFetched.class),
    @JsonSubTypes.Type(AgentMessage.SnapshotTree.class),
    @JsonSubTypes.Type(AgentMessage.RestoreResult.class),
    @JsonSubTypes.Type(AgentMessage.VerifyResult.class),
    @JsonSubTypes.Type(AgentMessage.RotateCredential.class),
    @JsonSubTypes.Type(AgentMessage.CheckResults.class)
})
public sealed interface AgentMessage {

    /**
     * First frame of every connection.
     *
     * @param token either a per-server credential (after enrollment) or an enrollment token (first connect)
     * @param machineId a stable identifier of the host, so re-enrolling the same machine is recognisable
     */
    @JsonTypeName("hello")
    /**
     * @param enrollmentProof with an enrollment token only: a random secret the agent saved before its first hello
     *     and sends with every enrollment attempt, so a retry of an enrollment whose welcome was lost proves it
     *     comes from the same agent (a machine id is no secret); null from agents that predate it
     */
    record Hello(int protocolVersion, String agentVersion, String token, String hostname, String machineId,
            String enrollmentProof) implements AgentMessage {
        public Hello {
            requireNonNull(token, "token is null");
            requireNonNull(hostname, "hostname is null");
        }

        public Hello(int protocolVersion, String agentVersion, String token, String hostname, String machineId) {
            this(protocolVersion, agentVersion, token, hostname, machineId, null);
        }

        @Override
        public String toString() {
            // Never log the secret.
            return "Hello[protocolVersion=" + protocolVersion + ", agentVersion=" + agentVersion
                    + ", hostname=" + hostname + ", machineId=" + machineId + "]";
        }
    }

    /** One collection cycle's measurements; {@code sequence} is unique and increasing per server. */
    @JsonTypeName("report")
    record Report(long sequence, MetricsReport metrics) implements AgentMessage {
        public Report {
            requireNonNull(metrics, "metrics is null");
            if (sequence < 1) {
                throw new IllegalArgumentException("sequence must be >= 1");
            }
        }
    }

    /**
     * The state of every service the agent watches, sent after each check. Live state, not history: it is not
     * spooled or acknowledged (the next check supersedes it).
     */
    @JsonTypeName("services")
    record Services(Instant checkedAt, List<ServiceState> services)
            implements AgentMessage {
        public Services {
            requireNonNull(checkedAt, "checkedAt is null");
            services = services == null ? List.of() : List.copyOf(services);
        }
    }

    /**
     * The outcome of a {@link NodeMessage.ServiceCommand}.
     *
     * @param refused the agent would not act (not in its config, read-only): nothing was run
     * @param lines log lines for {@code LOGS}, oldest first; empty otherwise
     */
    @JsonTypeName("command-result")
    record CommandResult(String commandId, boolean ok, boolean refused, String message,
            List<String> lines) implements AgentMessage {
        public CommandResult {
            requireNonNull(commandId, "commandId is null");
            lines = lines == null ? List.of() : List.copyOf(lines);
        }
    }

    /** Every process as of the agent's latest collection, answering {@link NodeMessage.ListProcesses}. */
    @JsonTypeName("process-list")
    record ProcessList(String commandId, Instant collectedAt,
            List<MetricsReport.ProcessInfo> processes) implements AgentMessage {
        public ProcessList {
            requireNonNull(commandId, "commandId is null");
            processes = processes == null ? List.of() : List.copyOf(processes);
        }
    }

    // ---------------------------------------------------------------- backups

    /**
     * What this agent allows for backups, sent after every welcome: the node shows it and the public key people
     * install on destinations. {@code enabled} is false (and the rest empty) without a {@code --backups} file.
     *
     * @param publicKey the agent's own ed25519 key, OpenSSH format (its private half never leaves the host)
     */
    @JsonTypeName("backup-info")
    record BackupInfo(boolean enabled, @Nullable String publicKey, List<String> allowSources,
            List<String> allowDestinations, @Nullable String rsyncVersion) implements AgentMessage {
        public BackupInfo {
            allowSources = allowSources == null ? List.of() : List.copyOf(allowSources);
            allowDestinations = allowDestinations == null ? List.of() : List.copyOf(allowDestinations);
        }
    }

    /**
     * How far a run, restore or verification is; live only (neither spooled nor acknowledged), at most about one
     * a second. The first one (phase {@code starting}) confirms the agent took the command.
     *
     * @param percent 0..100, from files checked out of files known (bytes alone stop short on incremental runs)
     * @param etaSeconds null while unknown
     */
    @JsonTypeName("backup-progress")
    record BackupProgress(String commandId, String jobId, BackupOperation operation, String phase, double percent,
            long bytes, long bytesPerSecond, @Nullable Long etaSeconds, long filesDone, long filesTotal)
            implements AgentMessage {
        public BackupProgress {
            requireNonNull(commandId, "commandId is null");
            requireNonNull(jobId, "jobId is null");
            requireNonNull(operation, "operation is null");
            requireNonNull(phase, "phase is null");
        }
    }

    /**
     * How a {@link NodeMessage.BackupRun} ended. Kept by the agent on disk and sent again after every reconnect until
     * the node's {@link NodeMessage.BackupAck}: a run's outcome is never lost with a connection.
     *
     * @param snapshot the new snapshot's name; null unless {@code outcome} is succeeded or warning
     * @param problemFiles files that vanished or could not be read (a warning), at most 100
     * @param lastLines rsync's and ssh's last lines of output (not the progress), at most 20
     * @param pruned snapshots retention removed after this run
     * @param snapshots every good snapshot on the destination after this run, oldest first
     */
    @JsonTypeName("backup-run-result")
    record BackupRunResult(String runId, String jobId, BackupOutcome outcome, @Nullable BackupFailure failure,
            @Nullable String reason, @Nullable String snapshot, RunStats stats, List<String> problemFiles,
            List<String> lastLines, List<String> pruned, List<String> snapshots, Instant startedAt,
            Instant finishedAt) implements AgentMessage {
        public BackupRunResult {
            requireNonNull(runId, "runId is null");
            requireNonNull(jobId, "jobId is null");
            requireNonNull(outcome, "outcome is null");
            requireNonNull(startedAt, "startedAt is null");
            requireNonNull(finishedAt, "finishedAt is null");
            stats = stats == null ? RunStats.NONE : stats;
            problemFiles = problemFiles == null ? List.of() : List.copyOf(problemFiles);
            lastLines = lastLines == null ? List.of() : List.copyOf(lastLines);
            pruned = pruned == null ? List.of() : List.copyOf(pruned);
            snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
        }
    }

    /** Answers {@link NodeMessage.FetchHostKey}: the key, or why there is none. */
    @JsonTypeName("backup-host-key")
    record HostKeyFetched(String commandId, @Nullable HostKey hostKey, @Nullable BackupFailure failure,
            @Nullable String error) implements AgentMessage {
        public HostKeyFetched {
            requireNonNull(commandId, "commandId is null");
        }
    }

    /** Answers {@link NodeMessage.BrowseSnapshot}: the directory's entries (at most 5,000), or why not. */
    @JsonTypeName("backup-tree")
    record SnapshotTree(String commandId, String path, List<TreeEntry> entries, boolean truncated,
            @Nullable BackupFailure failure, @Nullable String error) implements AgentMessage {
        public SnapshotTree {
            requireNonNull(commandId, "commandId is null");
            requireNonNull(path, "path is null");
            entries = entries == null ? List.of() : List.copyOf(entries);
        }
    }

    /** How a {@link NodeMessage.RestoreFiles} ended; reliable like {@link BackupRunResult}. */
    @JsonTypeName("backup-restore-result")
    record RestoreResult(String restoreId, String jobId, boolean ok, @Nullable BackupFailure failure,
            @Nullable String reason, long files, long bytes, List<String> lastLines, Instant finishedAt)
            implements AgentMessage {
        public RestoreResult {
            requireNonNull(restoreId, "restoreId is null");
            requireNonNull(jobId, "jobId is null");
            requireNonNull(finishedAt, "finishedAt is null");
            lastLines = lastLines == null ? List.of() : List.copyOf(lastLines);
        }
    }

    /**
     * How a {@link NodeMessage.VerifySnapshot} ended; reliable like {@link BackupRunResult}. {@code ok} is false
     * for a mismatch ({@code failure} mismatch, the files listed) and when the check could not run.
     *
     * @param skippedChanged sampled files not compared because the source changed since the snapshot
     * @param coveragePercent the share of the snapshot's files checked within the coverage window, this one included
     */
    @JsonTypeName("backup-verify-result")
    record VerifyResult(String verifyId, String jobId, boolean ok, @Nullable BackupFailure failure,
            @Nullable String reason, @Nullable String snapshot, int checked, int skippedChanged,
            List<String> mismatched, double coveragePercent, Instant finishedAt) implements AgentMessage {
        public VerifyResult {
            requireNonNull(verifyId, "verifyId is null");
            requireNonNull(jobId, "jobId is null");
            requireNonNull(finishedAt, "finishedAt is null");
            mismatched = mismatched == null ? List.of() : List.copyOf(mismatched);
        }
    }

    /**
     * Asks for a new credential (the agent rotates its credential on a schedule); the node answers with
     * {@link NodeMessage.CredentialRotated}. The old credential keeps working until the new one is first presented,
     * so a lost answer costs nothing.
     */
    @JsonTypeName("rotate-credential")
    record RotateCredential() implements AgentMessage {}

    /**
     * Results of assigned checks since the last batch, oldest first. Live data like {@link Services}: not spooled or
     * acknowledged (a vantage whose results stop arriving abstains).
     *
     * @param referenceReachable whether this agent reached its own reference (a reference URL in its local config)
     *     when it last tried; false makes the node count its votes as abstentions, so an agent that lost its own
     *     network never turns a site down. Absent (an agent without a reference) counts as true
     * @param refused checks of the last assignment this agent refused (over its cap), by id; empty when none
     */
    @JsonTypeName("check-results")
    record CheckResults(List<CheckResult> results, @Nullable Boolean referenceReachable, List<String> refused)
            implements AgentMessage {
        public static final int MAX_RESULTS = 1_000;

        public CheckResults {
            results = results == null ? List.of() : List.copyOf(results);
            if (results.size() > MAX_RESULTS) {
                throw new IllegalArgumentException("results: at most " + MAX_RESULTS + " per frame");
            }
            refused = refused == null ? List.of() : List.copyOf(refused);
            if (refused.size() > NodeMessage.ChecksAssign.MAX_CHECKS) {
                throw new IllegalArgumentException("refused: at most " + NodeMessage.ChecksAssign.MAX_CHECKS);
            }
        }

        /** Results from an agent with no reference configured and nothing refused. */
        public CheckResults(List<CheckResult> results) {
            this(results, null, List.of());
        }

        /** Whether the agent's votes count (its reference, if it has one, was reachable). */
        public boolean votes() {
            return referenceReachable == null || referenceReachable;
        }
    }
}
