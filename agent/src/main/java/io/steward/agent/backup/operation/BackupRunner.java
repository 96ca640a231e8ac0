package io.steward.agent.backup.operation;

import static java.util.Objects.requireNonNull;

import io.steward.agent.backup.process.Cancellation.CancelledException;
import io.steward.agent.backup.process.Cancellation;
import io.steward.agent.backup.rsync.DestinationState;
import io.steward.agent.backup.rsync.ListingEntry;
import io.steward.agent.backup.rsync.RsyncExit;
import io.steward.agent.backup.rsync.TransferStats;
import io.steward.core.backup.BackupFailure;
import io.steward.core.backup.BackupJobSpec;
import io.steward.core.backup.BackupOutcome;
import io.steward.core.backup.RunStats;
import io.steward.core.protocol.AgentMessage.BackupRunResult;
import io.steward.core.protocol.NodeMessage.BackupRun;
import io.steward.core.protocol.WireFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backup run: list the destination once; copy the sources into a new {@code snapshots/NAME/}, hard-linked to
 * the newest interrupted attempts (so their partial files are resumed) and the newest good snapshot; push the
 * completion marker last, deleting the markers of snapshots retention drops in the same call; then delete their
 * data and the older attempts. There is no second "seal" pass (it would double an incremental run) and rsync
 * cannot rename a directory through rrsync: the marker is the proof that a snapshot is complete.
 */
public final class BackupRunner {
    private static final Logger log = LoggerFactory.getLogger(BackupRunner.class);

    private final BackupTools tools;

    public BackupRunner(BackupTools tools) {
        this.tools = requireNonNull(tools, "tools is null");
    }

    /** Runs {@code run} to its end; never throws for a failure of the backup itself (the result says it). */
    public BackupRunResult run(BackupRun run, Instant startedAt, Cancellation cancellation,
            ProgressReporter progress) throws InterruptedException {
        Attempt attempt = new Attempt(run, startedAt);
        try {
            return attempt.perform(cancellation, progress);
        } catch (CancelledException e) {
            return attempt.failed(e.reason(), cancelledReason(e.reason(), run.job()), null, List.of());
        } catch (IOException e) {
            log.warn("Backup run [{}] of job [{}] failed on this host", run.runId(), run.job().jobId(), e);
            return attempt.failed(BackupFailure.RSYNC_FAILED, "the agent could not run the backup: " + e, null,
                    List.of());
        }
    }

    static String cancelledReason(BackupFailure reason, BackupJobSpec job) {
        return reason == BackupFailure.TIMED_OUT
                ? "the job's timeout of " + job.timeout() + " passed; rsync was stopped"
                : "the agent stopped while it ran; rsync was stopped";
    }

    /** The state of one run, step by step. */
    private final class Attempt {
        private final BackupRun run;
        private final BackupJobSpec job;
        private final Instant startedAt;
        /** The good snapshots the destination holds, once it was listed: a failed run reports them too. */
        private List<String> goodSnapshots = List.of();

        Attempt(BackupRun run, Instant startedAt) {
            this.run = run;
            this.job = run.job();
            this.startedAt = startedAt;
        }

        BackupRunResult perform(Cancellation cancellation, ProgressReporter progress)
                throws IOException, InterruptedException, CancelledException {
            Optional<String> missing = missingSource(job);
            if (missing.isPresent()) {
                return failed(BackupFailure.SOURCE_MISSING, missing.get(), null, List.of());
            }
            try (Workspace workspace = Workspace.open(tools, run.runId(), job.destination(), run.hostKey())) {
                progress.phase("listing");
                List<ListingEntry> listing = new ArrayList<>();
                RsyncCall.Result listed = RsyncCall.runWhileBusy(workspace.commands().listState(),
                        tools.busyRetries(), cancellation, line -> {}, line -> ListingEntry.parse(line)
                                .ifPresent(listing::add));
                if (listed.exit() instanceof RsyncExit.Failed failed) {
                    return failed(failed.diagnosis().failure(), failed.diagnosis().reason(), null,
                            listed.lastLines());
                }
                DestinationState state = DestinationState.of(listing);
                goodSnapshots = state.good();
                String snapshot = state.nameFor(run.snapshot());
                List<String> bases = state.linkDests();

                progress.phase("transferring");
                RsyncCall.Result copied = RsyncCall.runWhileBusy(workspace.commands().run(job.sources(),
                        job.excludes(), job.bandwidthKiBps(), bases, snapshot), tools.busyRetries(), cancellation,
                        progress::progress, line -> {});
                RsyncExit exit = copied.exit();
                RunStats stats = stats(copied);
                if (exit instanceof RsyncExit.Failed failed) {
                    return failed(failed.diagnosis().failure(), failed.diagnosis().reason(), stats,
                            copied.lastLines());
                }
                warnIfNothingWasLinked(bases, copied.stats());
                Instant copiedAt = tools.clock().instant();
                List<String> problemFiles = exit instanceof RsyncExit.Partial partial ? partial.problemFiles()
                        : List.of();

                progress.phase("marking");
                DestinationState.Pruning pruning = state.pruningAfter(snapshot, run.retention(),
                        ZoneId.of(run.retentionZone()));
                Path stage = workspace.newDirectory("marker");
                Files.write(stage.resolve(snapshot), WireFormat.mapper().writeValueAsBytes(new CompletionMarker(
                        snapshot, run.runId(), job.jobId(), startedAt, copiedAt, stats,
                        exit instanceof RsyncExit.Partial partial ? partial.problemFileCount() : 0,
                        tools.rsyncVersion(), tools.agentVersion())));
                RsyncCall.Result marked = RsyncCall.runWhileBusy(workspace.commands().mark(stage, snapshot,
                        pruning.markers()), tools.busyRetries(), cancellation, line -> {}, line -> {});
                if (marked.exit() instanceof RsyncExit.Failed failed) {
                    return failed(failed.diagnosis().failure(), "the files were copied but the snapshot could not be"
                            + " marked complete (the next run resumes from it): " + failed.diagnosis().reason(),
                            stats, marked.lastLines());
                }

                // The snapshot is good from here on: what follows cannot make the run fail.
                List<String> lastLines = new ArrayList<>(copied.lastLines());
                if (!pruning.data().isEmpty()) {
                    progress.phase("pruning");
                    lastLines.addAll(prune(workspace, pruning.data(), cancellation));
                }
                BackupOutcome outcome = exit instanceof RsyncExit.Partial ? BackupOutcome.WARNING
                        : BackupOutcome.SUCCEEDED;
                String reason = exit instanceof RsyncExit.Partial partial
                        ? partial.problemFileCount() + " files vanished or could not be read (rsync "
                                + partial.exitCode() + "); the snapshot holds everything else" : null;
                return new BackupRunResult(run.runId(), job.jobId(), outcome, null, reason, snapshot,
                        finalStats(stats), problemFiles, tail(lastLines), pruning.pruned(), pruning.kept(),
                        startedAt, tools.clock().instant());
            }
        }

