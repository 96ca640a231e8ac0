import { memo, useState } from 'react';
import { useApp } from '../../lib/app-context';
import { onLinkClick, backupPath, navigate } from '../../lib/router';
import type { BackupJob } from '../../lib/wire';
import { Ago } from '../../components/ago';
import { ConfirmDialog } from '../../components/dialog';
import { EditDeleteButtons } from '../../components/edit-delete-buttons';
import { ErrorPanel, LoadStatus } from '../../components/feedback';
import { deleteBackupJob } from './api';
import { destinationText, FAILURES, scheduleText, statsText, verificationText } from './backups';
import { useBackupJobs } from './backup-hooks';
import { HostKeyBadge, NextRun, ProgressBar, RunNowButton, RunStateBadge, StatusBadge } from './backup-parts';
import { JobForm } from './job-form';
import { SetupPanel, useBackupKey } from './setup-panel';

type Editing = { job: BackupJob | null } | null;

/** A server's backup jobs, live: status, recovery point, next and last run, progress; run, edit and delete for admins. */
export function BackupsTab({ serverId, serverName, online }: { serverId: string; serverName: string; online: boolean }) {
  const { me } = useApp();
  const canAct = me.role === 'ADMIN';
  const jobs = useBackupJobs(serverId);
  // The agent's allow-lists: hints in the form, and whether backups are on at all.
  const key = useBackupKey(serverId);
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<BackupJob | null>(null);
  // Null until a person opens or closes it: then open when there is nothing else to do (no job, or backups off).
  const [setupChoice, setSetupChoice] = useState<boolean | null>(null);
  const list = jobs.data?.jobs ?? null;
  const setupOpen = setupChoice ?? ((list !== null && list.length === 0) || key.data?.enabled === false);

  const saved = (job: BackupJob) => {
    const created = editing?.job === null;
    jobs.put(job);
    setEditing(null);
    // A new job's next steps (its authorized_keys line, its host key, the first run) are on its page.
    if (created) navigate(backupPath(serverId, job.id));
  };

  return (
    <section className="backups-tab" data-testid="backups-tab">
      <div className="toolbar">
        {canAct && editing === null && (
          <button type="button" onClick={() => setEditing({ job: null })} data-testid="backups-new"
            title="Back up directories of this server to another server over SSH">+ New backup job</button>
        )}
        <button type="button" className="secondary" onClick={() => setSetupChoice(!setupOpen)} aria-expanded={setupOpen}
          data-testid="backups-setup-toggle" title="The agent's key for the destination's authorized_keys, and its allow-lists">
          {setupOpen ? 'Hide setup & key' : 'Setup & key'}</button>
        <button type="button" className="secondary" onClick={jobs.reload} disabled={jobs.loading}
          title="Load the jobs again (they also update live)">{jobs.loading ? 'Refreshing…' : 'Refresh'}</button>
      </div>
      {editing !== null && (
        <JobForm key={editing.job?.id ?? 'new'} serverId={serverId} job={editing.job} agentKey={key.data}
          onSaved={saved} onCancel={() => setEditing(null)} />
      )}
      {setupOpen && list !== null && list.length > 0 && <SetupPanel serverId={serverId} serverName={serverName} />}
      {list === null && <LoadStatus loaded={jobs} failure="Could not load the backup jobs" lines={5} />}
      {list !== null && jobs.error !== null && <ErrorPanel title="Could not reload the backup jobs" message={jobs.error} onRetry={jobs.reload} />}
      {list !== null && list.length === 0 && (
        <div className="empty card" data-testid="backups-empty">
          <h2>No backup jobs on {serverName}</h2>
          <p className="muted">A backup job copies directories of this server (its sources) to another server over SSH with rsync,
            on a schedule, and keeps dated snapshots there that you can browse and restore from. Steward watches each run, warns when
            backups fail or fall behind, and test-restores them now and then.</p>
          <p className="muted">First let this server's agent in on the destination: see{' '}
            <a href="#backup-setup" data-testid="backups-open-setup"
              onClick={(e) => { e.preventDefault(); setSetupChoice(true); }}>the agent's key and the setup steps</a>.</p>
          {canAct && editing === null && (
            <button type="button" onClick={() => setEditing({ job: null })} data-testid="backups-empty-new">Create a backup job</button>
          )}
        </div>
      )}
      {/* With no job yet, what a job is comes first, then how to let the agent in. */}
      {setupOpen && (list === null || list.length === 0) && <SetupPanel serverId={serverId} serverName={serverName} />}
      {list !== null && list.length > 0 && (
        <div className="bk-jobs" data-testid="backup-jobs">
          {list.map((job) => (
            <JobCard key={job.id} serverId={serverId} job={job} online={online} canAct={canAct}
              onEdit={setEditing} onDelete={setDeleting} />
          ))}
        </div>
      )}
      {deleting !== null && (
        <DeleteJobDialog serverId={serverId} job={deleting} onDeleted={() => jobs.remove(deleting.id)} onClose={() => setDeleting(null)} />
      )}
    </section>
  );
}

