import { useCallback, useEffect, useState } from 'react';
import { useApp } from '../../lib/app-context';
import { formatBytes, formatCount, formatDateTime, formatDuration, formatPercent, known } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import type {
  BackupDestination, BackupSchedule, RunTrigger, ServerHistoryCredentialRevoked, ServerHistoryReEnrollmentDecided,
  ServerHistoryReEnrollmentRequested, ServerHistoryBackupAgentChanged, ServerHistoryBackupCompleted,
  ServerHistoryBackupFailed, ServerHistoryBackupHostKeyChanged, ServerHistoryBackupHostKeySeen,
  ServerHistoryBackupHostKeyTrusted, ServerHistoryBackupHostKeyUnavailable, ServerHistoryBackupJobCreated,
  ServerHistoryBackupJobDeleted, ServerHistoryBackupJobUpdated, ServerHistoryBackupMissed, ServerHistoryBackupPruned,
  ServerHistoryBackupRefused, ServerHistoryBackupRestoreFinished, ServerHistoryBackupRestoreStarted,
  ServerHistoryBackupStarted, ServerHistoryBackupVerified,
  ServerEvent, ServerEventAlert, ServerEventDetails, ServerEventType, ServerHistoryAgentVersionChanged,
  ServerHistoryAlertAcknowledged, ServerHistoryAlertCancelled, ServerHistoryAlertFired, ServerHistoryAlertPending,
  ServerHistoryAlertResolved, ServerHistoryAutoRestartChanged, ServerHistoryCameOnline, ServerHistoryDeleted,
  ServerHistoryHostnameChanged, ServerHistoryNotesChanged, ServerHistoryRegistered, ServerHistoryRegrouped,
  ServerHistoryRenamed, ServerHistoryReportsDropped, ServerHistoryRetagged, ServerHistoryServiceActionCompleted,
  ServerHistoryServiceActionRequested, ServerHistoryServiceFlapping, ServerHistoryServiceRecovered,
  ServerHistoryServiceRecoveryGaveUp, ServerHistoryServiceRestartAttempted, ServerHistoryServiceRestartFailed,
  ServerHistoryServiceWentDown, ServerHistorySilenceEnded, ServerHistorySilenced, ServerHistorySystemChanged,
  ServerHistoryWentOffline,
} from '../../lib/wire';
import { ErrorPanel, Skeleton } from '../../components/feedback';
import { serverEvents } from './api';

