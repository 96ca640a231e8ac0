package io.steward.node.server;

import com.fasterxml.jackson.annotation.JsonValue;
import io.steward.core.backup.BackupDestination;
import io.steward.core.backup.BackupFailure;
import io.steward.core.backup.Retention;
import io.steward.core.services.ServiceAction;
import io.steward.node.alerting.ActiveAlert;
import io.steward.node.alerting.AlertSubject;
import io.steward.node.alerting.SeverityName;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A server's audit history as the API shows it ({@code GET /api/servers/{id}/events}): each stored event becomes an
 * {@link Entry} with a stable name and fields of its own, so renaming or moving a persisted class never changes the
 * API (and an API change never needs a journal migration).
 */
public final class ServerHistory {
    private ServerHistory() {}

    /**
     * One line of the history.
     *
     * @param type the stable name, e.g. {@code alert-fired}
     * @param by the person who did it, when a person did
     */
    public record Entry(long sequence, Type type, Instant at, @Nullable String by, Details details) {}

    /** The stable name of each kind of history line. */
    public enum Type {
        REGISTERED, DELETED, HOSTNAME_CHANGED, AGENT_VERSION_CHANGED, SYSTEM_CHANGED, RENAMED, REGROUPED, RETAGGED,
        NOTES_CHANGED, CAME_ONLINE, REPORTS_DROPPED, WENT_OFFLINE, ALERT_PENDING, ALERT_FIRED, ALERT_CANCELLED,
        ALERT_RESOLVED, ALERT_ACKNOWLEDGED, SILENCED, SILENCE_ENDED, SERVICE_WENT_DOWN, SERVICE_RECOVERED,
        SERVICE_RESTART_ATTEMPTED, SERVICE_RESTART_FAILED, SERVICE_RECOVERY_GAVE_UP, SERVICE_FLAPPING,
        SERVICE_ACTION_REQUESTED, SERVICE_ACTION_COMPLETED, AUTO_RESTART_CHANGED, BACKUP_JOB_CREATED,
        BACKUP_JOB_UPDATED, BACKUP_JOB_DELETED, BACKUP_HOST_KEY_SEEN, BACKUP_HOST_KEY_UNAVAILABLE,
        BACKUP_HOST_KEY_TRUSTED, BACKUP_HOST_KEY_CHANGED, BACKUP_STARTED, BACKUP_COMPLETED, BACKUP_FAILED,
        BACKUP_REFUSED, BACKUP_MISSED, BACKUP_PRUNED, BACKUP_RESTORE_STARTED, BACKUP_RESTORE_FINISHED,
        BACKUP_VERIFIED, BACKUP_AGENT_CHANGED, RE_ENROLLMENT_REQUESTED, RE_ENROLLMENT_APPROVED,
        RE_ENROLLMENT_DENIED, CREDENTIAL_REVOKED;

        /** {@code alert-fired}: as the API writes it. */
        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** What happened, by type; the fields are the API's own. */
    public sealed interface Details {}

    public record Registered(String hostname, @Nullable String machineId, @Nullable String agentVersion)
            implements Details {}

    public record Deleted(String by) implements Details {}

    public record ReEnrollmentRequested(String requestId, String hostname, String remote, boolean needsApproval)
            implements Details {}

    public record ReEnrollmentDecided(String requestId, String by) implements Details {}

    public record CredentialRevoked(String by) implements Details {}

    public record HostnameChanged(@Nullable String from, String to) implements Details {}

    public record AgentVersionChanged(@Nullable String from, @Nullable String to) implements Details {}

    public record SystemChanged(@Nullable SystemIdentity from, SystemIdentity to) implements Details {}

    public record Renamed(@Nullable String displayName, String by) implements Details {}

    public record Regrouped(@Nullable String group, String by) implements Details {}

    public record Retagged(List<String> tags, String by) implements Details {}

    public record NotesChanged(@Nullable String notes, String by) implements Details {}

    public record CameOnline(long intervalMillis) implements Details {}

    public record ReportsDropped(long count) implements Details {}

    public record WentOffline(@Nullable Instant lastSeen) implements Details {}

    /**
     * An alert as the history shows it: the API's own record (lower-case severity and phase), not the stored
     * {@link ActiveAlert}, so the journal's classes never leak into the API.
     */
    public record Alert(String ruleId, @Nullable String ruleName, String series, SeverityName severity, Phase phase,
            Instant since, @Nullable Double value, @Nullable String condition,
            @Nullable Acknowledgement acknowledged) {

        static Alert of(ActiveAlert alert) {
            ActiveAlert.Acknowledgement ack = alert.acknowledged();
            return new Alert(alert.ruleId(), alert.ruleName(), alert.series(), SeverityName.of(alert.severity()),
                    alert.phase() == ActiveAlert.Phase.FIRING ? Phase.FIRING : Phase.PENDING, alert.since(),
                    finite(alert.value()), alert.condition(), ack == null ? null : Acknowledgement.of(ack));
        }
    }