/** Deletes a job after saying what stays: the snapshots on the destination. */
export function DeleteJobDialog({ serverId, job, onDeleted, onClose }: {
  serverId: string; job: BackupJob; onDeleted: () => void; onClose: () => void;
}) {
  const { http } = useApp();
  return (
    <ConfirmDialog title={`Delete the backup job ${job.name}?`} confirmLabel="Delete job" testId="backup-delete-dialog"
      confirmTestId="backup-delete-confirm"
      message={<>Steward stops running it and forgets its settings and run list (its history stays). The {job.snapshots.length} snapshot
        {job.snapshots.length === 1 ? '' : 's'} already in <code>{destinationText(job.destination)}</code> stay there: delete them
        on the destination if you no longer need them.</>}
      onConfirm={() => deleteBackupJob(http, serverId, job.id).then(onDeleted)} onClose={onClose} />
  );
}

interface CardProps {
  serverId: string;
  job: BackupJob;
  online: boolean;
  canAct: boolean;
  onEdit: (editing: Editing) => void;
  onDelete: (job: BackupJob) => void;
}

// Memoised: progress frames replace one job, and only its card draws again.
const JobCard = memo(function JobCard({ serverId, job, online, canAct, onEdit, onDelete }: CardProps) {
  const last = job.lastRun;
  return (
    <article className="card pad bk-job" data-testid={`backup-job-${job.id}`} data-job-id={job.id} data-job-name={job.name}
      data-status={job.status}>
      <header className="bk-job-head">
        <a href={backupPath(serverId, job.id)} onClick={onLinkClick} className="bk-job-name" data-testid="backup-job-link"
          title={`Open ${job.name}: runs, host key, snapshots and restores`}>{job.name}</a>
        <StatusBadge status={job.status} />
        {!job.enabled && <span className="tag" title="Does not run on its schedule">disabled</span>}
        {canAct && (
          <span className="row-actions bk-job-actions">
            <RunNowButton serverId={serverId} job={job} online={online} />
            <EditDeleteButtons name={job.name} what="backup" onEdit={() => onEdit({ job })} onDelete={() => onDelete(job)} />
          </span>
        )}
      </header>
      <div className="mono muted bk-route" title="Sources on this server → destination">
        {job.sources.join(', ')} → {destinationText(job.destination)}
      </div>
      {job.progress !== null && <ProgressBar progress={job.progress} />}
      <dl className="facts bk-facts">
        <div><dt>Schedule</dt><dd data-testid="backup-schedule">{scheduleText(job.schedule)}</dd></div>
        <div><dt title="How old the newest good snapshot is: what a restore would lose">Recovery point</dt>
          <dd data-testid="backup-recovery-point">{job.lastGoodAt === null ? <span className="muted">no good backup yet</span>
            : <>last good <Ago iso={job.lastGoodAt} /></>}</dd></div>
        <div><dt>Next run</dt><dd><NextRun job={job} /></dd></div>
        <div><dt>Last run</dt><dd data-testid="backup-last-run">
          {last === null ? <span className="muted">none yet</span> : (
            <>
              <RunStateBadge state={last.state} /> {last.finishedAt === null ? <>started <Ago iso={last.startedAt} /></> : <Ago iso={last.finishedAt} />}
              {last.stats !== null && last.state !== 'running' && <div className="muted small">{statsText(last.stats)}</div>}
              {last.reason !== null && <div className="muted small" title={last.failure !== null ? FAILURES[last.failure] : undefined}>{last.reason}</div>}
            </>
          )}</dd></div>
        <div><dt>Host key</dt><dd><HostKeyBadge hostKey={job.hostKey} />
          {canAct && (job.hostKey?.changed || (job.hostKey !== null && !job.hostKey.trusted && job.hostKey.fingerprint !== null)) && (
            <div className="small"><a href={backupPath(serverId, job.id)} onClick={onLinkClick} data-testid="backup-review-key">
              {job.hostKey?.changed ? 'review the change' : 'compare and trust'}</a></div>
          )}</dd></div>
        <div><dt>Test restore</dt><dd data-testid="backup-verification" className={job.verification?.ok === false ? 'error-text-block' : ''}>
          {verificationText(job)}{job.verification !== null && <div className="muted small"><Ago iso={job.verification.at} /></div>}</dd></div>
      </dl>
    </article>
  );
});
