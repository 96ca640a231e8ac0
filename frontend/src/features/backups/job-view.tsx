import { useState } from 'react';
import { useApp } from '../../lib/app-context';
import { formatCount, formatDateTime, formatPercent, known } from '../../lib/format';
import { navigate, onLinkClick, serverPath } from '../../lib/router';
import type { BackupJob } from '../../lib/wire';
import { Ago } from '../../components/ago';
import { EditDeleteButtons } from '../../components/edit-delete-buttons';
import { CopyButton, ErrorPanel, LoadStatus } from '../../components/feedback';
import { destinationText, FAILURES, hostKeyState, scheduleText, verificationText } from './backups';
import { useBackupJobs } from './backup-hooks';
import { NextRun, ProgressBar, RestoreStateBadge, RunNowButton, StatusBadge } from './backup-parts';
import { DeleteJobDialog } from './backups-tab';
import { HostKeyPanel } from './host-key';
import { JobForm } from './job-form';
import { RunList } from './run-list';
import { SetupSteps, useBackupKey } from './setup-panel';
import { SnapshotBrowser } from './snapshot-browser';

/** One backup job: its settings, access to the destination, runs, snapshots with restore, restores and test restores. */
export function JobView({ serverId, serverName, online, jobId }: { serverId: string; serverName: string; online: boolean; jobId: string }) {
  const { me } = useApp();
  const canAct = me.role === 'ADMIN';
  const jobs = useBackupJobs(serverId);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const back = serverPath(serverId, 'backups');
  const job = jobs.data?.jobs.find((j) => j.id === jobId) ?? null;

  let body;
  if (jobs.data === null) {
    body = <LoadStatus loaded={jobs} failure="Could not load the backup job" lines={6} />;
  } else if (job === null) {
    body = (
      <div className="empty card" data-testid="backup-job-missing">
        <h2>{serverName} has no backup job {jobId}</h2>
        <p className="muted">It may have been deleted. <a href={back} onClick={onLinkClick}>See its backup jobs</a>.</p>
      </div>
    );
  } else {
    // Until the key is trusted and a run succeeded, getting there is what the page is for.
    const settingUp = hostKeyState(job.hostKey) !== 'trusted' || job.lastGoodAt === null;
    body = (
      <>
        {editing && <JobForm serverId={serverId} job={job} agentKey={null} onSaved={(saved) => { jobs.put(saved); setEditing(false); }}
          onCancel={() => setEditing(false)} />}
        <header className="card pad bk-job-page-head" data-testid="backup-job-head">
          <div className="server-title">
            <h2 data-testid="backup-job-title">{job.name}</h2>
            <StatusBadge status={job.status} />
            {!job.enabled && <span className="tag" title="Does not run on its schedule">disabled</span>}
            {canAct && (
              <span className="row-actions bk-job-actions">
                <RunNowButton serverId={serverId} job={job} online={online} />
                <EditDeleteButtons name={job.name} what="backup" onEdit={() => setEditing(true)} onDelete={() => setDeleting(true)} />
              </span>
            )}
          </div>
          {jobs.error !== null && <ErrorPanel title="Could not reload the job" message={jobs.error} onRetry={jobs.reload} />}
          {job.progress !== null && <ProgressBar progress={job.progress} />}
          <JobFacts job={job} />
        </header>
        {settingUp && <DestinationAccess serverId={serverId} job={job} canAct={canAct} settingUp onTrusted={jobs.put} />}
        <RunList serverId={serverId} job={job} />
        <SnapshotBrowser serverId={serverId} serverName={serverName} job={job} canAct={canAct} />
        <Restores job={job} />
        <TestRestore job={job} />
        {!settingUp && <DestinationAccess serverId={serverId} job={job} canAct={canAct} settingUp={false} onTrusted={jobs.put} />}
        {deleting && <DeleteJobDialog serverId={serverId} job={job} onDeleted={() => navigate(back)} onClose={() => setDeleting(false)} />}
      </>
    );
  }

  return (
    <div className="bk-job-view" data-testid="backup-job-view" data-job-id={jobId}>
      <nav className="crumbs"><a href={back} onClick={onLinkClick} title="All backup jobs of this server">Backups</a> / {job?.name ?? jobId}</nav>
      {body}
    </div>
  );
}

