package io.steward.node.server;

import com.fasterxml.jackson.annotation.JsonValue;
import io.steward.core.backup.BackupDestination;
import io.steward.core.backup.BackupFailure;
import io.steward.core.backup.BackupOperation;
import io.steward.core.backup.BackupSchedule;
import io.steward.core.backup.Retention;
import io.steward.core.backup.RunStats;
import io.steward.core.protocol.AgentMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Backup jobs as the API and the live socket show them ({@code GET /api/servers/{id}/backups}, the {@code backups}
 * frame): each job's settings in the shape they are written in, its status, recovery point, next run, host key, last
 * run, progress and last test restore. Made from the entity's {@link BackupsView}; the TypeScript types are
 * generated from these records.
 */
public final class BackupsBody {
    private BackupsBody() {}

    /** The badge of a job. */
    public enum Status {
        OK, LATE, FAILED, RUNNING, NEVER_RUN;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** {@code {"cron", "timeZone"}} or {@code {"everyHours"}}. */
    public record ScheduleBody(@Nullable String cron, @Nullable String timeZone, @Nullable Integer everyHours) {
        public static ScheduleBody of(BackupSchedule schedule) {
            return schedule instanceof BackupSchedule.Cron cron
                    ? new ScheduleBody(cron.expression(), cron.timeZone(), null)
                    : new ScheduleBody(null, null, ((BackupSchedule.EveryHours) schedule).hours());
        }
    }

    /**
     * The destination's host key: {@code trusted} once a person accepted this fingerprint; {@code changed} when a
     * run met another key than the trusted one ({@code trustedFingerprint} is then the old one).
     */
    public record HostKeyBody(@Nullable String fingerprint, @Nullable String type, boolean trusted, boolean changed,
            @Nullable String trustedFingerprint, @Nullable String error, @Nullable Instant seenAt) {
        public static @Nullable HostKeyBody of(BackupJob.HostKeyState key) {
            if (key.seen() == null && key.trustedFingerprint() == null && key.error() == null && !key.changed()) {
                return null;
            }
            return new HostKeyBody(key.seen() == null ? null : key.seen().fingerprint(),
                    key.seen() == null ? null : key.seen().type(), key.trustedKey().isPresent(), key.changed(),
                    key.trustedFingerprint(), key.error(), key.seenAt());
        }
    }

    public record StatsBody(long filesTotal, long filesTransferred, long totalBytes, long bytesTransferred,
            double durationSeconds, int exitCode) {
        public static @Nullable StatsBody of(@Nullable RunStats stats) {
            return stats == null ? null : new StatsBody(stats.filesTotal(), stats.filesTransferred(),
                    stats.totalBytes(), stats.bytesTransferred(), stats.durationMillis() / 1000.0, stats.exitCode());
        }
    }

