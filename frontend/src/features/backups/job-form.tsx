import { useId, useMemo, useState } from 'react';
import { useApp } from '../../lib/app-context';
import { browserTimeZone, formatDateTime } from '../../lib/format';
import type { BackupJob, BackupJobInput, BackupKey } from '../../lib/wire';
import { EditorForm } from '../../components/editor-form';
import { createBackupJob, updateBackupJob } from './api';
import { destinationAllowed, sourcesNotAllowed } from './backups';

/** The form as typed: numbers stay text and lists stay lines, so a rejected save gives back exactly what was entered. */
export interface JobDraft {
  name: string;
  /** One path per line. */
  sources: string;
  /** One rsync pattern per line. */
  excludes: string;
  host: string;
  port: string;
  user: string;
  path: string;
  scheduleKind: 'cron' | 'every';
  cron: string;
  timeZone: string;
  everyHours: string;
  keepLast: string;
  daily: string;
  weekly: string;
  monthly: string;
  /** Empty: no limit. */
  bandwidthKiBps: string;
  /** Empty: none; "PT2H", "90m", "2h" (the node reads them). */
  timeout: string;
  enabled: boolean;
  verifyEveryHours: string;
}

// A new job's cron schedule starts in the browser's own time zone.
export { browserTimeZone };

/** The node's defaults: port 22, retention 7 last / 7 daily / 4 weekly / 12 monthly, a test restore every 24 h. */
export function jobDraftOf(job: BackupJob | null, serverId: string, timeZone: string = browserTimeZone()): JobDraft {
  if (job === null) {
    return {
      name: '', sources: '', excludes: '', host: '', port: '22', user: '', path: `/srv/backups/${serverId}`,
      scheduleKind: 'cron', cron: '30 2 * * *', timeZone, everyHours: '6',
      keepLast: '7', daily: '7', weekly: '4', monthly: '12', bandwidthKiBps: '', timeout: '', enabled: true, verifyEveryHours: '24',
    };
  }
  const every = job.schedule.everyHours;
  return {
    name: job.name,
    sources: job.sources.join('\n'),
    excludes: job.excludes.join('\n'),
    host: job.destination.host,
    port: String(job.destination.port),
    user: job.destination.user,
    path: job.destination.path,
    scheduleKind: every !== null ? 'every' : 'cron',
    cron: job.schedule.cron ?? '30 2 * * *',
    timeZone: job.schedule.timeZone ?? timeZone,
    everyHours: String(every ?? 6),
    keepLast: String(job.retention.keepLast),
    daily: String(job.retention.daily),
    weekly: String(job.retention.weekly),
    monthly: String(job.retention.monthly),
    bandwidthKiBps: job.bandwidthKiBps === null ? '' : String(job.bandwidthKiBps),
    timeout: job.timeout ?? '',
    enabled: job.enabled,
    verifyEveryHours: String(job.verifyEveryHours),
  };
}

export function lines(text: string): string[] {
  return text.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
}

/** A whole number from `min` to `max` typed in `text`, or null. */
function whole(text: string, min: number, max: number): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return value >= min && value <= max ? value : null;
}

/**
 * The draft as the API takes it, or what to fix first. Only what cannot be sent as typed is checked here (numbers);
 * names, paths, hosts and the cron expression are the node's to judge (it answers 400 naming the field).
 */
