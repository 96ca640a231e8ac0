// Backups as people read them: status and state words, schedules in words, what blocks "Run now", the host key's
// state, paths inside a snapshot and where a restore writes. Pure: no React, no requests.
import { formatBytes, formatBytesPerSecond, formatCount, formatDuration, formatPercent, known } from '../../lib/format';
import { ApiError } from '../../lib/http';
import type {
  BackupDestination, BackupFailure, BackupJob, BackupOperation, BackupProgress, BackupSchedule, BackupStats, BackupStatus,
  HostKey, RestoreState, RunState, RunTrigger,
} from '../../lib/wire';

/** A word and what it means; `tone` picks the colour (ok green, warn amber, bad red, busy blue, idle grey). */
export interface Wording {
  label: string;
  tooltip: string;
  tone: Tone;
}

export type Tone = 'ok' | 'warn' | 'bad' | 'busy' | 'idle';

export const STATUSES: Record<BackupStatus, Wording> = {
  ok: { label: 'OK', tone: 'ok', tooltip: 'The last run succeeded and the next one is not overdue' },
  late: { label: 'Late', tone: 'warn', tooltip: 'No good backup as recent as the schedule promises: a run was missed or is overdue' },
  failed: { label: 'Failed', tone: 'bad', tooltip: 'The last run failed: the recovery point is getting older' },
  running: { label: 'Running', tone: 'busy', tooltip: 'A run is in progress' },
  'never-run': { label: 'Never run', tone: 'idle', tooltip: 'No run yet: nothing is backed up' },
};

export const RUN_STATES: Record<RunState, Wording> = {
  running: { label: 'running', tone: 'busy', tooltip: 'In progress' },
  succeeded: { label: 'succeeded', tone: 'ok', tooltip: 'Every file was copied: a good snapshot' },
  warning: { label: 'warning', tone: 'warn',
    tooltip: 'A good snapshot, but some files vanished or could not be read during the run (see its problem files)' },
  failed: { label: 'failed', tone: 'bad', tooltip: 'No new snapshot: the run failed (see its reason and log)' },
  refused: { label: 'refused', tone: 'bad',
    tooltip: "Not started: refused (the agent's allow-list, an untrusted host key…); nothing was copied" },
  missed: { label: 'missed', tone: 'warn', tooltip: 'Due but not run: the agent was away or the destination was busy' },
};

export const RESTORE_STATES: Record<RestoreState, Wording> = {
  running: { label: 'running', tone: 'busy', tooltip: 'The agent is restoring' },
  succeeded: { label: 'succeeded', tone: 'ok', tooltip: 'Restored' },
  failed: { label: 'failed', tone: 'bad', tooltip: 'The restore failed (see its reason and log)' },
};

export const TRIGGERS: Record<RunTrigger, { label: string; tooltip: string }> = {
  schedule: { label: 'scheduled', tooltip: 'Started by the schedule' },
  'catch-up': { label: 'catch-up', tooltip: 'Started to make up for runs missed while the agent or node was away' },
  manual: { label: 'manual', tooltip: 'Started by a person ("Run now")' },
};

/** What each category of failure means, beside the node's own reason. */
export const FAILURES: Record<BackupFailure, string> = {
  'not-allowed': "The agent's backup file (--backups) does not allow this source or destination",
  'already-running': 'Another run of this job was still going',
  'host-key-changed': "The destination's host key changed: trust the new one only once you know why",
  'host-key-unknown': "The destination's host key is not trusted yet",
  'auth-refused': "The destination refused the agent's key: is the authorized_keys line installed for that user?",
  unreachable: 'The destination could not be reached (name, port, firewall)',
  'destination-busy': 'The destination was busy with another run or restore of this job',
  'destination-full': 'The destination ran out of space',
  'source-missing': 'A source directory does not exist on this server',
  'timed-out': 'It took longer than the job allows (its timeout)',
  interrupted: 'The agent or its connection stopped while it ran',
  'rsync-failed': 'rsync failed (see the log)',
  mismatch: 'The test restore found files that differ from what the snapshot should hold',
};

