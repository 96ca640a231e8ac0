import { Fragment, useCallback, useState } from 'react';
import { useApp } from '../../lib/app-context';
import { formatBytes, formatCount, formatDateTime, formatDuration, known } from '../../lib/format';
import { useLoad } from '../../lib/use-load';
import type { BackupJob, BackupRun } from '../../lib/wire';
import { LoadStatus } from '../../components/feedback';
import { DownloadLink } from '../../components/download-link';
import { backupRunsExportUrl, listBackupRuns } from './api';
import { FAILURES, TRIGGERS } from './backups';
import { RunStateBadge } from './backup-parts';

/** Seconds a run took: rsync's own figure, else its start to its end; null while it runs, or when it never ran. */
function runSeconds(run: BackupRun): number | null {
  if (run.stats !== null) return run.stats.durationSeconds;
  if (run.state === 'missed' || run.state === 'refused') return null;
  if (run.finishedAt === null) return null;
  return Math.max(0, (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000);
}

/**
 * The job's runs, newest first, loaded again whenever its last run changes (a start or an end arrives with the live
 * job list); a click on a run shows its log, the files it could not copy and the snapshots it pruned.
 */
export function RunList({ serverId, job }: { serverId: string; job: BackupJob }) {
  const { http } = useApp();
  const last = job.lastRun;
  const revision = last === null ? '' : `${last.id}:${last.state}:${last.finishedAt ?? ''}`;
  const runs = useLoad(useCallback(() => listBackupRuns(http, serverId, job.id),
    // `revision` is not read, it is the reason to ask again: the list changed on the node.
    [http, serverId, job.id, revision]));
  const [open, setOpen] = useState<string | null>(null);
  const list = runs.data;

  return (
    <section className="card pad" data-testid="backup-runs">
      <div className="section-head">
        <h2>Runs</h2>
        <div className="page-actions">
          <button type="button" className="secondary small-button" onClick={runs.reload} disabled={runs.loading}
            title="Load the runs again (they also reload when a run starts or ends)">Refresh</button>
          <DownloadLink href={backupRunsExportUrl(serverId)} testId="export-backup-runs"
            title="Download the runs of every backup job of this server as CSV">Export CSV</DownloadLink>
        </div>
      </div>
      {list === null || runs.error !== null ? <LoadStatus loaded={runs} failure="Could not load the runs" lines={4} /> : null}
      {list !== null && list.length === 0 && <p className="muted" data-testid="backup-runs-empty">No run yet.</p>}
      {list !== null && list.length > 0 && <p className="muted small">The run in progress and the last 20; older runs are in the Events tab.</p>}
      {list !== null && list.length > 0 && (
        <div className="table-card">
          <table className="data-table bk-runs">
            <thead>
              <tr>
                <th><span className="sr-only">Details</span></th><th>State</th><th>Trigger</th><th>Started</th><th className="num">Took</th>
                <th className="num" title="Files in the snapshot (changed since the previous one)">Files</th>
                <th className="num" title="Size of the snapshot (sent over the network)">Size</th><th>Snapshot</th><th>Reason</th>
              </tr>
            </thead>
            <tbody>
              {list.map((run) => {
                const expanded = open === run.id;
                const seconds = runSeconds(run);
                const trigger = known(TRIGGERS, run.trigger);
                return (
                  <Fragment key={run.id}>
                    <tr className={`bk-run${expanded ? ' is-open' : ''}`} data-testid="backup-run-row" data-run-id={run.id} data-state={run.state}
                      onClick={() => setOpen(expanded ? null : run.id)}>
                      <td><button type="button" className="icon-button small-button" aria-expanded={expanded} data-testid="backup-run-toggle"
                        title={expanded ? 'Hide the details' : 'Show its log, problem files and pruned snapshots'}
                        onClick={(e) => { e.stopPropagation(); setOpen(expanded ? null : run.id); }}>{expanded ? '▾' : '▸'}</button></td>
                      <td><RunStateBadge state={run.state} /></td>
                      <td title={trigger?.tooltip}>{trigger?.label ?? run.trigger}{run.by !== null ? <span className="muted"> by {run.by}</span> : null}</td>
                      <td title={run.dueFor !== null ? `Due for ${formatDateTime(run.dueFor)}` : undefined}>{formatDateTime(run.startedAt)}</td>
                      <td className="num">{run.state === 'running' ? '…' : formatDuration(seconds)}</td>
                      <td className="num">{run.stats === null ? '—' : <>{formatCount(run.stats.filesTotal)} <span className="muted">({formatCount(run.stats.filesTransferred)})</span></>}</td>
                      <td className="num">{run.stats === null ? '—' : <>{formatBytes(run.stats.totalBytes)} <span className="muted">({formatBytes(run.stats.bytesTransferred)})</span></>}</td>
                      <td className="mono">{run.snapshot ?? '—'}</td>
                      <td className="bk-reason" title={run.failure !== null ? known(FAILURES, run.failure) : undefined}>
                        {run.state === 'missed' ? `${run.missedCount} run${run.missedCount === 1 ? '' : 's'} missed${run.reason ? `: ${run.reason}` : ''}`
                          : run.reason ?? (run.problemFiles.length > 0 ? `${run.problemFiles.length} problem file${run.problemFiles.length === 1 ? '' : 's'}` : '')}
                      </td>
                    </tr>
                    {expanded && (
                      <tr className="bk-run-detail" data-testid="backup-run-detail">
                        <td colSpan={9}><RunDetail run={run} /></td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function RunDetail({ run }: { run: BackupRun }) {
  return (
    <div className="bk-run-body">
      <dl className="facts">
        {run.dueFor !== null && <div><dt>Due for</dt><dd>{formatDateTime(run.dueFor)}</dd></div>}
        <div><dt>Finished</dt><dd>{run.finishedAt === null ? 'still running' : formatDateTime(run.finishedAt)}</dd></div>
        {run.failure !== null && <div><dt>Failure</dt><dd title={run.failure}>{known(FAILURES, run.failure) ?? run.failure}</dd></div>}
        {run.stats !== null && <div><dt>rsync exit code</dt><dd>{run.stats.exitCode}</dd></div>}
        {run.state === 'missed' && <div><dt>Missed</dt><dd>{run.missedCount}</dd></div>}
      </dl>
      {run.problemFiles.length > 0 && (
        <>
          <h3>Files that vanished or could not be read ({run.problemFiles.length})</h3>
          <ul className="mono bk-file-list" data-testid="backup-run-problem-files">{run.problemFiles.map((file) => <li key={file}>{file}</li>)}</ul>
        </>
      )}
      {run.pruned.length > 0 && (
        <>
          <h3>Snapshots deleted afterwards by the retention policy ({run.pruned.length})</h3>
          <ul className="mono bk-file-list" data-testid="backup-run-pruned">{run.pruned.map((name) => <li key={name}>{name}</li>)}</ul>
        </>
      )}
      <h3>Log <span className="muted small">(rsync's last lines)</span></h3>
      {run.log.length === 0 ? <p className="muted">No log lines.</p>
        : <pre className="bk-log" data-testid="backup-run-log" tabIndex={0}>{run.log.join('\n')}</pre>}
    </div>
  );
}