        /** Deletes pruned snapshots and older attempts (their markers are gone already); returns lines to report. */
        private List<String> prune(Workspace workspace, List<String> names, Cancellation cancellation)
                throws IOException, InterruptedException {
            try {
                RsyncCall.Result pruned = RsyncCall.runWhileBusy(workspace.commands().deleteSnapshots(
                        workspace.newDirectory("empty"), names), tools.busyRetries(), cancellation, line -> {},
                        line -> {});
                if (pruned.exit() instanceof RsyncExit.Failed failed) {
                    log.warn("Pruning [{}] on [{}] failed: {}", names, job.destination().address(),
                            failed.diagnosis().reason());
                    return List.of("pruning failed (the next run retries): " + failed.diagnosis().reason());
                }
                return List.of();
            } catch (CancelledException e) {
                return List.of("pruning was stopped (the next run retries): " + cancelledReason(e.reason(), job));
            }
        }

        private RunStats stats(RsyncCall.Result copied) {
            long millis = Duration.between(startedAt, tools.clock().instant()).toMillis();
            return copied.stats().map(found -> new RunStats(found.regularFiles(), found.regularFilesTransferred(),
                    found.totalFileSize(), found.literalData(), millis, copied.exitCode()))
                    .orElse(new RunStats(0, 0, 0, 0, millis, copied.exitCode()));
        }

        /** The stats with the duration up to now: pruning included. */
        private RunStats finalStats(RunStats stats) {
            return new RunStats(stats.filesTotal(), stats.filesTransferred(), stats.totalBytes(),
                    stats.bytesTransferred(), Duration.between(startedAt, tools.clock().instant()).toMillis(),
                    stats.exitCode());
        }

        BackupRunResult failed(BackupFailure failure, String reason, RunStats stats, List<String> lastLines) {
            log.info("Backup run [{}] of job [{}] failed: {} {}", run.runId(), job.jobId(), failure, reason);
            return new BackupRunResult(run.runId(), job.jobId(), BackupOutcome.FAILED, failure, reason, null,
                    stats, List.of(), tail(lastLines), List.of(), goodSnapshots, startedAt, tools.clock().instant());
        }

        private void warnIfNothingWasLinked(List<String> bases, Optional<TransferStats> stats) {
            // A --link-dest rrsync does not resolve is silently ignored: everything is sent again.
            stats.filter(found -> !bases.isEmpty() && found.regularFiles() > 0
                    && found.regularFilesTransferred() == found.regularFiles() && found.literalData() > 0)
                    .ifPresent(found -> log.warn("Job [{}]: every file was sent again although [{}] was a basis;"
                            + " check that the destination's rrsync honours --link-dest", job.jobId(), bases));
        }
    }

    /** Why a source cannot be backed up, checked before anything runs. */
    static Optional<String> missingSource(BackupJobSpec job) {
        for (String source : job.sources()) {
            Path path = Path.of(source);
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of("source " + source + " does not exist");
            }
            if (Files.isSymbolicLink(path)) {
                return Optional.of("source " + source + " is a symbolic link; name the directory it points to");
            }
            if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of("source " + source + " is not a directory");
            }
            if (!Files.isReadable(path) || !Files.isExecutable(path)) {
                return Optional.of("source " + source + " cannot be read by the agent");
            }
            try {
                Path real = path.toRealPath();
                if (!real.toString().equals(source)) {
                    return Optional.of("source " + source + " goes through a symbolic link (it is " + real
                            + "); name the real directory");
                }
            } catch (IOException e) {
                return Optional.of("source " + source + " cannot be resolved: " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    private static List<String> tail(List<String> lines) {
        return lines.size() <= 20 ? List.copyOf(lines) : List.copyOf(lines.subList(lines.size() - 20, lines.size()));
    }
}
