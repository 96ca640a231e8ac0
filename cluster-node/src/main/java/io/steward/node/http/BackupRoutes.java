package io.steward.node.http;

import io.steward.core.backup.BackupDestination;
import io.steward.core.backup.BackupJobSpec;
import io.steward.core.backup.BackupPaths;
import io.steward.core.backup.BackupSchedule;
import io.steward.core.backup.BackupTiming;
import io.steward.core.backup.Retention;
import io.steward.core.backup.TreeEntry;
import io.steward.core.fleet.ServerId;
import io.steward.core.protocol.AgentMessage;
import io.steward.node.auth.UserStore;
import io.steward.node.problem.Problem;
import io.steward.node.server.BackupCommand;
import io.steward.node.server.BackupJob;
import io.steward.node.server.BackupSettings;
import io.steward.node.server.BackupsBody;
import io.steward.node.server.BackupsView;
import io.steward.node.server.ServerCommand;
import io.steward.node.server.ServerEntity;
import io.steward.node.server.ServerEntitySettings;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.Done;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.jspecify.annotations.Nullable;

/**
 * A server's backup jobs: {@code /api/servers/{id}/backups[/{jobId}[/run|/runs|/restore|/restores/{id}|
 * /trust-host-key|/snapshots/{snapshot}/tree]]} and {@code /api/servers/{id}/backup-key}. Reading is for every
 * user; changing, running, restoring and browsing a snapshot's files are for admins. The entity owns the jobs; the
 * agent checks every job against its own allow-list again.
 */