    /** {@code pending} or {@code firing}. */
    public enum Phase {
        PENDING, FIRING;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public record Acknowledgement(String by, Instant at, @Nullable String comment) {
        static Acknowledgement of(ActiveAlert.Acknowledgement ack) {
            return new Acknowledgement(ack.by(), ack.at(), ack.comment());
        }
    }

    public record AlertPending(Alert alert, @Nullable AlertSubject subject) implements Details {}

    public record AlertFired(Alert alert, @Nullable AlertSubject subject) implements Details {}

    public record AlertCancelled(Alert alert, @Nullable Double value) implements Details {}

    public record AlertResolved(Alert alert, @Nullable Double value, String reason,
            @Nullable AlertSubject subject) implements Details {}

    public record AlertAcknowledged(String key, Acknowledgement acknowledgement) implements Details {}

    public record Silenced(String silenceId, Instant until, String by, @Nullable String comment) implements Details {}

    public record SilenceEnded(String silenceId, String by) implements Details {}

    public record ServiceWentDown(String service, @Nullable String detail) implements Details {}

    public record ServiceRecovered(String service, int attempts) implements Details {}

    public record ServiceRestartAttempted(String service, int attempt) implements Details {}

    public record ServiceRestartFailed(String service, int attempt, @Nullable String reason,
            Instant nextAttemptAt) implements Details {}

    public record ServiceRecoveryGaveUp(String service, int attempts, @Nullable String reason) implements Details {}

    public record ServiceFlapping(String service, int restartsInWindow) implements Details {}

    public record ServiceActionRequested(String service, ServiceAction action, String by) implements Details {}

    public record ServiceActionCompleted(String service, ServiceAction action, String result,
            @Nullable String message, String by) implements Details {}

    public record AutoRestartChanged(String service, boolean enabled, String by) implements Details {}

    /** A job's settings as the history shows them (the API's job shape, without what Steward knows of it). */
    public record BackupJobSettings(String name, List<String> sources, List<String> excludes,
            BackupDestination destination, BackupsBody.ScheduleBody schedule, Retention retention,
            @Nullable Integer bandwidthKiBps, @Nullable String timeout, boolean enabled, int verifyEveryHours) {
        static BackupJobSettings of(BackupSettings settings) {
            return new BackupJobSettings(settings.name(), settings.spec().sources(), settings.spec().excludes(),
                    settings.spec().destination(), BackupsBody.ScheduleBody.of(settings.schedule()),
                    settings.retention(), settings.spec().bandwidthKiBps(),
                    settings.spec().timeout() == null ? null : settings.spec().timeout().toString(),
                    settings.enabled(), settings.verifyEveryHours());
        }
    }

    public record BackupJobCreated(String jobId, BackupJobSettings settings, String by) implements Details {}

    public record BackupJobUpdated(String jobId, BackupJobSettings settings, boolean destinationChanged, String by)
            implements Details {}

    public record BackupJobDeleted(String jobId, String by) implements Details {}

    public record BackupHostKeySeen(String jobId, String fingerprint, String type) implements Details {}

    public record BackupHostKeyUnavailable(String jobId, String reason) implements Details {}

    public record BackupHostKeyTrusted(String jobId, String fingerprint, String by) implements Details {}

    public record BackupHostKeyChanged(String jobId, String expectedFingerprint) implements Details {}

    public record BackupStarted(String jobId, String runId, String snapshot, BackupsBody.TriggerName trigger,
            @Nullable Instant dueFor, @Nullable String by) implements Details {}

    public record BackupCompleted(String jobId, String runId, boolean warning, String snapshot,
            BackupsBody.StatsBody stats, List<String> problemFiles, List<String> log) implements Details {}

    public record BackupFailed(String jobId, String runId, @Nullable BackupFailure failure, String reason,
            List<String> log) implements Details {}

    public record BackupRefused(String jobId, @Nullable String runId, @Nullable BackupFailure failure, String reason,
            @Nullable Instant dueFor) implements Details {}

    public record BackupMissed(String jobId, int count, Instant first, Instant last, String reason)
            implements Details {}

    public record BackupPruned(String jobId, String runId, List<String> snapshots) implements Details {}

    public record BackupRestoreStarted(String jobId, String restoreId, String snapshot, String path,
            @Nullable String target, String by) implements Details {}