export function jobInputOf(draft: JobDraft): { input: BackupJobInput } | { error: string } {
  const port = whole(draft.port, 1, 65535);
  if (port === null) return { error: 'Port must be a whole number from 1 to 65535.' };
  let schedule: BackupJobInput['schedule'];
  if (draft.scheduleKind === 'every') {
    const hours = whole(draft.everyHours, 1, 8760);
    if (hours === null) return { error: '"Every N hours" must be a whole number of hours, at least 1.' };
    schedule = { everyHours: hours };
  } else {
    schedule = { cron: draft.cron.trim(), timeZone: draft.timeZone.trim() === '' ? 'UTC' : draft.timeZone.trim() };
  }
  const counts = { keepLast: draft.keepLast, daily: draft.daily, weekly: draft.weekly, monthly: draft.monthly };
  const retention: Record<keyof typeof counts, number> = { keepLast: 0, daily: 0, weekly: 0, monthly: 0 };
  for (const key of Object.keys(counts) as (keyof typeof counts)[]) {
    const value = counts[key].trim() === '' ? 0 : whole(counts[key], 0, 100_000);
    if (value === null) return { error: 'Retention counts must be whole numbers, 0 or more.' };
    retention[key] = value;
  }
  const verify = draft.verifyEveryHours.trim() === '' ? 0 : whole(draft.verifyEveryHours, 0, 8760);
  if (verify === null) return { error: 'Test restore every N hours must be a whole number (0 switches them off).' };
  const input: BackupJobInput = {
    name: draft.name.trim(),
    sources: lines(draft.sources),
    excludes: lines(draft.excludes),
    destination: { host: draft.host.trim(), port, user: draft.user.trim(), path: draft.path.trim() },
    schedule,
    retention,
    enabled: draft.enabled,
    verifyEveryHours: verify,
  };
  if (draft.bandwidthKiBps.trim() !== '') {
    const bandwidth = whole(draft.bandwidthKiBps, 1, 10_000_000);
    if (bandwidth === null) return { error: 'Bandwidth must be a whole number of KiB/s, or empty for no limit.' };
    input.bandwidthKiBps = bandwidth;
  }
  if (draft.timeout.trim() !== '') input.timeout = draft.timeout.trim();
  return { input };
}

/**
 * Create (job = null) or edit a job. A rejected save keeps every field and shows the node's reason. Entering a
 * schedule's fields chooses that schedule: its radio need not be clicked first.
 */
