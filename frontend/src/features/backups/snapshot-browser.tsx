// Restoring: pick a snapshot (newest first), browse its directories, select a file or directory, and restore it to
// its own place or under another directory; then follow the restore on the live job.
import { useEffect, useState, type FormEvent } from 'react';
import { useApp } from '../../lib/app-context';
import { formatBytes, formatCount, formatDateTime } from '../../lib/format';
import { errorMessage } from '../../lib/http';
import { useAction } from '../../lib/use-action';
import type { BackupJob, BackupRestore, RestoreRequest, SnapshotEntryKind, SnapshotTree } from '../../lib/wire';
import { ErrorPanel, Skeleton } from '../../components/feedback';
import { Modal } from '../../components/modal';
import { restoreStatus, snapshotTree, startRestore } from './api';
import {
  agentFailureTitle, childPath, FAILURES, isOutsideSourcesRefusal, newestFirst, normalPath, pathCrumbs, pathProblem, restoredTo,
  snapshotTime, withinAny,
} from './backups';
import { RestoreStateBadge } from './backup-parts';

/** What a person picked in a snapshot to restore. */
export interface Selection {
  path: string;
  kind: SnapshotEntryKind;
}

function snapshotLabel(name: string): string {
  const time = snapshotTime(name);
  return time === null ? name : formatDateTime(time);
}

/**
 * The job's snapshots, newest first; for an admin each opens a browser of its files with "Restore…". The restores
 * started here are followed below it.
 */
export function SnapshotBrowser({ serverId, serverName, job, canAct }: {
  serverId: string; serverName: string; job: BackupJob; canAct: boolean;
}) {
  const [snapshot, setSnapshot] = useState<string | null>(null);
  const [restoring, setRestoring] = useState<{ snapshot: string; selection: Selection } | null>(null);
  const [started, setStarted] = useState<string | null>(null);
  const snapshots = newestFirst(job.snapshots);
  // A snapshot pruned while open is gone from the destination: close it.
  const open = snapshot !== null && job.snapshots.includes(snapshot) ? snapshot : null;

  return (
    <section className="card pad" data-testid="backup-snapshots">
      <h2>Snapshots <span className="muted small">({snapshots.length} on the destination)</span></h2>
      {snapshots.length === 0 && <p className="muted">No snapshot yet: the first good run makes one.</p>}
      {snapshots.length > 0 && !canAct && <p className="muted small">Only admins can browse snapshots and restore from them.</p>}
      {snapshots.length > 0 && (
        <ul className="bk-snapshots">
          {snapshots.map((name, index) => (
            <li key={name}>
              {canAct ? (
                <button type="button" className={`secondary small-button${open === name ? ' is-selected' : ''}`} aria-pressed={open === name}
                  data-testid={`backup-snapshot-${name}`} title={`Browse the files of ${name}`} onClick={() => setSnapshot(open === name ? null : name)}>
                  {snapshotLabel(name)}{index === 0 ? ' (newest)' : ''}
                </button>
              ) : <span data-testid={`backup-snapshot-${name}`}>{snapshotLabel(name)}{index === 0 ? ' (newest)' : ''}</span>}
            </li>
          ))}
        </ul>
      )}
      {started !== null && <RestoreResult serverId={serverId} job={job} restoreId={started} onDismiss={() => setStarted(null)} />}
      {canAct && open !== null && (
        <TreeBrowser key={open} serverId={serverId} job={job} snapshot={open}
          onRestore={(selection) => setRestoring({ snapshot: open, selection })} />
      )}
      {restoring !== null && (
        <RestoreDialog serverId={serverId} serverName={serverName} job={job} snapshot={restoring.snapshot} selection={restoring.selection}
          onStarted={setStarted} onClose={() => setRestoring(null)} />
      )}
    </section>
  );
}