    public record BackupRestoreFinished(String jobId, String restoreId, boolean ok, @Nullable BackupFailure failure,
            @Nullable String reason, long files, long bytes, List<String> log) implements Details {}

    public record BackupVerified(String jobId, String verifyId, boolean ok, @Nullable BackupFailure failure,
            @Nullable String reason, @Nullable String snapshot, int checked, int skippedChanged,
            List<String> mismatched, double coveragePercent) implements Details {}

    public record BackupAgentChanged(boolean enabled, @Nullable String publicKey, List<String> allowSources,
            List<String> allowDestinations) implements Details {}

    /** The history line of the event stored under {@code sequence}. */
    public static Entry entry(long sequence, ServerEvent event) {
        Named named = describe(event);
        return new Entry(sequence, named.type(), event.at(), named.by(), named.details());
    }

    /**
     * The line as a viewer sees it: without the machine id, which (with any unexpired enrollment token) once sufficed
     * to take over the server's identity and is still best kept to admins.
     */
    public static Entry forViewer(Entry entry) {
        if (entry.details() instanceof Registered registered && registered.machineId() != null) {
            return new Entry(entry.sequence(), entry.type(), entry.at(), entry.by(),
                    new Registered(registered.hostname(), null, registered.agentVersion()));
        }
        return entry;
    }

    private record Named(Type type, @Nullable String by, Details details) {}

    private static Named describe(ServerEvent event) {
        if (event instanceof LifecycleEvent lifecycle) {
            return lifecycle(lifecycle);
        }
        if (event instanceof IdentityEvent identity) {
            return identity(identity);
        }
        if (event instanceof DetailsEvent details) {
            return details(details);
        }
        if (event instanceof PresenceEvent presence) {
            return presence(presence);
        }
        if (event instanceof AlertEvent alert) {
            return alert(alert);
        }
        if (event instanceof BackupEvent backup) {
            return backup(backup);
        }
        if (event instanceof CredentialEvent credential) {
            return credential(credential);
        }
        return service((ServiceEvent) event);
    }

    private static Named credential(CredentialEvent event) {
        if (event instanceof CredentialEvent.ReEnrollmentRequested e) {
            return new Named(Type.RE_ENROLLMENT_REQUESTED, null,
                    new ReEnrollmentRequested(e.requestId(), e.hostname(), e.remote(), e.needsApproval()));
        }
        if (event instanceof CredentialEvent.ReEnrollmentApproved e) {
            return new Named(Type.RE_ENROLLMENT_APPROVED, e.by(), new ReEnrollmentDecided(e.requestId(), e.by()));
        }
        if (event instanceof CredentialEvent.ReEnrollmentDenied e) {
            return new Named(Type.RE_ENROLLMENT_DENIED, e.by(), new ReEnrollmentDecided(e.requestId(), e.by()));
        }
        CredentialEvent.CredentialRevoked e = (CredentialEvent.CredentialRevoked) event;
        return new Named(Type.CREDENTIAL_REVOKED, e.by(), new CredentialRevoked(e.by()));
    }

    private static Named lifecycle(LifecycleEvent event) {
        if (event instanceof LifecycleEvent.Registered e) {
            return new Named(Type.REGISTERED, null, new Registered(e.hostname(), e.machineId(), e.agentVersion()));
        }
        LifecycleEvent.Deleted e = (LifecycleEvent.Deleted) event;
        return new Named(Type.DELETED, e.by(), new Deleted(e.by()));
    }

    private static Named identity(IdentityEvent event) {
        if (event instanceof IdentityEvent.HostnameChanged e) {
            return new Named(Type.HOSTNAME_CHANGED, null, new HostnameChanged(e.from(), e.to()));
        }
        if (event instanceof IdentityEvent.AgentVersionChanged e) {
            return new Named(Type.AGENT_VERSION_CHANGED, null, new AgentVersionChanged(e.from(), e.to()));
        }
        IdentityEvent.SystemChanged e = (IdentityEvent.SystemChanged) event;
        return new Named(Type.SYSTEM_CHANGED, null, new SystemChanged(e.from(), e.to()));
    }

    private static Named details(DetailsEvent event) {
        if (event instanceof DetailsEvent.Renamed e) {
            return new Named(Type.RENAMED, e.by(), new Renamed(e.displayName(), e.by()));
        }
        if (event instanceof DetailsEvent.Regrouped e) {
            return new Named(Type.REGROUPED, e.by(), new Regrouped(e.group(), e.by()));
        }
        if (event instanceof DetailsEvent.Retagged e) {
            return new Named(Type.RETAGGED, e.by(), new Retagged(e.tags(), e.by()));
        }
        DetailsEvent.NotesChanged e = (DetailsEvent.NotesChanged) event;
        return new Named(Type.NOTES_CHANGED, e.by(), new NotesChanged(e.notes(), e.by()));
    }