export const OPERATIONS: Record<BackupOperation, string> = {
  run: 'Backing up',
  restore: 'Restoring',
  verify: 'Test restore',
};

/** "daily at 02:30, Europe/Berlin (30 2 * * *)", "cron 0 8-18 * * 1-5, UTC", "every 6 h", "every hour". */
export function scheduleText(schedule: BackupSchedule): string {
  if (schedule.everyHours !== null) return schedule.everyHours === 1 ? 'every hour' : `every ${schedule.everyHours} h`;
  if (schedule.cron === null) return '—';
  const zone = schedule.timeZone ?? 'UTC';
  const daily = /^(\d{1,2}) (\d{1,2}) \* \* \*$/.exec(schedule.cron.trim());
  if (daily !== null && Number(daily[1]) < 60 && Number(daily[2]) < 24) {
    return `daily at ${daily[2]!.padStart(2, '0')}:${daily[1]!.padStart(2, '0')}, ${zone} (${schedule.cron})`;
  }
  return `cron ${schedule.cron}, ${zone}`;
}

/** "backup@nas.lan:/srv/backups/web-1", with ":2222" after the host for another port than 22. */
export function destinationText(destination: BackupDestination): string {
  const host = destination.host.includes(':') ? `[${destination.host}]` : destination.host;
  return `${destination.user}@${host}${destination.port === 22 ? '' : `:${destination.port}`}:${destination.path}`;
}

/** "in 2 h 5 min", "due now"; "—" without a time. */
export function formatIn(iso: string | null, now: number): string {
  if (iso === null) return '—';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '—';
  const seconds = Math.ceil((then - now) / 1000);
  return seconds <= 0 ? 'due now' : `in ${formatDuration(seconds)}`;
}

/** "1,204 files, 2.30 GiB (12 changed, 3.10 MiB sent) in 41 s". */
export function statsText(stats: BackupStats): string {
  return `${formatCount(stats.filesTotal)} file${stats.filesTotal === 1 ? '' : 's'}, ${formatBytes(stats.totalBytes)} `
    + `(${formatCount(stats.filesTransferred)} changed, ${formatBytes(stats.bytesTransferred)} sent) in ${formatDuration(stats.durationSeconds)}`;
}

/** The numbers of a progress frame: "42 %", "1.20 GiB · 25.0 MiB/s · 2 min left · 120 of 1,204 files". */
export function progressText(progress: BackupProgress): { percent: number; label: string; detail: string } {
  const percent = Number.isFinite(progress.percent) ? Math.max(0, Math.min(100, progress.percent)) : 0;
  const parts = [formatBytes(progress.bytes), formatBytesPerSecond(progress.bytesPerSecond)];
  if (progress.etaSeconds !== null) parts.push(`${formatDuration(progress.etaSeconds)} left`);
  if (progress.filesTotal > 0) parts.push(`${formatCount(progress.filesDone)} of ${formatCount(progress.filesTotal)} files`);
  else if (progress.filesDone > 0) parts.push(`${formatCount(progress.filesDone)} files`);
  const operation = known(OPERATIONS, progress.operation) ?? progress.operation;
  return { percent, label: `${operation}${progress.phase ? ` — ${progress.phase}` : ''}: ${formatPercent(percent)}`, detail: parts.join(' · ') };
}

/** Where the job's destination host key stands. */
export type HostKeyState = 'pending' | 'error' | 'changed' | 'untrusted' | 'trusted';

export function hostKeyState(hostKey: HostKey | null): HostKeyState {
  if (hostKey === null) return 'pending';
  if (hostKey.changed) return 'changed';
  if (hostKey.trusted) return 'trusted';
  if (hostKey.fingerprint !== null) return 'untrusted';
  return hostKey.error !== null ? 'error' : 'pending';
}