final class BackupRoutes extends ApiDirectives {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,6})\\s*(s|m|h|d)");

    private final BackupTiming timing;

    BackupRoutes(ApiContext context) {
        super(context);
        this.timing = ServerEntitySettings.backupTiming(context.system().settings().config());
    }

    /** {@code POST /api/servers/{id}/backups} and {@code PUT …/{jobId}}: a job as people write it. */
    public record JobRequest(@Nullable String name, @Nullable List<String> sources, @Nullable List<String> excludes,
            @Nullable DestinationRequest destination, @Nullable ScheduleRequest schedule,
            @Nullable RetentionRequest retention, @Nullable Integer bandwidthKiBps, @Nullable String timeout,
            @Nullable Boolean enabled, @Nullable Integer verifyEveryHours) {

        /** The settings this request describes, for job {@code jobId}; {@code previous} keeps an unchanged anchor. */
        BackupSettings toSettings(String jobId, @Nullable BackupSchedule previous, Instant now, BackupTiming timing) {
            String jobName = Fields.required("name", name, BackupSettings.MAX_NAME);
            if (destination == null) {
                throw Problem.invalid("destination is required: {\"host\", \"port\", \"user\", \"path\"}");
            }
            BackupJobSpec spec;
            try {
                spec = new BackupJobSpec(jobId, sources, excludes, new BackupDestination(
                        Fields.required("destination.host", destination.host(), 253),
                        destination.port() == null ? 22 : destination.port(),
                        Fields.required("destination.user", destination.user(), 32),
                        Fields.required("destination.path", destination.path(), BackupDestination.MAX_PATH)),
                        bandwidthKiBps, duration(timeout));
            } catch (IllegalArgumentException e) {
                throw Problem.invalid(e.getMessage());
            }
            try {
                return new BackupSettings(jobName, spec, schedule(previous, now, timing), retentionOf(),
                        enabled == null || enabled,
                        verifyEveryHours == null ? BackupSettings.DEFAULT_VERIFY_HOURS : verifyEveryHours);
            } catch (IllegalArgumentException e) {
                throw Problem.invalid(e.getMessage());
            }
        }

        private BackupSchedule schedule(@Nullable BackupSchedule previous, Instant now, BackupTiming timing) {
            if (schedule == null || (schedule.cron() == null) == (schedule.everyHours() == null)) {
                throw Problem.invalid("schedule must be {\"cron\": \"30 2 * * *\", \"timeZone\": \"Europe/Berlin\"}"
                        + " or {\"everyHours\": 6}");
            }
            BackupSchedule chosen;
            if (schedule.cron() != null) {
                chosen = new BackupSchedule.Cron(schedule.cron().strip(),
                        schedule.timeZone() == null ? "UTC" : schedule.timeZone().strip());
            } else if (previous instanceof BackupSchedule.EveryHours every && every.hours() == schedule.everyHours()) {
                chosen = every; // the same schedule keeps counting from where it started
            } else {
                chosen = new BackupSchedule.EveryHours(schedule.everyHours(), now);
            }
            return BackupSchedule.checked(chosen, now, timing);
        }

        private Retention retentionOf() {
            if (retention == null) {
                return Retention.DEFAULT;
            }
            return new Retention(count(retention.keepLast()), count(retention.daily()), count(retention.weekly()),
                    count(retention.monthly()));
        }

        private static int count(@Nullable Integer value) {
            return value == null ? 0 : value;
        }
    }

    public record DestinationRequest(@Nullable String host, @Nullable Integer port, @Nullable String user,
            @Nullable String path) {}

    public record ScheduleRequest(@Nullable String cron, @Nullable String timeZone, @Nullable Integer everyHours) {}

    /** Counts left out keep none of that kind. */
    public record RetentionRequest(@Nullable Integer keepLast, @Nullable Integer daily, @Nullable Integer weekly,
            @Nullable Integer monthly) {}

    /** {@code POST …/trust-host-key}: the fingerprint a person compared with the destination's own. */
    public record TrustRequest(@Nullable String fingerprint) {}

    /**
     * {@code POST …/restore}: a file or directory of a snapshot, to its own place ({@code target} absent) or under
     * {@code target} with its full path. A target outside the job's sources needs {@code allowOutsideSources}.
     */
    public record RestoreRequest(@Nullable String snapshot, @Nullable String path, @Nullable String target,
            @Nullable Boolean allowOutsideSources) {}

    /** The answer of {@code POST …/run}: the run to follow (its progress on the live socket, then the run list). */
    public record RunAccepted(String runId) {}

    /** The answer of {@code POST …/restore}; follow it at {@code GET …/restores/{restoreId}} or on the socket. */
    public record RestoreAccepted(String restoreId, BackupsBody.RestoreStateName state) {}

    /** {@code GET …/snapshots/{snapshot}/tree?path=}: one directory of a snapshot. */
    public record TreeBody(String snapshot, String path, List<TreeEntry> entries, boolean truncated) {}

    Route route(UserStore.User user) {
        return pathPrefix(PathMatchers.segment("servers").slash(PathMatchers.segment()), segment -> concat(
                path("backup-key", () -> get(() -> parameterOptional("path", path -> key(serverId(segment),
                        path.orElse("/srv/backups/" + segment))))),
                pathPrefix("backups", () -> jobs(serverId(segment), user))));
    }

    private Route jobs(ServerId serverId, UserStore.User user) {
        return concat(
                pathEndOrSingleSlash(() -> concat(
                        get(() -> onSuccess(view(serverId), view -> complete(Json.ok(BackupsBody.jobs(view))))),
                        post(() -> admin(user, jsonBody(JobRequest.class, body -> create(serverId, body, user)))))),
                pathPrefix(PathMatchers.segment(), jobId -> concat(
                        pathEndOrSingleSlash(() -> concat(
                                get(() -> onSuccess(view(serverId), view -> complete(Json.ok(job(view, jobId))))),
                                put(() -> admin(user, jsonBody(JobRequest.class,
                                        body -> update(serverId, jobId, body, user)))),
                                delete(() -> admin(user, onSuccess(entity(serverId).<Done>askWithStatus(replyTo ->
                                        new BackupCommand.DeleteJob(jobId, user.username(), replyTo), askTimeout()),
                                        done -> complete(Json.ok(new Deleted(jobId)))))))),
                        path("run", () -> post(() -> admin(user, onSuccess(entity(serverId).<String>askWithStatus(
                                replyTo -> new BackupCommand.RunNow(jobId, user.username(), replyTo), askTimeout()),
                                runId -> complete(Json.response(StatusCodes.ACCEPTED, new RunAccepted(runId))))))),
                        path("runs", () -> get(() -> onSuccess(view(serverId), view -> complete(Json.ok(
                                runs(view, jobId)))))),
                        path("trust-host-key", () -> post(() -> admin(user, jsonBody(TrustRequest.class, body ->
                                trust(serverId, jobId, body, user))))),
                        path("restore", () -> post(() -> admin(user, jsonBody(RestoreRequest.class, body ->
                                restore(serverId, jobId, body, user))))),
                        path(PathMatchers.segment("restores").slash(PathMatchers.segment()), restoreId ->
                                get(() -> onSuccess(view(serverId), view -> complete(Json.ok(
                                        restoreOf(view, jobId, restoreId)))))),
                        path(PathMatchers.segment("snapshots").slash(PathMatchers.segment()).slash("tree"),
                                snapshot -> get(() -> admin(user, parameterOptional("path", path ->
                                        tree(serverId, jobId, snapshot, path.orElse("/")))))))));
    }

    private Route create(ServerId serverId, JobRequest body, UserStore.User user) {
        BackupSettings settings = body.toSettings(newJobId(body.name()), null, Instant.now(), timing);
        return onSuccess(entity(serverId).<BackupsView>askWithStatus(replyTo -> new BackupCommand.CreateJob(settings,
                user.username(), replyTo), askTimeout()),
                view -> complete(Json.created(job(view, settings.jobId()))));
    }

    private Route update(ServerId serverId, String jobId, JobRequest body, UserStore.User user) {
        CompletionStage<BackupsView> updated = view(serverId).thenCompose(view -> {
            BackupJob job = view.job(jobId).orElseThrow(() -> Problem.notFound("no backup job " + jobId));
            BackupSettings settings = body.toSettings(jobId, job.settings().schedule(), Instant.now(), timing);
            return entity(serverId).askWithStatus(replyTo -> new BackupCommand.UpdateJob(settings, user.username(),
                    replyTo), askTimeout());
        });
        return onSuccess(updated, view -> complete(Json.ok(job(view, jobId))));
    }

    private Route trust(ServerId serverId, String jobId, TrustRequest body, UserStore.User user) {
        String fingerprint = Fields.required("fingerprint", body.fingerprint(), 200);
        return onSuccess(entity(serverId).<BackupsView>askWithStatus(replyTo -> new BackupCommand.TrustHostKey(jobId,
                fingerprint, user.username(), replyTo), askTimeout()), view -> complete(Json.ok(job(view, jobId))));
    }

    private Route restore(ServerId serverId, String jobId, RestoreRequest body, UserStore.User user) {
        String snapshot = Fields.required("snapshot", body.snapshot(), 64);
        String path = absolute("path", body.path());
        String target = body.target() == null || body.target().isBlank() ? null : absolute("target", body.target());
        CompletionStage<String> started = view(serverId).thenCompose(view -> {
            BackupJob job = view.job(jobId).orElseThrow(() -> Problem.notFound("no backup job " + jobId));
            List<String> sources = job.settings().spec().sources();
            if (target != null && !BackupPaths.withinAny(target, sources)
                    && !Boolean.TRUE.equals(body.allowOutsideSources())) {
                throw Problem.invalid("target: " + target + " is outside the job's sources " + sources
                        + "; send \"allowOutsideSources\": true to restore there");
            }
            return entity(serverId).askWithStatus(replyTo -> new BackupCommand.Restore(jobId, snapshot, path, target,
                    user.username(), replyTo), askTimeout());
        });
        return onSuccess(started, restoreId -> complete(Json.response(StatusCodes.ACCEPTED,
                new RestoreAccepted(restoreId, BackupsBody.RestoreStateName.RUNNING))));
    }

    private Route tree(ServerId serverId, String jobId, String snapshot, String path) {
        String directory = absolute("path", path);
        // The agent lists over SSH: its own deadline (30 s) plus the ask's.
        CompletionStage<AgentMessage.SnapshotTree> listed = entity(serverId).askWithStatus(replyTo ->
                new BackupCommand.Browse(jobId, snapshot, directory, replyTo), askTimeout().plusSeconds(40));
        return onSuccess(listed, tree -> complete(Json.ok(new TreeBody(snapshot, tree.path(), tree.entries(),
                tree.truncated()))));
    }

    private Route key(ServerId serverId, String path) {
        String directory = absolute("path", path);
        return onSuccess(view(serverId), view -> complete(Json.ok(
                BackupsBody.BackupKeyBody.of(view.agent(), directory))));
    }

    private static BackupsBody.JobBody job(BackupsView view, String jobId) {
        return BackupsBody.JobBody.of(view.job(jobId)
                .orElseThrow(() -> Problem.notFound("no backup job " + jobId)), view);
    }

    /** Newest first: the run in progress, then the finished ones the entity keeps (older ones: the history). */
    private static List<BackupsBody.RunBody> runs(BackupsView view, String jobId) {
        BackupJob job = view.job(jobId).orElseThrow(() -> Problem.notFound("no backup job " + jobId));
        List<BackupsBody.RunBody> runs = new ArrayList<>();
        if (job.running() != null) {
            runs.add(BackupsBody.RunBody.of(job.running()));
        }
        job.runs().forEach(run -> runs.add(BackupsBody.RunBody.of(run)));
        return runs;
    }

    private static BackupsBody.RestoreBody restoreOf(BackupsView view, String jobId, String restoreId) {
        BackupJob job = view.job(jobId).orElseThrow(() -> Problem.notFound("no backup job " + jobId));
        return job.restores().stream().filter(restore -> restore.id().equals(restoreId)).findFirst()
                .map(BackupsBody.RestoreBody::of)
                .orElseThrow(() -> Problem.notFound("no restore " + restoreId + " of " + jobId));
    }

    private CompletionStage<BackupsView> view(ServerId serverId) {
        return entity(serverId).askWithStatus(BackupCommand.GetBackups::new, askTimeout());
    }

    private EntityRef<ServerCommand> entity(ServerId id) {
        return context.sharding().entityRefFor(ServerEntity.TYPE_KEY, id.value());
    }

    private Duration askTimeout() {
        return context.settings().askTimeout();
    }

    private static String absolute(String field, @Nullable String path) {
        try {
            return BackupPaths.absolute(field, path, BackupJobSpec.MAX_SOURCE_PATH);
        } catch (IllegalArgumentException e) {
            throw Problem.invalid(e.getMessage());
        }
    }

    /** {@code PT2H}, or the short forms people write ({@code 90m}, {@code 2h}, {@code 1d}); null when absent. */
    static @Nullable Duration duration(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String trimmed = text.strip().toLowerCase(Locale.ROOT);
        Matcher shortForm = SHORT_DURATION.matcher(trimmed);
        if (shortForm.matches()) {
            long amount = Long.parseLong(shortForm.group(1));
            return switch (shortForm.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(text.strip().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw Problem.invalid("timeout must be a duration such as PT2H, 90m or 2h");
        }
    }

    /** A readable id from the job's name and a random suffix ({@code nightly-www-k3x9}), unique per server. */
    static String newJobId(@Nullable String name) {
        String slug = name == null ? "" : name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("(^-+|-+$)", "");
        if (slug.length() > 40) {
            slug = slug.substring(0, 40).replaceAll("-+$", "");
        }
        String alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            suffix.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return (slug.isEmpty() ? "job" : slug) + "-" + suffix;
    }
}