    private static Named presence(PresenceEvent event) {
        if (event instanceof PresenceEvent.CameOnline e) {
            return new Named(Type.CAME_ONLINE, null, new CameOnline(e.intervalMillis()));
        }
        if (event instanceof PresenceEvent.ReportsDropped e) {
            return new Named(Type.REPORTS_DROPPED, null, new ReportsDropped(e.count()));
        }
        PresenceEvent.WentOffline e = (PresenceEvent.WentOffline) event;
        return new Named(Type.WENT_OFFLINE, null, new WentOffline(e.lastSeen()));
    }

    private static Named alert(AlertEvent event) {
        if (event instanceof AlertEvent.Pending e) {
            return new Named(Type.ALERT_PENDING, null, new AlertPending(Alert.of(e.alert()), e.subject()));
        }
        if (event instanceof AlertEvent.Fired e) {
            return new Named(Type.ALERT_FIRED, null, new AlertFired(Alert.of(e.alert()), e.subject()));
        }
        if (event instanceof AlertEvent.Cancelled e) {
            return new Named(Type.ALERT_CANCELLED, null, new AlertCancelled(Alert.of(e.alert()), finite(e.value())));
        }
        if (event instanceof AlertEvent.Resolved e) {
            return new Named(Type.ALERT_RESOLVED, null,
                    new AlertResolved(Alert.of(e.alert()), finite(e.value()), e.reason(), e.subject()));
        }
        if (event instanceof AlertEvent.Acknowledged e) {
            return new Named(Type.ALERT_ACKNOWLEDGED, e.acknowledgement().by(),
                    new AlertAcknowledged(e.key(), Acknowledgement.of(e.acknowledgement())));
        }
        if (event instanceof AlertEvent.Silenced e) {
            return new Named(Type.SILENCED, e.by(), new Silenced(e.silenceId(), e.until(), e.by(), e.comment()));
        }
        AlertEvent.SilenceEnded e = (AlertEvent.SilenceEnded) event;
        return new Named(Type.SILENCE_ENDED, e.by(), new SilenceEnded(e.silenceId(), e.by()));
    }

    private static Named service(ServiceEvent event) {
        if (event instanceof ServiceEvent.WentDown e) {
            return new Named(Type.SERVICE_WENT_DOWN, null, new ServiceWentDown(e.service(), e.detail()));
        }
        if (event instanceof ServiceEvent.Recovered e) {
            return new Named(Type.SERVICE_RECOVERED, null, new ServiceRecovered(e.service(), e.attempts()));
        }
        if (event instanceof ServiceEvent.RestartAttempted e) {
            return new Named(Type.SERVICE_RESTART_ATTEMPTED, null,
                    new ServiceRestartAttempted(e.service(), e.attempt()));
        }
        if (event instanceof ServiceEvent.RestartFailed e) {
            return new Named(Type.SERVICE_RESTART_FAILED, null,
                    new ServiceRestartFailed(e.service(), e.attempt(), e.reason(), e.nextAttemptAt()));
        }
        if (event instanceof ServiceEvent.RecoveryGaveUp e) {
            return new Named(Type.SERVICE_RECOVERY_GAVE_UP, null,
                    new ServiceRecoveryGaveUp(e.service(), e.attempts(), e.reason()));
        }
        if (event instanceof ServiceEvent.Flapping e) {
            return new Named(Type.SERVICE_FLAPPING, null, new ServiceFlapping(e.service(), e.restartsInWindow()));
        }
        if (event instanceof ServiceEvent.ActionRequested e) {
            return new Named(Type.SERVICE_ACTION_REQUESTED, e.by(),
                    new ServiceActionRequested(e.service(), e.action(), e.by()));
        }
        if (event instanceof ServiceEvent.ActionCompleted e) {
            return new Named(Type.SERVICE_ACTION_COMPLETED, e.by(),
                    new ServiceActionCompleted(e.service(), e.action(), e.result(), e.message(), e.by()));
        }
        ServiceEvent.AutoRestartChanged e = (ServiceEvent.AutoRestartChanged) event;
        return new Named(Type.AUTO_RESTART_CHANGED, e.by(), new AutoRestartChanged(e.service(), e.enabled(), e.by()));
    }