/** The server's audit trail (persisted events), newest first, as a timeline with "load more". */
export function EventsTab({ serverId }: { serverId: string }) {
  const { http } = useApp();
  const [events, setEvents] = useState<ServerEvent[]>([]);
  const [next, setNext] = useState<number | null | undefined>(undefined);
  const page = useAction();
  const { run } = page;

  const load = useCallback((before: number | null) => run(() => serverEvents(http, serverId, before), (answer) => {
    setEvents((current) => (before === null ? answer.events : [...current, ...answer.events]));
    setNext(answer.nextBefore);
  }), [run, http, serverId]);

  useEffect(() => load(null), [load]);

  if (next === undefined && page.error === null) return <Skeleton className="card" lines={6} />;
  return (
    <section className="card pad">
      <ol className="timeline" data-testid="event-timeline">
        {events.map((event) => (
          <li key={event.sequence} className={`event event-${tone(event)}`} data-type={event.type}>
            <time title={formatDateTime(event.at)}>{formatDateTime(event.at)}</time>
            <span className="event-text">{describe(event)}</span>
          </li>
        ))}
      </ol>
      {events.length === 0 && page.error === null && <p className="muted">Nothing recorded yet.</p>}
      {page.error !== null && <ErrorPanel title="Could not load the history" message={page.error} onRetry={() => load(events.length === 0 ? null : next ?? null)} />}
      {next != null && page.error === null && (
        <button type="button" className="secondary" disabled={page.busy} onClick={() => load(next)} title="Older events">
          {page.busy ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}

/**
 * The details each type of entry carries: the node pairs `ServerHistory.Type.X` with its record `ServerHistory.X`.
 * The wire does not tie `details` to `type` (the details carry no tag of their own), so this table says it once; its
 * keys must be every generated type, and its values members of the generated details union.
 */
export type DetailsOf = Pairing<{
  registered: ServerHistoryRegistered;
  deleted: ServerHistoryDeleted;
  'hostname-changed': ServerHistoryHostnameChanged;
  'agent-version-changed': ServerHistoryAgentVersionChanged;
  'system-changed': ServerHistorySystemChanged;
  renamed: ServerHistoryRenamed;
  regrouped: ServerHistoryRegrouped;
  retagged: ServerHistoryRetagged;
  'notes-changed': ServerHistoryNotesChanged;
  'came-online': ServerHistoryCameOnline;
  'reports-dropped': ServerHistoryReportsDropped;
  'went-offline': ServerHistoryWentOffline;
  'alert-pending': ServerHistoryAlertPending;
  'alert-fired': ServerHistoryAlertFired;
  'alert-cancelled': ServerHistoryAlertCancelled;
  'alert-resolved': ServerHistoryAlertResolved;
  'alert-acknowledged': ServerHistoryAlertAcknowledged;
  silenced: ServerHistorySilenced;
  'silence-ended': ServerHistorySilenceEnded;
  'service-went-down': ServerHistoryServiceWentDown;
  'service-recovered': ServerHistoryServiceRecovered;
  'service-restart-attempted': ServerHistoryServiceRestartAttempted;
  'service-restart-failed': ServerHistoryServiceRestartFailed;
  'service-recovery-gave-up': ServerHistoryServiceRecoveryGaveUp;
  'service-flapping': ServerHistoryServiceFlapping;
  'service-action-requested': ServerHistoryServiceActionRequested;
  'service-action-completed': ServerHistoryServiceActionCompleted;
  'auto-restart-changed': ServerHistoryAutoRestartChanged;
  'backup-job-created': ServerHistoryBackupJobCreated;
  'backup-job-updated': ServerHistoryBackupJobUpdated;
  'backup-job-deleted': ServerHistoryBackupJobDeleted;
  'backup-host-key-seen': ServerHistoryBackupHostKeySeen;
  'backup-host-key-unavailable': ServerHistoryBackupHostKeyUnavailable;
  'backup-host-key-trusted': ServerHistoryBackupHostKeyTrusted;
  'backup-host-key-changed': ServerHistoryBackupHostKeyChanged;
  'backup-started': ServerHistoryBackupStarted;
  'backup-completed': ServerHistoryBackupCompleted;
  'backup-failed': ServerHistoryBackupFailed;
  'backup-refused': ServerHistoryBackupRefused;
  'backup-missed': ServerHistoryBackupMissed;
  'backup-pruned': ServerHistoryBackupPruned;
  'backup-restore-started': ServerHistoryBackupRestoreStarted;
  'backup-restore-finished': ServerHistoryBackupRestoreFinished;
  'backup-verified': ServerHistoryBackupVerified;
  'backup-agent-changed': ServerHistoryBackupAgentChanged;
  're-enrollment-requested': ServerHistoryReEnrollmentRequested;
  're-enrollment-approved': ServerHistoryReEnrollmentDecided;
  're-enrollment-denied': ServerHistoryReEnrollmentDecided;
  'credential-revoked': ServerHistoryCredentialRevoked;
}>;

type Pairing<T extends Record<ServerEventType, ServerEventDetails>> = T;

/** A value the node may leave out, as the page shows it. */
function orDash(value: string | null): string {
  return value ?? '—';
}

/** " by alice" when a person did it. */
function byWhom(event: ServerEvent): string {
  return event.by !== null ? ` by ${event.by}` : '';
}

function alertText(alert: ServerEventAlert): string {
  return `${alert.ruleName ?? 'alert'} (${alert.condition ?? alert.series}, ${alert.severity})`;
}

/** "12 files", "1 file". */
function files(count: number): string {
  return `${formatCount(count)} file${count === 1 ? '' : 's'}`;
}

// Backup entries name their job by id (made from its name when created, e.g. "www-k3x9"): the details carry no name.
function where(destination: BackupDestination): string {
  return `${destination.user}@${destination.host}${destination.port === 22 ? '' : `:${destination.port}`}:${destination.path}`;
}

function scheduled(schedule: BackupSchedule): string {
  return schedule.everyHours !== null ? `every ${schedule.everyHours} h` : `cron ${schedule.cron ?? '—'} (${schedule.timeZone ?? 'UTC'})`;
}

const STARTED_BY: Record<RunTrigger, string> = {
  schedule: 'on schedule',
  'catch-up': 'to catch up on missed runs',
  manual: 'manually',
};

/** One sentence per fact; `who` is " by alice", or empty. */
type Sentence<T extends ServerEventType> = (details: DetailsOf[T], who: string) => string;

const SENTENCES: { [T in ServerEventType]: Sentence<T> } = {
  registered: (d) => `Registered as ${d.hostname} (agent ${orDash(d.agentVersion)})`,
  'hostname-changed': (d) => `Hostname changed from ${orDash(d.from)} to ${d.to}`,
  'agent-version-changed': (d) => `Agent upgraded from ${orDash(d.from)} to ${orDash(d.to)}`,
  'system-changed': (d) => `System ${d.from === null ? 'detected' : 'changed'}: ${d.to.osName ?? ''} ${d.to.osVersion ?? ''}, kernel ${d.to.kernel ?? '—'}`,
  renamed: (d, who) => (d.displayName === null ? `Display name cleared${who}` : `Renamed to "${d.displayName}"${who}`),
  regrouped: (d, who) => (d.group === null ? `Removed from its group${who}` : `Moved to group ${d.group}${who}`),
  retagged: (d, who) => `Tags set to ${d.tags.join(', ') || 'none'}${who}`,
  'notes-changed': (_, who) => `Notes edited${who}`,
  'came-online': (d) => `Came online (reporting every ${formatDuration(d.intervalMillis / 1000)})`,
  'went-offline': (d) => `Went offline (last report ${d.lastSeen === null ? '—' : formatDateTime(d.lastSeen)})`,
  'reports-dropped': (d) => `The agent's spool overflowed: ${d.count} reports lost`,
  deleted: (_, who) => `Deleted${who}`,
  'alert-pending': (d) => `Alert pending: ${alertText(d.alert)}`,
  'alert-fired': (d) => `Alert firing: ${alertText(d.alert)}`,
  'alert-cancelled': (d) => `Alert no longer pending: ${alertText(d.alert)}`,
  'alert-resolved': (d) => `Alert resolved (${d.reason}): ${alertText(d.alert)}`,
  'alert-acknowledged': ({ acknowledgement: ack }) => `Alert acknowledged by ${ack.by}${ack.comment ? `: "${ack.comment}"` : ''}`,
  silenced: (d, who) => `Notifications silenced until ${formatDateTime(d.until)}${who}`,
  'silence-ended': (_, who) => `Silence ended${who}`,
  'service-went-down': (d) => `Service ${d.service} went down (${orDash(d.detail)})`,
  'service-recovered': (d) => `Service ${d.service} running again${d.attempts > 0 ? ` after ${d.attempts} restart attempt${d.attempts === 1 ? '' : 's'}` : ''}`,
  'service-restart-attempted': (d) => `Restarting service ${d.service} (attempt ${d.attempt})`,
  'service-restart-failed': (d) => `Restart ${d.attempt} of ${d.service} failed: ${orDash(d.reason)}; next at ${formatDateTime(d.nextAttemptAt)}`,
  'service-recovery-gave-up': (d) => `Gave up restarting ${d.service} after ${d.attempts} attempts: ${orDash(d.reason)}`,
  'service-flapping': (d) => `Service ${d.service} is flapping (${d.restartsInWindow} restarts recently): no longer restarted automatically`,
  'service-action-requested': (d, who) => `${d.action.toLowerCase()} of ${d.service} requested${who}`,
  'service-action-completed': (d) => `${d.action.toLowerCase()} of ${d.service}: ${d.result}${d.message ? ` (${d.message})` : ''}`,
  'auto-restart-changed': (d, who) => `Auto-restart of ${d.service} turned ${d.enabled ? 'on' : 'off'}${who}`,
  'backup-job-created': ({ settings: s }, who) =>
    `Backup job ${s.name} created${who}: ${s.sources.join(', ')} → ${where(s.destination)}, ${scheduled(s.schedule)}${s.enabled ? '' : ' (disabled)'}`,
  'backup-job-updated': ({ settings: s, destinationChanged }, who) =>
    `Backup job ${s.name} changed${who}${destinationChanged ? `: new destination ${where(s.destination)}, its host key to be trusted` : ''}`,
  'backup-job-deleted': (d, who) => `Backup job ${d.jobId} deleted${who}`,
  'backup-host-key-seen': (d) => `Backup ${d.jobId}: destination host key fetched (${d.type} ${d.fingerprint})`,
  'backup-host-key-unavailable': (d) => `Backup ${d.jobId}: could not fetch the destination's host key: ${d.reason}`,
  'backup-host-key-trusted': (d, who) => `Backup ${d.jobId}: destination host key ${d.fingerprint} trusted${who}`,
  'backup-host-key-changed': (d) =>
    `Backup ${d.jobId}: the destination's host key CHANGED (trusted was ${d.expectedFingerprint}); runs stopped until it is reviewed`,
  'backup-started': (d, who) => `Backup ${d.jobId} started ${known(STARTED_BY, d.trigger) ?? d.trigger}${who}`,
  'backup-completed': (d) => `Backup ${d.jobId} completed${d.warning ? ' with warnings' : ''}: ${files(d.stats.filesTotal)}, `
    + `${formatBytes(d.stats.totalBytes)} (${formatCount(d.stats.filesTransferred)} changed) in ${formatDuration(d.stats.durationSeconds)}`
    + `${d.problemFiles.length > 0 ? `; ${files(d.problemFiles.length)} vanished or unreadable` : ''}`,
  'backup-failed': (d) => `Backup ${d.jobId} failed: ${d.reason}`,
  'backup-refused': (d) => `Backup ${d.jobId} refused: ${d.reason}`,
  'backup-missed': (d) => (d.count === 1 ? `Backup ${d.jobId} missed the run due ${formatDateTime(d.first)}: ${d.reason}`
    : `Backup ${d.jobId} missed ${d.count} runs (due ${formatDateTime(d.first)} to ${formatDateTime(d.last)}): ${d.reason}`),
  'backup-pruned': (d) => `Backup ${d.jobId}: ${d.snapshots.length} old snapshot${d.snapshots.length === 1 ? '' : 's'} deleted by retention (${d.snapshots.join(', ')})`,
  'backup-restore-started': (d, who) =>
    `Restore of ${d.path} from backup ${d.jobId} (${d.snapshot}) to ${d.target ?? 'its original place'} started${who}`,
  'backup-restore-finished': (d) => (d.ok ? `Restore ${d.restoreId} of backup ${d.jobId} finished: ${files(d.files)}, ${formatBytes(d.bytes)}`
    : `Restore ${d.restoreId} of backup ${d.jobId} failed: ${orDash(d.reason ?? d.failure)}`),
  'backup-verified': (d) => (d.ok
    ? `Test restore of backup ${d.jobId} passed: ${files(d.checked)} checked, ${formatPercent(d.coveragePercent)} covered`
    : `Test restore of backup ${d.jobId} FAILED: ${d.mismatched.length > 0 ? `${files(d.mismatched.length)} differ` : orDash(d.reason ?? d.failure)}`),
  'backup-agent-changed': (d) => (d.enabled
    ? `Agent backups on: sources ${d.allowSources.join(', ') || 'none'}; destinations ${d.allowDestinations.join(', ') || 'none'}`
    : 'Agent backups off (started without --backups)'),
  're-enrollment-requested': (d) => (d.needsApproval
    ? `This machine enrolled again as ${d.hostname} from ${d.remote} while its agent was reporting: waits for an admin's approval`
    : `This machine enrolled again as ${d.hostname} from ${d.remote}: the old credential was replaced`),
  're-enrollment-approved': (d, who) => `Re-enrollment ${d.requestId} approved${who}: the old credential was revoked`,
  're-enrollment-denied': (d, who) => `Re-enrollment ${d.requestId} denied${who}`,
  'credential-revoked': (_, who) => `Agent credential revoked${who}`,
};

/** The sentence of an entry of type `type`; `details` are taken to be that type's (the node pairs them). */
function sentence<T extends ServerEventType>(type: T, details: DetailsOf[T], who: string): string {
  const say: Sentence<T> = SENTENCES[type];
  return say(details, who);
}

/**
 * One sentence per fact. A page left open across an upgrade of its node may meet a type it does not know yet: that
 * entry shows by its type.
 */
export function describe(event: ServerEvent): string {
  return Object.hasOwn(SENTENCES, event.type) ? sentence(event.type, event.details, byWhom(event)) : event.type;
}

type Tone = 'good' | 'bad' | 'neutral';

/** The colour of the event's dot on the timeline. */
const TONES: Record<ServerEventType, Tone> = {
  registered: 'good',
  'hostname-changed': 'neutral',
  'agent-version-changed': 'neutral',
  'system-changed': 'neutral',
  renamed: 'neutral',
  regrouped: 'neutral',
  retagged: 'neutral',
  'notes-changed': 'neutral',
  'came-online': 'good',
  'reports-dropped': 'bad',
  'went-offline': 'bad',
  deleted: 'neutral',
  'alert-pending': 'neutral',
  'alert-fired': 'bad',
  'alert-cancelled': 'neutral',
  'alert-resolved': 'good',
  'alert-acknowledged': 'neutral',
  silenced: 'neutral',
  'silence-ended': 'neutral',
  'service-went-down': 'bad',
  'service-recovered': 'good',
  'service-restart-attempted': 'neutral',
  'service-restart-failed': 'bad',
  'service-recovery-gave-up': 'bad',
  'service-flapping': 'bad',
  'service-action-requested': 'neutral',
  'service-action-completed': 'neutral',
  'auto-restart-changed': 'neutral',
  'backup-job-created': 'neutral',
  'backup-job-updated': 'neutral',
  'backup-job-deleted': 'neutral',
  'backup-host-key-seen': 'neutral',
  'backup-host-key-unavailable': 'bad',
  'backup-host-key-trusted': 'good',
  'backup-host-key-changed': 'bad',
  'backup-started': 'neutral',
  'backup-completed': 'good',
  'backup-failed': 'bad',
  'backup-refused': 'bad',
  'backup-missed': 'bad',
  'backup-pruned': 'neutral',
  'backup-restore-started': 'neutral',
  // These two say in their details whether it went well.
  'backup-restore-finished': 'neutral',
  'backup-verified': 'neutral',
  'backup-agent-changed': 'neutral',
  're-enrollment-requested': 'bad',
  're-enrollment-approved': 'neutral',
  're-enrollment-denied': 'neutral',
  'credential-revoked': 'bad',
};

/** Entries whose details, not only their type, say whether it went well: a failed restore or test restore is bad. */
const OUTCOME_TYPES: ReadonlySet<ServerEventType> = new Set<ServerEventType>(['backup-restore-finished', 'backup-verified']);

function tone(event: ServerEvent): Tone {
  if (OUTCOME_TYPES.has(event.type) && 'ok' in event.details) return event.details.ok ? 'good' : 'bad';
  return known(TONES, event.type) ?? 'neutral';
}
