// The pieces the jobs list and a job's page both show: status and state badges, the live progress bar, the host key's
// state, the next run, and "Run now".
import { memo } from 'react';
import { useApp } from '../../lib/app-context';
import { useNow } from '../../lib/clock';
import { formatDateTime, known } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import type { BackupJob, BackupProgress, HostKey, RestoreState, RunState } from '../../lib/wire';
import { runBackupNow } from './api';
import {
  formatIn, HOST_KEY_STATES, hostKeyState, progressText, RESTORE_STATES, RUN_STATES, runNowBlocker, STATUSES, type Wording,
} from './backups';
import './backups.css';

function Badge({ wording, word, testId, state }: { wording: Wording | undefined; word: string; testId: string; state: string }) {
  return (
    <span className={`bk-badge bk-${wording?.tone ?? 'idle'}`} title={wording?.tooltip ?? word} data-testid={testId} data-state={state}>
      {wording?.label ?? word}
    </span>
  );
}

/** green ok, amber late, red failed, blue running, grey never-run; a word from a newer node in grey. */
export function StatusBadge({ status }: { status: string }) {
  return <Badge wording={known(STATUSES, status)} word={status} testId="backup-status" state={status} />;
}

export function RunStateBadge({ state }: { state: RunState }) {
  return <Badge wording={known(RUN_STATES, state)} word={state} testId="backup-run-state" state={state} />;
}

export function RestoreStateBadge({ state }: { state: RestoreState }) {
  return <Badge wording={known(RESTORE_STATES, state)} word={state} testId="backup-restore-state" state={state} />;
}

/** "host key trusted", "host key not trusted", "HOST KEY CHANGED"; the fingerprint in the tooltip. */
export function HostKeyBadge({ hostKey }: { hostKey: HostKey | null }) {
  const state = hostKeyState(hostKey);
  const wording = HOST_KEY_STATES[state];
  const fingerprint = hostKey?.fingerprint ? ` (${hostKey.type ?? 'key'} ${hostKey.fingerprint})` : '';
  return (
    <span className={`bk-badge bk-${wording.tone}`} title={`${wording.tooltip}${fingerprint}`} data-testid="backup-host-key-state" data-state={state}>
      {wording.label}
    </span>
  );
}

/** The bar of a run, restore or test restore in progress: percent, bytes, rate, time left, files. */
export function ProgressBar({ progress }: { progress: BackupProgress }) {
  const { percent, label, detail } = progressText(progress);
  return (
    <div className="bk-progress" data-testid="backup-progress" data-percent={Math.round(percent)} data-operation={progress.operation}>
      <div className="bk-progress-head"><strong>{label}</strong><span className="muted small">{detail}</span></div>
      <div className="bk-progress-track" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(percent)}
        aria-label={label}>
        <div className="bk-progress-fill" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}

/** "in 2 h 5 min", counting down with the page's clock; "disabled" for a job that does not run on its schedule. */
export const NextRun = memo(function NextRun({ job }: { job: Pick<BackupJob, 'nextRunAt' | 'enabled'> }) {
  const now = useNow();
  if (!job.enabled) return <span className="muted" title="Disabled: it does not run on its schedule (Run now still works)">disabled</span>;
  if (job.nextRunAt === null) return <span className="muted">—</span>;
  return <time dateTime={job.nextRunAt} title={formatDateTime(job.nextRunAt)} data-testid="backup-next-run">{formatIn(job.nextRunAt, now)}</time>;
});

/**
 * "Run now" for an admin: disabled, with the reason as its tooltip and beside it, while it could not start; the
 * node's refusal (409, 503) shown under it. The run's progress then comes on the live socket.
 */
export function RunNowButton({ serverId, job, online }: { serverId: string; job: BackupJob; online: boolean }) {
  const { http } = useApp();
  const start = useAction();
  const blocker = runNowBlocker(job, online);
  return (
    <span className="bk-run-now">
      <button type="button" className="small-button" disabled={blocker !== null || start.busy} data-testid="backup-run-now"
        title={blocker ?? `Start a run of ${job.name} now (besides its schedule)`} onClick={() => start.run(() => runBackupNow(http, serverId, job.id))}>
        {start.busy ? 'Starting…' : 'Run now'}
      </button>
      {blocker !== null && <span className="muted small bk-blocker" data-testid="backup-run-blocked">{blocker}</span>}
      {start.error !== null && <span className="error-text-block small" role="alert" data-testid="backup-run-error">{start.error}</span>}
    </span>
  );
}