    private static Named backup(BackupEvent event) {
        if (event instanceof BackupEvent.JobCreated e) {
            return new Named(Type.BACKUP_JOB_CREATED, e.by(),
                    new BackupJobCreated(e.jobId(), BackupJobSettings.of(e.settings()), e.by()));
        }
        if (event instanceof BackupEvent.JobUpdated e) {
            return new Named(Type.BACKUP_JOB_UPDATED, e.by(), new BackupJobUpdated(e.jobId(),
                    BackupJobSettings.of(e.settings()), e.destinationChanged(), e.by()));
        }
        if (event instanceof BackupEvent.JobDeleted e) {
            return new Named(Type.BACKUP_JOB_DELETED, e.by(), new BackupJobDeleted(e.jobId(), e.by()));
        }
        if (event instanceof BackupEvent.HostKeySeen e) {
            return new Named(Type.BACKUP_HOST_KEY_SEEN, null,
                    new BackupHostKeySeen(e.jobId(), e.hostKey().fingerprint(), e.hostKey().type()));
        }
        if (event instanceof BackupEvent.HostKeyUnavailable e) {
            return new Named(Type.BACKUP_HOST_KEY_UNAVAILABLE, null, new BackupHostKeyUnavailable(e.jobId(),
                    e.reason()));
        }
        if (event instanceof BackupEvent.HostKeyTrusted e) {
            return new Named(Type.BACKUP_HOST_KEY_TRUSTED, e.by(),
                    new BackupHostKeyTrusted(e.jobId(), e.fingerprint(), e.by()));
        }
        if (event instanceof BackupEvent.HostKeyChanged e) {
            return new Named(Type.BACKUP_HOST_KEY_CHANGED, null,
                    new BackupHostKeyChanged(e.jobId(), e.expectedFingerprint()));
        }
        if (event instanceof BackupEvent.RunStarted e) {
            return new Named(Type.BACKUP_STARTED, e.by(), new BackupStarted(e.jobId(), e.runId(), e.snapshot(),
                    BackupsBody.TriggerName.valueOf(e.trigger().name()), e.dueFor(), e.by()));
        }
        if (event instanceof BackupEvent.RunCompleted e) {
            return new Named(Type.BACKUP_COMPLETED, null, new BackupCompleted(e.jobId(), e.runId(), e.warning(),
                    e.snapshot(), BackupsBody.StatsBody.of(e.stats()), e.problemFiles(), e.log()));
        }
        if (event instanceof BackupEvent.RunFailed e) {
            return new Named(Type.BACKUP_FAILED, null,
                    new BackupFailed(e.jobId(), e.runId(), e.failure(), e.reason(), e.log()));
        }
        if (event instanceof BackupEvent.RunRefused e) {
            return new Named(Type.BACKUP_REFUSED, null,
                    new BackupRefused(e.jobId(), e.runId(), e.failure(), e.reason(), e.dueFor()));
        }
        if (event instanceof BackupEvent.RunsMissed e) {
            return new Named(Type.BACKUP_MISSED, null,
                    new BackupMissed(e.jobId(), e.count(), e.first(), e.last(), e.reason()));
        }
        if (event instanceof BackupEvent.SnapshotsPruned e) {
            return new Named(Type.BACKUP_PRUNED, null, new BackupPruned(e.jobId(), e.runId(), e.snapshots()));
        }
        if (event instanceof BackupEvent.RestoreStarted e) {
            return new Named(Type.BACKUP_RESTORE_STARTED, e.by(), new BackupRestoreStarted(e.jobId(), e.restoreId(),
                    e.snapshot(), e.path(), e.target(), e.by()));
        }
        if (event instanceof BackupEvent.RestoreFinished e) {
            return new Named(Type.BACKUP_RESTORE_FINISHED, null, new BackupRestoreFinished(e.jobId(),
                    e.restoreId(), e.ok(), e.failure(), e.reason(), e.files(), e.bytes(), e.log()));
        }
        if (event instanceof BackupEvent.Verified e) {
            return new Named(Type.BACKUP_VERIFIED, null, new BackupVerified(e.jobId(), e.verifyId(), e.ok(),
                    e.failure(), e.reason(), e.snapshot(), e.checked(), e.skippedChanged(), e.mismatched(),
                    e.coveragePercent()));
        }
        BackupEvent.AgentBackupsChanged e = (BackupEvent.AgentBackupsChanged) event;
        return new Named(Type.BACKUP_AGENT_CHANGED, null, new BackupAgentChanged(e.agent().enabled(),
                e.agent().publicKey(), e.agent().allowSources(), e.agent().allowDestinations()));
    }

    /** NaN (no value: the series is gone) is not JSON: absent instead. */
    private static @Nullable Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