function JobFacts({ job }: { job: BackupJob }) {
  const r = job.retention;
  return (
    <dl className="facts bk-facts" data-testid="backup-job-facts">
      <div><dt>Sources</dt><dd className="mono">{job.sources.join(', ')}</dd></div>
      {job.excludes.length > 0 && <div><dt>Excludes</dt><dd className="mono">{job.excludes.join(', ')}</dd></div>}
      <div><dt>Destination</dt><dd className="mono" data-testid="backup-destination">{destinationText(job.destination)}</dd></div>
      <div><dt>Schedule</dt><dd data-testid="backup-schedule">{scheduleText(job.schedule)}</dd></div>
      <div><dt>Next run</dt><dd><NextRun job={job} /></dd></div>
      <div><dt title="How old the newest good snapshot is: what a restore would lose">Recovery point</dt>
        <dd data-testid="backup-recovery-point">{job.lastGoodAt === null ? <span className="muted">no good backup yet</span>
          : <>last good <Ago iso={job.lastGoodAt} /></>}</dd></div>
      <div><dt>Keeps</dt><dd>{r.keepLast} last, {r.daily} daily, {r.weekly} weekly, {r.monthly} monthly</dd></div>
      <div><dt>Bandwidth</dt><dd>{job.bandwidthKiBps === null ? 'no limit' : `${formatCount(job.bandwidthKiBps)} KiB/s`}</dd></div>
      <div><dt>Timeout</dt><dd>{job.timeout ?? 'none'}</dd></div>
      <div><dt>Test restores</dt><dd>{job.verifyEveryHours === 0 ? 'off' : `every ${job.verifyEveryHours} h`}</dd></div>
      <div><dt>Created</dt><dd>{formatDateTime(job.createdAt)} by {job.createdBy}</dd></div>
    </dl>
  );
}

/** The authorized_keys line for the destination, and its host key; with the three steps while setting up. */
function DestinationAccess({ serverId, job, canAct, settingUp, onTrusted }: {
  serverId: string; job: BackupJob; canAct: boolean; settingUp: boolean; onTrusted: (job: BackupJob) => void;
}) {
  return (
    <section className="card pad bk-access" data-testid="backup-access">
      <h2>{settingUp ? 'Set up the destination' : 'Destination access'}</h2>
      {settingUp && <SetupSteps user={job.destination.user} host={job.destination.host} />}
      <h3>Line for <span className="mono">~{job.destination.user}/.ssh/authorized_keys</span> on {job.destination.host}</h3>
      {job.authorizedKeysLine !== null ? (
        <div className="code-block"><pre data-testid="backup-authorized-keys-line">{job.authorizedKeysLine}</pre><CopyButton text={job.authorizedKeysLine} /></div>
      ) : <MissingKeyLine serverId={serverId} />}
      <HostKeyPanel serverId={serverId} job={job} canAct={canAct} onTrusted={onTrusted} />
    </section>
  );
}

/** No line yet: the agent has not reported its key, or runs no backups at all. */
function MissingKeyLine({ serverId }: { serverId: string }) {
  const key = useBackupKey(serverId);
  const off = key.data !== null && !key.data.enabled;
  return (
    <p className="muted" data-testid="backup-authorized-keys-missing">
      {off ? 'The agent runs no backups (started without --backups FILE): see "Setup & key" on the Backups tab.'
        : 'The agent has not reported its backup key yet; the line shows here once it has (it reports it when it connects).'}
    </p>
  );
}

/** The job's newest restores (live), whoever started them. */
function Restores({ job }: { job: BackupJob }) {
  if (job.restores.length === 0) return null;
  return (
    <section className="card pad" data-testid="backup-restores">
      <h2>Restores</h2>
      <div className="table-card">
        <table className="data-table">
          <thead><tr><th>State</th><th>Path</th><th>To</th><th>Snapshot</th><th>By</th><th>Started</th><th className="num">Files</th><th>Reason</th></tr></thead>
          <tbody>
            {job.restores.map((restore) => (
              <tr key={restore.id} data-testid="backup-restore-row" data-state={restore.state} data-restore-id={restore.id}>
                <td><RestoreStateBadge state={restore.state} /></td>
                <td className="mono">{restore.path}</td>
                <td className="mono">{restore.target ?? 'its original place'}</td>
                <td className="mono">{restore.snapshot}</td>
                <td>{restore.by}</td>
                <td>{formatDateTime(restore.startedAt)}</td>
                <td className="num">{restore.state === 'running' ? '…' : formatCount(restore.files)}</td>
                <td>{restore.reason ?? (restore.failure !== null ? known(FAILURES, restore.failure) : '')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The last test restore: a sample of the newest snapshot restored to scratch and compared with the files. */
function TestRestore({ job }: { job: BackupJob }) {
  const v = job.verification;
  return (
    <section className="card pad" data-testid="backup-test-restore">
      <h2>Test restore</h2>
      <p data-testid="backup-verification" className={v?.ok === false ? 'error-text-block' : ''}>{verificationText(job)}</p>
      {v !== null && (
        <dl className="facts">
          <div><dt>When</dt><dd><Ago iso={v.at} /></dd></div>
          <div><dt>Snapshot</dt><dd className="mono">{v.snapshot ?? '—'}</dd></div>
          <div><dt>Files checked</dt><dd>{formatCount(v.checked)}</dd></div>
          <div><dt title="Files changed on the server since the snapshot: not comparable, so skipped">Skipped (changed since)</dt><dd>{formatCount(v.skippedChanged)}</dd></div>
          <div><dt>Coverage</dt><dd>{formatPercent(v.coveragePercent)}</dd></div>
        </dl>
      )}
      {v !== null && v.mismatched.length > 0 && (
        <>
          <h3>Files that differ ({v.mismatched.length})</h3>
          <ul className="mono bk-file-list" data-testid="backup-verification-mismatched">{v.mismatched.map((file) => <li key={file}>{file}</li>)}</ul>
        </>
      )}
    </section>
  );
}