export const HOST_KEY_STATES: Record<HostKeyState, Wording> = {
  pending: { label: 'host key not fetched yet', tone: 'idle',
    tooltip: "The agent fetches the destination's host key once the job exists and it is connected" },
  error: { label: 'host key unavailable', tone: 'bad', tooltip: "The agent could not fetch the destination's host key" },
  changed: { label: 'HOST KEY CHANGED', tone: 'bad',
    tooltip: "The destination presented another host key than the trusted one: runs stop until an admin reviews it" },
  untrusted: { label: 'host key not trusted', tone: 'warn',
    tooltip: "An admin must compare the destination's fingerprint and trust it before the first run" },
  trusted: { label: 'host key trusted', tone: 'ok', tooltip: "The destination's host key is pinned: another key stops the runs" },
};

/** Why "Run now" cannot be pressed now, or null. The node checks again (and answers 409/503 with its reason). */
export function runNowBlocker(job: BackupJob, online: boolean): string | null {
  if (!online) return 'The agent is not connected: nothing can run until it is back';
  if (job.status === 'running' || job.lastRun?.state === 'running') return 'A run is already in progress';
  if (job.restores.some((restore) => restore.state === 'running')) return 'A restore of this job is in progress';
  switch (hostKeyState(job.hostKey)) {
    case 'changed': return "The destination's host key changed: review it on the job's page first";
    case 'untrusted': return "Trust the destination's host key first (on the job's page)";
    case 'pending': return "The agent has not fetched the destination's host key yet";
    case 'error': return `The agent could not fetch the destination's host key: ${job.hostKey?.error ?? 'unknown error'}`;
    case 'trusted': return null;
  }
}

/** "passed, 98 % covered", "FAILED: 3 files differ"; null before the first test restore. */
export function verificationText(job: Pick<BackupJob, 'verification' | 'verifyEveryHours'>): string {
  const verification = job.verification;
  if (verification === null) return job.verifyEveryHours === 0 ? 'test restores off' : 'no test restore yet';
  if (verification.ok) {
    return `passed: ${formatCount(verification.checked)} files checked, ${formatPercent(verification.coveragePercent)} covered`;
  }
  if (verification.mismatched.length > 0) {
    return `FAILED: ${formatCount(verification.mismatched.length)} file${verification.mismatched.length === 1 ? '' : 's'} differ`;
  }
  return `FAILED: ${verification.reason ?? (verification.failure !== null ? FAILURES[verification.failure] : 'unknown reason')}`;
}

/** Snapshot names sort as their times (`2026-12-02T083000Z`): newest first. */
export function newestFirst(snapshots: string[]): string[] {
  return [...snapshots].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
}

/** The time a snapshot name stands for, as ISO-8601; null for a name of another form. */
export function snapshotTime(name: string): string | null {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(name);
  return match === null ? null : `${match[1]}T${match[2]}:${match[3]}:${match[4]}Z`;
}

// ---- Paths, as the node's BackupPaths has them: absolute, no "." or "..", no double or trailing slash --------------