/** One directory of a snapshot at a time, as the agent lists it over SSH; breadcrumbs from `/`. */
export function TreeBrowser({ serverId, job, snapshot, onRestore }: {
  serverId: string; job: BackupJob; snapshot: string; onRestore: (selection: Selection) => void;
}) {
  const { http } = useApp();
  const [path, setPath] = useState('/');
  const [attempt, setAttempt] = useState(0);
  const [tree, setTree] = useState<SnapshotTree | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [selection, setSelection] = useState<Selection | null>(null);

  useEffect(() => {
    // Only the directory asked last may show: a slow answer for one left behind is dropped.
    let cancelled = false;
    setLoading(true);
    snapshotTree(http, serverId, job.id, snapshot, path).then((answer) => {
      if (cancelled) return;
      setTree(answer);
      setFailure(null);
    }, (error: unknown) => {
      if (!cancelled) setFailure(error);
    }).finally(() => { if (!cancelled) setLoading(false); });
    return () => { cancelled = true; };
  }, [http, serverId, job.id, snapshot, path, attempt]);

  const go = (next: string) => {
    setSelection(null);
    setPath(normalPath(next));
  };
  const shown = tree !== null && normalPath(tree.path) === path ? tree : null;

  return (
    <div className="bk-tree" data-testid="backup-tree" data-snapshot={snapshot} data-path={path}>
      <div className="bk-tree-head">
        <nav className="bk-crumbs" aria-label="Directory" data-testid="backup-tree-crumbs">
          {pathCrumbs(path).map((crumb, index, all) => (
            <span key={crumb.path}>
              {index > 1 && <span className="muted">/</span>}
              {index === all.length - 1 ? <strong data-testid="backup-tree-crumb" data-path={crumb.path}>{crumb.label}</strong>
                : <button type="button" className="link-button" data-testid="backup-tree-crumb" data-path={crumb.path}
                  onClick={() => go(crumb.path)} title={`Go to ${crumb.path}`}>{crumb.label}</button>}
            </span>
          ))}
        </nav>
        <span className="muted small">in {snapshot}</span>
        {job.sources.length > 0 && (
          <span className="bk-tree-sources small">Sources:{' '}
            {job.sources.map((source) => (
              <button key={source} type="button" className="link-button mono" data-testid="backup-tree-source" onClick={() => go(source)}
                title={`Go to ${source}`}>{source}</button>
            ))}
          </span>
        )}
      </div>
      {failure !== null && (
        <ErrorPanel title={agentFailureTitle(failure, `Could not list ${path}`)} message={errorMessage(failure)} onRetry={() => setAttempt((a) => a + 1)} />
      )}
      {failure === null && shown === null && <Skeleton lines={4} />}
      {shown !== null && (
        <>
          <div className={`table-card${loading ? ' is-loading' : ''}`}>
            <table className="data-table bk-tree-table">
              <thead><tr><th><span className="sr-only">Select</span></th><th>Name</th><th className="num">Size</th><th>Modified</th><th>Mode</th></tr></thead>
              <tbody>
                {shown.entries.map((entry) => {
                  const full = childPath(path, entry.name);
                  const selected = selection?.path === full;
                  return (
                    <tr key={entry.name} data-testid="backup-tree-row" data-name={entry.name} data-kind={entry.kind} className={selected ? 'is-selected' : ''}>
                      <td><input type="radio" name="backup-tree-selection" checked={selected} aria-label={`Select ${entry.name}`}
                        data-testid={`backup-tree-select-${entry.name}`} onChange={() => setSelection({ path: full, kind: entry.kind })} /></td>
                      <td>
                        <button type="button" className={`link-button bk-entry bk-entry-${entry.kind}`} data-testid={`backup-tree-entry-${entry.name}`}
                          title={entry.kind === 'directory' ? `Open ${full}` : `Select ${full} to restore`}
                          onClick={() => (entry.kind === 'directory' ? go(full) : setSelection({ path: full, kind: entry.kind }))}>
                          {entry.name}{entry.kind === 'directory' ? '/' : ''}
                        </button>
                        {entry.kind === 'symlink' && entry.target !== null && <span className="muted mono"> → {entry.target}</span>}
                      </td>
                      <td className="num">{entry.kind === 'directory' ? '—' : formatBytes(entry.size)}</td>
                      <td>{formatDateTime(entry.modifiedAt)}</td>
                      <td className="mono">{entry.mode}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {shown.entries.length === 0 && <p className="muted" data-testid="backup-tree-empty">Empty directory.</p>}
          {shown.truncated && <p className="muted small" data-testid="backup-tree-truncated">
            Only the first {formatCount(shown.entries.length)} entries are listed: restore the whole directory, or open a subdirectory.</p>}
        </>
      )}
      <div className="bk-tree-actions">
        <button type="button" className="secondary small-button" data-testid="backup-tree-select-here" disabled={path === '/'}
          onClick={() => setSelection({ path, kind: 'directory' })} title={`Select ${path} itself, with everything under it`}>Select this directory</button>
        <span data-testid="backup-tree-selected" className={selection === null ? 'muted' : 'mono'}>
          {selection === null ? 'Nothing selected' : `${selection.path}${selection.kind === 'directory' ? '/' : ''}`}</span>
        <button type="button" data-testid="backup-restore" disabled={selection === null}
          onClick={() => selection !== null && onRestore(selection)}
          title={selection === null ? 'Select a file or directory first' : `Restore ${selection.path} from ${snapshot}`}>Restore…</button>
      </div>
    </div>
  );
}

type Destination = 'original' | 'elsewhere';

/**
 * Where to restore, said plainly: over the original (what is there now is lost), or under another directory (the
 * full path recreated there). A target outside the job's sources needs a second confirmation, and only then is
 * `allowOutsideSources` sent.
 */
export function RestoreDialog({ serverId, serverName, job, snapshot, selection, onStarted, onClose }: {
  serverId: string; serverName: string; job: BackupJob; snapshot: string; selection: Selection;
  onStarted: (restoreId: string) => void; onClose: () => void;
}) {
  const { http } = useApp();
  const action = useAction();
  const [destination, setDestination] = useState<Destination>('original');
  const [target, setTarget] = useState('');
  const [outside, setOutside] = useState(false);
  // What to fix before anything is sent (a path that is not absolute); the node's refusals are the action's error.
  const [problem, setProblem] = useState<string | null>(null);
  const what = selection.kind === 'directory' ? 'directory' : 'file';
  const when = snapshotTime(snapshot);
  const send = (allowOutsideSources: boolean) => {
    const request: RestoreRequest = { snapshot, path: selection.path };
    if (destination === 'elsewhere') request.target = normalPath(target.trim());
    if (allowOutsideSources) request.allowOutsideSources = true;
    action.run(() => startRestore(http, serverId, job.id, request).catch((failure: unknown) => {
      // The node's own check disagreed with ours (it is the one that counts): ask the second question after all.
      if (!allowOutsideSources && isOutsideSourcesRefusal(failure)) setOutside(true);
      throw failure;
    }), (accepted) => {
      onStarted(accepted.restoreId);
      onClose();
    });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    if (destination === 'elsewhere') {
      const wrong = pathProblem(target.trim());
      if (wrong !== null) {
        setProblem(wrong);
        return;
      }
      if (!withinAny(target.trim(), job.sources)) {
        setOutside(true);
        return;
      }
    }
    send(false);
  };
  // The node's "outside the sources" refusal is what the second question answers; any other failure is shown.
  const failure = problem ?? (outside && action.error?.includes('allowOutsideSources') ? null : action.error);

  return (
    <Modal title={`Restore ${selection.path}?`} onClose={onClose} testId="backup-restore-dialog" wide>
      {!outside ? (
        <form className="form" onSubmit={submit}>
          <p>The {what} <code>{selection.path}</code> as it was in the snapshot of {when === null ? snapshot : formatDateTime(when)}
            {' '}(<span className="mono">{snapshot}</span>), to {serverName}:</p>
          <label className="check">
            <input type="radio" name="restore-destination" checked={destination === 'original'} onChange={() => setDestination('original')}
              data-testid="backup-restore-original" />
            To its original place
          </label>
          {destination === 'original' && (
            <p className="warning-box" data-testid="backup-restore-overwrite-warning">
              This overwrites {selection.kind === 'directory' ? <>the files under <code>{selection.path}</code></> : <code>{selection.path}</code>}
              {' '}on {serverName} with {selection.kind === 'directory' ? 'their copies' : 'its copy'} from the snapshot: changes made since are lost.
            </p>
          )}
          <label className="check">
            <input type="radio" name="restore-destination" checked={destination === 'elsewhere'} onChange={() => setDestination('elsewhere')}
              data-testid="backup-restore-elsewhere" />
            Under another directory
          </label>
          <label className={destination === 'elsewhere' ? '' : 'is-inactive'}>Directory on {serverName}
            <input value={target} className="mono" placeholder="/tmp/restore" data-testid="backup-restore-target"
              onChange={(e) => { setTarget(e.target.value); setDestination('elsewhere'); }}
              title="The full path is recreated under it; files already there with the same names are overwritten" />
          </label>
          {destination === 'elsewhere' && target.trim() !== '' && pathProblem(target.trim()) === null && (
            <p className="muted" data-testid="backup-restore-preview">Written as <code>{restoredTo(selection.path, target.trim())}</code>
              {' '}(the full path recreated under <code>{normalPath(target.trim())}</code>).</p>
          )}
          {failure !== null && <div className="form-error" role="alert" data-testid="backup-restore-error">{failure}</div>}
          <div className="dialog-actions">
            <button type="button" className="secondary" onClick={onClose} title="Restore nothing">Cancel</button>
            <button type="submit" className={destination === 'original' ? 'danger' : undefined} disabled={action.busy}
              data-testid="backup-restore-confirm" title="Start the restore on the agent">
              {action.busy ? 'Starting…' : destination === 'original' ? 'Overwrite with the backup' : 'Restore'}</button>
          </div>
        </form>
      ) : (
        <div className="form" data-testid="backup-restore-outside">
          <p className="warning-box"><code>{normalPath(target.trim())}</code> is outside this job's sources
            ({job.sources.join(', ')}). The agent writes there as it runs, possibly over files of the same names, in a place this job
            does not back up. Restore there anyway?</p>
          <p className="muted small">The agent itself still writes only inside the sources its <code>--backups</code> file allows, and
            refuses anything else.</p>
          {failure !== null && <div className="form-error" role="alert" data-testid="backup-restore-error">{failure}</div>}
          <div className="dialog-actions">
            <button type="button" className="secondary" onClick={() => setOutside(false)}
              title="Choose another place">Back</button>
            <button type="button" className="danger" disabled={action.busy} data-testid="backup-restore-outside-confirm"
              onClick={() => send(true)} title="Restore outside the job's sources">
              {action.busy ? 'Starting…' : 'Restore outside the sources'}</button>
          </div>
        </div>
      )}
    </Modal>
  );
}

/**
 * A restore started from this page: followed on the live job (its `restores`), asked once from the node at first
 * (the job list may not carry it yet).
 */
export function RestoreResult({ serverId, job, restoreId, onDismiss }: {
  serverId: string; job: BackupJob; restoreId: string; onDismiss: () => void;
}) {
  const { http } = useApp();
  const [asked, setAsked] = useState<BackupRestore | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let cancelled = false;
    restoreStatus(http, serverId, job.id, restoreId).then((answer) => { if (!cancelled) setAsked(answer); }, () => undefined);
    return () => { cancelled = true; };
  }, [http, serverId, job.id, restoreId, attempt]);
  const live = job.restores.find((restore) => restore.id === restoreId) ?? null;
  // The live job is newer than an answer unless the answer already says the restore ended.
  const restore = live !== null && !(live.state === 'running' && asked !== null && asked.state !== 'running') ? live : asked;
  const state = restore?.state ?? 'running';
  return (
    <div className={`bk-restore-result bk-restore-${state}`} data-testid="backup-restore-result" data-state={state} role="status">
      <div className="bk-restore-head">
        <RestoreStateBadge state={state} />
        <span>
          {restore === null ? 'Restore started…'
            : state === 'running' ? <>Restoring <code>{restore.path}</code> to <code>{restoredTo(restore.path, restore.target)}</code>… (progress above)</>
              : state === 'succeeded' ? <>Restored <code>{restore.path}</code> to <code>{restoredTo(restore.path, restore.target)}</code>:
                {' '}{formatCount(restore.files)} file{restore.files === 1 ? '' : 's'}, {formatBytes(restore.bytes)}.</>
                : <>Restore of <code>{restore.path}</code> failed: {restore.reason ?? (restore.failure !== null ? FAILURES[restore.failure] : 'no reason given')}</>}
        </span>
        <span className="bk-restore-buttons">
          <button type="button" className="secondary small-button" onClick={() => setAttempt((a) => a + 1)} title="Ask the node for this restore again">Refresh</button>
          <button type="button" className="icon-button small-button" onClick={onDismiss} title="Dismiss" aria-label="Dismiss">×</button>
        </span>
      </div>
      {restore !== null && state !== 'running' && restore.log.length > 0 && (
        <details><summary>Log</summary><pre className="bk-log" data-testid="backup-restore-log">{restore.log.join('\n')}</pre></details>
      )}
    </div>
  );
}