export function JobForm({ serverId, job, agentKey, onSaved, onCancel }: {
  serverId: string; job: BackupJob | null; agentKey: BackupKey | null; onSaved: (job: BackupJob) => void; onCancel: () => void;
}) {
  const { http } = useApp();
  const ids = useId();
  const [draft, setDraft] = useState<JobDraft>(() => jobDraftOf(job, serverId));
  const set = <K extends keyof JobDraft>(key: K, value: JobDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const zones = useMemo(() => {
    try {
      return Intl.supportedValuesOf('timeZone');
    } catch {
      return [];
    }
  }, []);

  const submit = () => {
    const checked = jobInputOf(draft);
    if ('error' in checked) return checked.error;
    return job === null ? createBackupJob(http, serverId, checked.input) : updateBackupJob(http, serverId, job.id, checked.input);
  };

  // The agent refuses a job outside its allow-lists: say so while typing (it is the agent that decides).
  const enabled = agentKey?.enabled === true;
  const outside = enabled ? sourcesNotAllowed(lines(draft.sources), agentKey.allowSources) : [];
  const port = Number(draft.port);
  const destinationChanged = job !== null && (draft.host.trim() !== job.destination.host || draft.port.trim() !== String(job.destination.port)
    || draft.user.trim() !== job.destination.user || draft.path.trim() !== job.destination.path);
  const hostRefused = enabled && draft.host.trim() !== '' && !destinationAllowed(draft.host, port, agentKey.allowDestinations);

  return (
    <EditorForm what="backup job" name={job?.name ?? null} onSubmit={submit} onSaved={onSaved} onCancel={onCancel}
      testIds={{ form: 'backup-form', error: 'backup-form-error', save: 'backup-form-save' }}
      saveTitle={job === null ? 'Create the job; the agent then fetches the destination\'s host key for you to trust'
        : 'Save the job (every field replaces the old one)'}>
      {agentKey !== null && !agentKey.enabled && (
        <div className="bk-notice" role="status" data-testid="backup-form-agent-disabled">
          This server's agent runs no backups yet (started without <code>--backups FILE</code>): the job is kept, but
          nothing runs until it is enabled. See "Setup &amp; key".
        </div>
      )}
      <div className="form-grid">
        <label>Name
          <input name="name" value={draft.name} maxLength={100} onChange={(e) => set('name', e.target.value)} required
            data-testid="backup-form-name" placeholder="www" title="Unique on this server; shown in runs, history and alerts" />
        </label>
      </div>
      <div className="form-grid backup-form-lists">
        <label>Sources <span className="muted small">(one absolute path per line)</span>
          <textarea name="sources" rows={3} value={draft.sources} onChange={(e) => set('sources', e.target.value)} className="mono"
            data-testid="backup-form-sources" placeholder={'/srv/www\n/etc/nginx'} title="Directories or files on this server to back up" />
          {enabled && <span className="muted small" data-testid="backup-form-allowed-sources">
            The agent allows: {agentKey.allowSources.length === 0 ? 'nothing' : agentKey.allowSources.join(', ')}</span>}
          {outside.length > 0 && <span className="error-text-block small" data-testid="backup-form-source-warning">
            Outside the agent's allowSources (it will refuse the job): {outside.join(', ')}</span>}
        </label>
        <label>Excludes <span className="muted small">(one rsync pattern per line, optional)</span>
          <textarea name="excludes" rows={3} value={draft.excludes} onChange={(e) => set('excludes', e.target.value)} className="mono"
            data-testid="backup-form-excludes" placeholder={'*.tmp\ncache/'} title="Files matching these patterns are not copied" />
        </label>
      </div>
      <fieldset className="form-section">
        <legend>Destination <span className="muted small">(over SSH with rsync)</span></legend>
        <div className="form-grid">
          <label>Host
            <input name="host" value={draft.host} onChange={(e) => set('host', e.target.value)} data-testid="backup-form-host"
              placeholder="backup.example.com" title="The destination server's name or address" />
            {enabled && <span className="muted small" data-testid="backup-form-allowed-destinations">
              The agent allows: {agentKey.allowDestinations.length === 0 ? 'nothing' : agentKey.allowDestinations.join(', ')}</span>}
            {hostRefused && <span className="error-text-block small" data-testid="backup-form-destination-warning">
              Not in the agent's allowDestinations: it will refuse the job.</span>}
          </label>
          <label>Port
            <input name="port" type="number" min={1} max={65535} value={draft.port} onChange={(e) => set('port', e.target.value)}
              data-testid="backup-form-port" title="The destination's SSH port" />
          </label>
          <label>User
            <input name="user" value={draft.user} onChange={(e) => set('user', e.target.value)} data-testid="backup-form-user"
              placeholder="backup" title="The account on the destination whose authorized_keys holds this agent's key" />
          </label>
          <label>Directory
            <input name="path" value={draft.path} onChange={(e) => set('path', e.target.value)} className="mono"
              data-testid="backup-form-path" title="Where snapshots go on the destination (one subdirectory per snapshot)" />
          </label>
        </div>
        {destinationChanged && (
          <p className="bk-notice small" data-testid="backup-form-destination-changed">A new destination forgets the trusted host key: the agent
            fetches the new one, and it must be compared and trusted again before the next run.</p>
        )}
      </fieldset>
      <fieldset className="form-section">
        <legend>Schedule</legend>
        <div className="schedule-choice">
          <label className="check">
            <input type="radio" name="scheduleKind" value="cron" checked={draft.scheduleKind === 'cron'}
              onChange={() => set('scheduleKind', 'cron')} data-testid="backup-form-schedule-cron" />
            At times given by a cron expression
          </label>
          <div className={`form-grid${draft.scheduleKind === 'cron' ? '' : ' is-inactive'}`}>
            <label>Cron <span className="muted small">(minute hour day month weekday)</span>
              <input name="cron" value={draft.cron} className="mono" data-testid="backup-form-cron"
                onFocus={() => set('scheduleKind', 'cron')}
                onChange={(e) => setDraft((d) => ({ ...d, cron: e.target.value, scheduleKind: 'cron' }))}
                title="E.g. 30 2 * * * is every day at 02:30; 0 */6 * * * every 6 hours on the hour" />
            </label>
            <label>Time zone
              <input name="timeZone" value={draft.timeZone} list={`${ids}-zones`} data-testid="backup-form-time-zone"
                onFocus={() => set('scheduleKind', 'cron')}
                onChange={(e) => setDraft((d) => ({ ...d, timeZone: e.target.value, scheduleKind: 'cron' }))}
                title="The cron times are this zone's wall clock (daylight saving included)" />
              <datalist id={`${ids}-zones`}>{zones.map((zone) => <option key={zone} value={zone} />)}</datalist>
            </label>
          </div>
          <label className="check">
            <input type="radio" name="scheduleKind" value="every" checked={draft.scheduleKind === 'every'}
              onChange={() => set('scheduleKind', 'every')} data-testid="backup-form-schedule-every" />
            Every N hours
          </label>
          <div className={`form-grid${draft.scheduleKind === 'every' ? '' : ' is-inactive'}`}>
            <label>Hours
              <input name="everyHours" type="number" min={1} value={draft.everyHours} data-testid="backup-form-every-hours"
                onFocus={() => set('scheduleKind', 'every')}
                onChange={(e) => setDraft((d) => ({ ...d, everyHours: e.target.value, scheduleKind: 'every' }))}
                title="Counted from when the schedule is saved" />
            </label>
          </div>
        </div>
        <p className="muted small" data-testid="backup-form-next-run">
          {job?.nextRunAt ? `Next run as saved: ${formatDateTime(job.nextRunAt)}. ` : ''}The next run time shows on the job once saved.
        </p>
      </fieldset>
      <fieldset className="form-section">
        <legend>Keep <span className="muted small">(snapshots kept on the destination; the others are deleted after a run)</span></legend>
        <div className="form-grid retention-grid">
          <label>Last
            <input name="keepLast" type="number" min={0} value={draft.keepLast} onChange={(e) => set('keepLast', e.target.value)}
              data-testid="backup-form-keep-last" title="The newest N snapshots, whatever their age" />
          </label>
          <label>Daily
            <input name="daily" type="number" min={0} value={draft.daily} onChange={(e) => set('daily', e.target.value)}
              data-testid="backup-form-daily" title="The last snapshot of each of the last N days" />
          </label>
          <label>Weekly
            <input name="weekly" type="number" min={0} value={draft.weekly} onChange={(e) => set('weekly', e.target.value)}
              data-testid="backup-form-weekly" title="The last snapshot of each of the last N weeks" />
          </label>
          <label>Monthly
            <input name="monthly" type="number" min={0} value={draft.monthly} onChange={(e) => set('monthly', e.target.value)}
              data-testid="backup-form-monthly" title="The last snapshot of each of the last N months" />
          </label>
        </div>
      </fieldset>
      <div className="form-grid">
        <label>Bandwidth limit <span className="muted small">(KiB/s, optional)</span>
          <input name="bandwidthKiBps" type="number" min={1} value={draft.bandwidthKiBps} placeholder="no limit"
            onChange={(e) => set('bandwidthKiBps', e.target.value)} data-testid="backup-form-bandwidth"
            title="rsync's --bwlimit, so a run does not fill the server's uplink" />
        </label>
        <label>Timeout <span className="muted small">(optional)</span>
          <input name="timeout" value={draft.timeout} placeholder="e.g. 2h, 90m, PT2H" onChange={(e) => set('timeout', e.target.value)}
            data-testid="backup-form-timeout" title="A run taking longer is stopped and counts as failed" />
        </label>
        <label>Test restore every <span className="muted small">(hours; 0 = off)</span>
          <input name="verifyEveryHours" type="number" min={0} value={draft.verifyEveryHours}
            onChange={(e) => set('verifyEveryHours', e.target.value)} data-testid="backup-form-verify-hours"
            title="Restores a sample of the newest snapshot to a scratch directory and compares it with the files" />
        </label>
      </div>
      <label className="check" title="A disabled job keeps its settings and snapshots but does not run on its schedule">
        <input type="checkbox" name="enabled" checked={draft.enabled} onChange={(e) => set('enabled', e.target.checked)}
          data-testid="backup-form-enabled" /> Enabled (runs on its schedule)
      </label>
    </EditorForm>
  );
}