/** What is wrong with an absolute path a person typed, or null. */
export function pathProblem(path: string): string | null {
  if (path.trim() === '') return 'Enter an absolute path, e.g. /tmp/restore.';
  if (!path.startsWith('/')) return `'${path}' is not an absolute path (it must start with /).`;
  if (path.split('/').some((segment) => segment === '.' || segment === '..')) return `'${path}' must not contain '.' or '..'.`;
  // Control characters are what the node refuses; matched by code so this file holds none.
  if ([...path].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return `'${path}' contains a control character.`;
  return null;
}

export function normalPath(path: string): string {
  const single = path.replace(/\/+/g, '/');
  return single.length > 1 && single.endsWith('/') ? single.slice(0, -1) : single;
}

/** Whether `path` is `root` or inside it, by whole segments ("/srv/www2" is not inside "/srv/www"). */
export function within(path: string, root: string): boolean {
  const p = normalPath(path);
  const r = normalPath(root);
  return r === '/' || p === r || p.startsWith(`${r}/`);
}

export function withinAny(path: string, roots: string[]): boolean {
  return roots.some((root) => within(path, root));
}

export function childPath(directory: string, name: string): string {
  return directory === '/' ? `/${name}` : `${directory}/${name}`;
}

/** "/", then each directory down to `path`: what the breadcrumbs show. */
export function pathCrumbs(path: string): { label: string; path: string }[] {
  const crumbs = [{ label: '/', path: '/' }];
  let current = '';
  for (const segment of normalPath(path).split('/').filter((s) => s.length > 0)) {
    current = `${current}/${segment}`;
    crumbs.push({ label: segment, path: current });
  }
  return crumbs;
}

/** Where a restore writes `path`: its own place, or the full path again under `target` (/tmp/r + /srv/a → /tmp/r/srv/a). */
export function restoredTo(path: string, target: string | null): string {
  return target === null ? normalPath(path) : normalPath(`${normalPath(target)}/${path}`);
}

/** The node's refusal of a target outside the sources (400), which a second confirmation answers. */
export function isOutsideSourcesRefusal(failure: unknown): boolean {
  return failure instanceof ApiError && failure.status === 400 && failure.message.includes('allowOutsideSources');
}

// ---- The agent's allow-lists, as hints in the form (the agent is what enforces them) ------------------------------

/** Sources the agent's `allowSources` does not cover: the agent would refuse the job. */
export function sourcesNotAllowed(sources: string[], allowSources: string[]): string[] {
  return sources.filter((source) => source.startsWith('/') && !withinAny(source, allowSources));
}

/** As the node's BackupDestination.allowedBy: an entry "host" allows every port, "host:port" that port only. */
export function destinationAllowed(host: string, port: number, allowDestinations: string[]): boolean {
  const lower = host.trim().toLowerCase();
  return allowDestinations.some((entry) => {
    const allowed = entry.trim().toLowerCase();
    return allowed === lower || allowed === `[${lower}]` || allowed === `${lower}:${port}` || allowed === `[${lower}]:${port}`;
  });
}

/** The answer of a request to the agent through the node, in words: what 409 and 503 mean here. */
export function agentFailureTitle(failure: unknown, what: string): string {
  if (failure instanceof ApiError) {
    if (failure.code === 'not-connected' || (failure.code === null && failure.status === 503)) return `${what} — the agent is not connected`;
    if (failure.code === 'conflict' || (failure.code === null && failure.status === 409)) return `${what} — busy or not ready`;
    if (failure.code === 'timed-out' || failure.status === 504) return `${what} — no answer from the agent in time`;
  }
  return what;
}

// ---- The live job list ------------------------------------------------------------------------------------------

/**
 * The jobs as shown, and the number of `backups` frames seen when they were read: a GET sent before a frame arrived
 * must not undo it when its answer comes later.
 */
export interface JobList {
  jobs: BackupJob[];
  frame: number;
}

export function isNewerList(next: JobList, current: JobList | null): boolean {
  return current === null || next.frame >= current.frame;
}

/**
 * The list with one job's progress replaced by a frame's. Only while the job has something running (a run, a
 * restore, or the frame is of a test restore, which the job's body does not show): a frame that arrives after the
 * `backups` frame that ended the run must not bring a finished bar back.
 */
export function withProgress(jobs: BackupJob[], jobId: string, progress: BackupProgress): BackupJob[] {
  return jobs.map((job) => {
    if (job.id !== jobId) return job;
    const busy = job.status === 'running' || job.lastRun?.state === 'running' || job.progress !== null
      || job.restores.some((restore) => restore.state === 'running') || progress.operation === 'verify';
    return busy ? { ...job, progress } : job;
  });
}
