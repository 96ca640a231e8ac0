package io.steward.node.server;

import static java.util.Objects.requireNonNull;

import io.steward.core.backup.BackupFailure;
import io.steward.core.backup.HostKey;
import io.steward.core.backup.RunStats;
import io.steward.node.serialization.CborSerializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * One backup job as its server's entity keeps it: the settings, the pinned host key, where the schedule stands, the
 * run in progress, the last good snapshots, the recent runs (the older ones are in the history), the snapshots on the
 * destination, the last test restore and the recent restores.
 *
 * @param lastHandledDue the last due time a run was started (or refused) for; the schedule counts from it
 * @param missedThrough the last due time already recorded as missed (a run is still owed for it)
 * @param runs finished runs, newest first, at most {@link #KEPT_RUNS}
 */
public record BackupJob(BackupSettings settings, Instant createdAt, String createdBy, HostKeyState hostKey,
        Instant lastHandledDue, @Nullable Instant missedThrough, @Nullable Run running, @Nullable GoodRun lastGood,
        @Nullable GoodRun previousGood, List<Run> runs, List<String> snapshots, @Nullable Verification verification,
        List<Restore> restores) implements CborSerializable {
    public static final int KEPT_RUNS = 20;
    public static final int KEPT_RESTORES = 10;
    public static final int KEPT_LINES = 20;

    public BackupJob {
        requireNonNull(settings, "settings is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(lastHandledDue, "lastHandledDue is null");
        hostKey = hostKey == null ? HostKeyState.NONE : hostKey;
        runs = runs == null ? List.of() : List.copyOf(runs);
        snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
        restores = restores == null ? List.of() : List.copyOf(restores);
    }

    static BackupJob created(BackupSettings settings, String by, Instant at) {
        return new BackupJob(settings, at, by, HostKeyState.NONE, at, null, null, null, null, List.of(), List.of(),
                null, List.of());
    }

    public String id() {
        return settings.jobId();
    }

    /** The destination's host key: fetched, pinned, or found changed. */
    public record HostKeyState(@Nullable HostKey seen, @Nullable String trustedFingerprint, boolean changed,
            @Nullable String error, @Nullable Instant seenAt) implements CborSerializable {
        public static final HostKeyState NONE = new HostKeyState(null, null, false, null, null);

        /** The key runs may use: seen, trusted by a person, and not found changed since. */
        public Optional<HostKey> trustedKey() {
            return seen != null && !changed && seen.fingerprint().equals(trustedFingerprint)
                    ? Optional.of(seen) : Optional.empty();
        }
    }

    public enum RunState { RUNNING, SUCCEEDED, WARNING, FAILED, REFUSED, MISSED }

    /**
     * One run (or a refusal, or missed due times) as the run list shows it.
     *
     * @param log the last lines rsync and ssh wrote (at most {@link #KEPT_LINES})
     * @param missedCount for a missed entry, how many due times it stands for
     */
    public record Run(String id, RunState state, BackupEvent.Trigger trigger, @Nullable Instant dueFor,
            Instant startedAt, @Nullable Instant finishedAt, @Nullable String snapshot, @Nullable RunStats stats,
            @Nullable BackupFailure failure, @Nullable String reason, List<String> log, List<String> problemFiles,
            List<String> pruned, @Nullable String by, @Nullable Instant leaseUntil, int missedCount)
            implements CborSerializable {
        public Run {
            requireNonNull(id, "id is null");
            requireNonNull(state, "state is null");
            log = log == null ? List.of() : List.copyOf(log);
            problemFiles = problemFiles == null ? List.of() : List.copyOf(problemFiles);
            pruned = pruned == null ? List.of() : List.copyOf(pruned);
        }

        Run finished(RunState newState, Instant at, @Nullable String newSnapshot, @Nullable RunStats newStats,
                @Nullable BackupFailure newFailure, @Nullable String newReason, List<String> newLog,
                List<String> newProblemFiles) {
            return new Run(id, newState, trigger, dueFor, startedAt, at, newSnapshot, newStats, newFailure, newReason,
                    clip(newLog), first(newProblemFiles), pruned, by, null, missedCount);
        }

        Run withPruned(List<String> names) {
            return new Run(id, state, trigger, dueFor, startedAt, finishedAt, snapshot, stats, failure, reason, log,
                    problemFiles, names, by, leaseUntil, missedCount);
        }
    }

    /** A good snapshot and what it holds: the recovery point, and the base the next size is compared with. */
    public record GoodRun(String runId, String snapshot, Instant at, RunStats stats) implements CborSerializable {}

    /** The last test restore. */
    public record Verification(String verifyId, boolean ok, @Nullable BackupFailure failure, @Nullable String reason,
            @Nullable String snapshot, int checked, int skippedChanged, List<String> mismatched,
            double coveragePercent, Instant at) implements CborSerializable {
        public Verification {
            mismatched = mismatched == null ? List.of() : List.copyOf(mismatched);
        }
    }

    public enum RestoreState { RUNNING, SUCCEEDED, FAILED }

    public record Restore(String id, RestoreState state, String snapshot, String path, @Nullable String target,
            String by, Instant startedAt, @Nullable Instant finishedAt, long files, long bytes,
            @Nullable BackupFailure failure, @Nullable String reason, List<String> log) implements CborSerializable {
        public Restore {
            log = log == null ? List.of() : List.copyOf(log);
        }
    }

    BackupJob apply(BackupEvent event) {
        if (event instanceof BackupEvent.JobUpdated updated) {
            HostKeyState key = updated.destinationChanged() ? HostKeyState.NONE : hostKey;
            Instant handled = updated.scheduleChanged() ? updated.at() : lastHandledDue;
            return with(settings -> updated.settings(), key, handled, updated.scheduleChanged() ? null : missedThrough,
                    running, runs);
        }
        if (event instanceof BackupEvent.HostKeySeen seen) {
            // A key other than the trusted one stays untrusted until a person compares it; the trusted one again
            // (a false alarm) ends the change.
            return with(s -> s, new HostKeyState(seen.hostKey(), hostKey.trustedFingerprint(), hostKey.changed()
                    && !seen.hostKey().fingerprint().equals(hostKey.trustedFingerprint()), null, seen.at()),
                    lastHandledDue, missedThrough, running, runs);
        }
        if (event instanceof BackupEvent.HostKeyUnavailable unavailable) {
            return with(s -> s, new HostKeyState(hostKey.seen(), hostKey.trustedFingerprint(), hostKey.changed(),
                    unavailable.reason(), hostKey.seenAt()), lastHandledDue, missedThrough, running, runs);
        }
        if (event instanceof BackupEvent.HostKeyTrusted trusted) {
            return with(s -> s, new HostKeyState(hostKey.seen(), trusted.fingerprint(), false, null,
                    hostKey.seenAt()), lastHandledDue, missedThrough, running, runs);
        }
        if (event instanceof BackupEvent.HostKeyChanged) {
            // The seen key is the old one; the next fetch shows the new one.
            return with(s -> s, new HostKeyState(null, hostKey.trustedFingerprint(), true, null, null),
                    lastHandledDue, missedThrough, running, runs);
        }
        if (event instanceof BackupEvent.RunStarted started) {
            Run run = new Run(started.runId(), RunState.RUNNING, started.trigger(), started.dueFor(), started.at(),
                    null, started.snapshot(), null, null, null, List.of(), List.of(), List.of(), started.by(),
                    started.leaseUntil(), 0);
            Instant handled = started.dueFor() != null && started.dueFor().isAfter(lastHandledDue)
                    ? started.dueFor() : lastHandledDue;
            return with(s -> s, hostKey, handled, missedThrough, run, runs);
        }
        if (event instanceof BackupEvent.RunCompleted completed) {
            return completed(completed);
        }
        if (event instanceof BackupEvent.RunFailed failed) {
            Run base = runFor(failed.runId());
            if (base == null) {
                return this;
            }
            Run done = base.finished(RunState.FAILED, failed.at(), null, null, failed.failure(), failed.reason(),
                    failed.log(), List.of());
            return with(s -> s, hostKey, lastHandledDue, missedThrough, isRunning(failed.runId()) ? null : running,
                    replaced(done));
        }
        if (event instanceof BackupEvent.RunRefused refused) {
            Run base = refused.runId() == null ? null : runFor(refused.runId());
            Run done = base != null
                    ? base.finished(RunState.REFUSED, refused.at(), null, null, refused.failure(), refused.reason(),
                            List.of(), List.of())
                    : new Run("refused-" + refused.at().toEpochMilli(), RunState.REFUSED,
                            refused.dueFor() == null ? BackupEvent.Trigger.MANUAL : BackupEvent.Trigger.SCHEDULE,
                            refused.dueFor(), refused.at(), refused.at(), null, null, refused.failure(),
                            refused.reason(), List.of(), List.of(), List.of(), null, null, 0);
            Instant handled = refused.dueFor() != null && refused.dueFor().isAfter(lastHandledDue)
                    ? refused.dueFor() : lastHandledDue;
            boolean wasRunning = refused.runId() != null && isRunning(refused.runId());
            return with(s -> s, hostKey, handled, missedThrough, wasRunning ? null : running, replaced(done));
        }
        if (event instanceof BackupEvent.RunsMissed missed) {
            Run entry = new Run("missed-" + missed.last().toEpochMilli(), RunState.MISSED, BackupEvent.Trigger.SCHEDULE,
                    missed.last(), missed.at(), missed.at(), null, null, null, missed.reason(), List.of(), List.of(),
                    List.of(), null, null, missed.count());
            return with(s -> s, hostKey, lastHandledDue, missed.last(), running, prepend(entry));
        }
        if (event instanceof BackupEvent.SnapshotsPruned pruned) {
            List<Run> updated = runs.stream()
                    .map(run -> run.id().equals(pruned.runId()) ? run.withPruned(pruned.snapshots()) : run).toList();
            return with(s -> s, hostKey, lastHandledDue, missedThrough, running, updated);
        }
        if (event instanceof BackupEvent.RestoreStarted started) {
            Restore restore = new Restore(started.restoreId(), RestoreState.RUNNING, started.snapshot(),
                    started.path(), started.target(), started.by(), started.at(), null, 0, 0, null, null, List.of());
            List<Restore> newest = new ArrayList<>(List.of(restore));
            newest.addAll(restores);
            return withRestores(newest);
        }
        if (event instanceof BackupEvent.RestoreFinished finished) {
            return withRestores(restores.stream().map(restore -> !restore.id().equals(finished.restoreId())
                    ? restore
                    : new Restore(restore.id(), finished.ok() ? RestoreState.SUCCEEDED : RestoreState.FAILED,
                            restore.snapshot(), restore.path(), restore.target(), restore.by(), restore.startedAt(),
                            finished.at(), finished.files(), finished.bytes(), finished.failure(), finished.reason(),
                            clip(finished.log()))).toList());
        }
        if (event instanceof BackupEvent.Verified verified) {
            return new BackupJob(settings, createdAt, createdBy, hostKey, lastHandledDue, missedThrough, running,
                    lastGood, previousGood, runs, snapshots, new Verification(verified.verifyId(), verified.ok(),
                            verified.failure(), verified.reason(), verified.snapshot(), verified.checked(),
                            verified.skippedChanged(), first(verified.mismatched()), verified.coveragePercent(),
                            verified.at()), restores);
        }
        return this;
    }

    private BackupJob completed(BackupEvent.RunCompleted completed) {
        Run base = runFor(completed.runId());
        if (base == null) {
            return this;
        }
        Run done = base.finished(completed.warning() ? RunState.WARNING : RunState.SUCCEEDED, completed.at(),
                completed.snapshot(), completed.stats(), null, null, completed.log(), completed.problemFiles());
        GoodRun good = new GoodRun(completed.runId(), completed.snapshot(), completed.at(), completed.stats());
        boolean newer = lastGood == null || !lastGood.at().isAfter(completed.at());
        return new BackupJob(settings, createdAt, createdBy, hostKey, lastHandledDue,
                // A good run settles what was missed before it.
                null, isRunning(completed.runId()) ? null : running, newer ? good : lastGood,
                newer ? lastGood : previousGood, replaced(done), completed.snapshots(), verification, restores);
    }

    private boolean isRunning(String runId) {
        return running != null && running.id().equals(runId);
    }

    /** The run with this id: the running one or a finished one still listed. */
    @Nullable Run runFor(String runId) {
        if (isRunning(runId)) {
            return running;
        }
        return runs.stream().filter(run -> run.id().equals(runId)).findFirst().orElse(null);
    }

    /** {@code run} in the list: in its old place if it was there (a late result), else first. */
    private List<Run> replaced(Run run) {
        if (runs.stream().anyMatch(existing -> existing.id().equals(run.id()))) {
            return runs.stream().map(existing -> existing.id().equals(run.id()) ? run : existing).toList();
        }
        return prepend(run);
    }

    private List<Run> prepend(Run run) {
        List<Run> newest = new ArrayList<>(List.of(run));
        newest.addAll(runs);
        return newest.subList(0, Math.min(newest.size(), KEPT_RUNS));
    }

    private BackupJob with(UnaryOperator<BackupSettings> newSettings, HostKeyState key, Instant handled,
            @Nullable Instant missed, @Nullable Run run, List<Run> newRuns) {
        return new BackupJob(newSettings.apply(settings), createdAt, createdBy, key, handled, missed, run, lastGood,
                previousGood, newRuns, snapshots, verification, restores);
    }

    private BackupJob withRestores(List<Restore> newRestores) {
        return new BackupJob(settings, createdAt, createdBy, hostKey, lastHandledDue, missedThrough, running,
                lastGood, previousGood, runs, snapshots, verification,
                newRestores.subList(0, Math.min(newRestores.size(), KEPT_RESTORES)));
    }

    /** The first {@link #KEPT_LINES} of a list of files (the whole list went to the history). */
    private static List<String> first(List<String> files) {
        return files == null ? List.of() : files.subList(0, Math.min(files.size(), KEPT_LINES));
    }

    /** The last {@link #KEPT_LINES} lines of a log: the end says what went wrong. */
    private static List<String> clip(List<String> lines) {
        if (lines == null) {
            return List.of();
        }
        return lines.size() <= KEPT_LINES ? lines : lines.subList(lines.size() - KEPT_LINES, lines.size());
    }
}