    public enum RunStateName {
        RUNNING, SUCCEEDED, WARNING, FAILED, REFUSED, MISSED;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum TriggerName {
        SCHEDULE, CATCH_UP, MANUAL;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** One entry of a job's run list ({@code GET …/runs}); {@code log} is rsync's last lines. */
    public record RunBody(String id, RunStateName state, TriggerName trigger, @Nullable Instant dueFor,
            Instant startedAt, @Nullable Instant finishedAt, @Nullable String snapshot, @Nullable StatsBody stats,
            @Nullable BackupFailure failure, @Nullable String reason, List<String> problemFiles, List<String> log,
            List<String> pruned, @Nullable String by, int missedCount) {
        public static RunBody of(BackupJob.Run run) {
            return new RunBody(run.id(), RunStateName.valueOf(run.state().name()),
                    TriggerName.valueOf(run.trigger().name()), run.dueFor(), run.startedAt(), run.finishedAt(),
                    run.snapshot(), StatsBody.of(run.stats()), run.failure(), run.reason(), run.problemFiles(),
                    run.log(), run.pruned(), run.by(), run.missedCount());
        }
    }

    /** How far a run, restore or test restore is, as the agent last said. */
    public record ProgressBody(String commandId, BackupOperation operation, String phase, double percent, long bytes,
            long bytesPerSecond, @Nullable Long etaSeconds, long filesDone, long filesTotal) {
        public static ProgressBody of(AgentMessage.BackupProgress progress) {
            return new ProgressBody(progress.commandId(), progress.operation(), progress.phase(), progress.percent(),
                    progress.bytes(), progress.bytesPerSecond(), progress.etaSeconds(), progress.filesDone(),
                    progress.filesTotal());
        }
    }

    public record VerificationBody(boolean ok, @Nullable BackupFailure failure, @Nullable String reason,
            @Nullable String snapshot, int checked, int skippedChanged, List<String> mismatched,
            double coveragePercent, Instant at) {
        public static @Nullable VerificationBody of(BackupJob.@Nullable Verification verification) {
            return verification == null ? null : new VerificationBody(verification.ok(), verification.failure(),
                    verification.reason(), verification.snapshot(), verification.checked(),
                    verification.skippedChanged(), verification.mismatched(), verification.coveragePercent(),
                    verification.at());
        }
    }

    public enum RestoreStateName {
        RUNNING, SUCCEEDED, FAILED;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A restore ({@code GET …/restores/{restoreId}}, and the newest ones on the job). */
    public record RestoreBody(String id, RestoreStateName state, String snapshot, String path,
            @Nullable String target, String by, Instant startedAt, @Nullable Instant finishedAt, long files,
            long bytes, @Nullable BackupFailure failure, @Nullable String reason, List<String> log) {
        public static RestoreBody of(BackupJob.Restore restore) {
            return new RestoreBody(restore.id(), RestoreStateName.valueOf(restore.state().name()), restore.snapshot(),
                    restore.path(), restore.target(), restore.by(), restore.startedAt(), restore.finishedAt(),
                    restore.files(), restore.bytes(), restore.failure(), restore.reason(), restore.log());
        }
    }

    /**
     * A job ({@code GET /api/servers/{id}/backups/{jobId}}): the settings as written ({@code timeout} an ISO-8601
     * duration), then what Steward knows of it.
     *
     * @param recoveryPointAgeSeconds the age of the last good snapshot; null before the first
     * @param authorizedKeysLine the line to put in the destination account's {@code authorized_keys}; null until
     *     the agent told its public key
     */
    public record JobBody(String id, String name, List<String> sources, List<String> excludes,
            BackupDestination destination, ScheduleBody schedule, Retention retention,
            @Nullable Integer bandwidthKiBps, @Nullable String timeout, boolean enabled, int verifyEveryHours,
            Status status, @Nullable Instant lastGoodAt, @Nullable Long recoveryPointAgeSeconds,
            @Nullable Instant nextRunAt, @Nullable HostKeyBody hostKey, @Nullable RunBody lastRun,
            @Nullable ProgressBody progress, @Nullable VerificationBody verification, List<String> snapshots,
            List<RestoreBody> restores, @Nullable String authorizedKeysLine, Instant createdAt, String createdBy) {

        public static JobBody of(BackupJob job, BackupsView view) {
            BackupSettings settings = job.settings();
            Instant now = view.now();
            BackupJob.Run last = job.running() != null ? job.running()
                    : job.runs().isEmpty() ? null : job.runs().get(0);
            AgentMessage.BackupProgress progress = view.progress().get(job.id());
            Duration timeout = settings.spec().timeout();
            return new JobBody(job.id(), settings.name(), settings.spec().sources(), settings.spec().excludes(),
                    settings.spec().destination(), ScheduleBody.of(settings.schedule()), settings.retention(),
                    settings.spec().bandwidthKiBps(), timeout == null ? null : timeout.toString(),
                    settings.enabled(), settings.verifyEveryHours(), BackupDecisions.status(job, now, view.timing()),
                    job.lastGood() == null ? null : job.lastGood().at(),
                    job.lastGood() == null ? null : Duration.between(job.lastGood().at(), now).toSeconds(),
                    BackupDecisions.nextRunAt(job, now), HostKeyBody.of(job.hostKey()),
                    last == null ? null : RunBody.of(last),
                    progress == null || job.running() == null && job.restores().stream()
                            .noneMatch(r -> r.state() == BackupJob.RestoreState.RUNNING)
                            ? null : ProgressBody.of(progress),
                    VerificationBody.of(job.verification()), job.snapshots(),
                    job.restores().stream().map(RestoreBody::of).toList(),
                    view.agent().authorizedKeysLine(settings.spec().destination().path()), job.createdAt(),
                    job.createdBy());
        }
    }

    /** Every job of a server, as listed and pushed. */
    public static List<JobBody> jobs(BackupsView view) {
        return view.jobs().stream().map(job -> JobBody.of(job, view)).toList();
    }

    /** {@code GET /api/servers/{id}/backup-key}. */
    public record BackupKeyBody(boolean enabled, @Nullable String publicKey, @Nullable String authorizedKeysLine,
            List<String> allowSources, List<String> allowDestinations, @Nullable String rsyncVersion) {
        public static BackupKeyBody of(AgentBackups agent, String path) {
            return new BackupKeyBody(agent.enabled(), agent.publicKey(), agent.authorizedKeysLine(path),
                    agent.allowSources(), agent.allowDestinations(), agent.rsyncVersion());
        }
    }
}
