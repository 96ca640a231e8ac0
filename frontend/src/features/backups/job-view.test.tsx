import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackupJob, BackupRun, SnapshotEntry, SnapshotTree } from '../../lib/wire';
import { JobView } from './job-view';
import { FINGERPRINT, hostKey, job, OLD_FINGERPRINT, progress, restore, run } from './backup-fixtures';
import { fakeNode, renderInApp, type Answer, type Call } from '../../test-support';

afterEach(() => {
  cleanup();
  window.history.replaceState(null, '', '/');
});

const BASE = '/api/servers/web-1/backups/www-k3x9';
const SNAPSHOT = '2026-12-02T023001Z';

const entry = (name: string, kind: SnapshotEntry['kind'], size = 4096): SnapshotEntry =>
  ({ name, kind, size, modifiedAt: '2026-12-01T18:00:00Z', mode: kind === 'directory' ? 'drwxr-xr-x' : '-rw-r--r--', target: kind === 'symlink' ? '../x' : null });

/** The snapshot's directories as the agent lists them. */
const TREE: Record<string, SnapshotEntry[]> = {
  '/': [entry('srv', 'directory')],
  '/srv': [entry('www', 'directory')],
  '/srv/www': [entry('assets', 'directory'), entry('index.html', 'file', 2048), entry('current', 'symlink', 3)],
};

/** A node with `jobs`, their runs, the tree above and the agent's key; `extra` answers anything else first. */
function node(jobs: BackupJob[], extra: (call: Call) => Answer | undefined = () => undefined, runs: BackupRun[] = [run()]) {
  return fakeNode((call) => {
    const answer = extra(call);
    if (answer !== undefined) return answer;
    if (call.method !== 'GET') return undefined;
    if (call.path === '/api/servers/web-1/backups') return { body: jobs };
    if (call.path === `${BASE}/runs`) return { body: runs };
    const tree = new RegExp(`^${BASE}/snapshots/([^/]+)/tree\\?path=(.*)$`).exec(call.path);
    if (tree !== null) {
      const path = decodeURIComponent(tree[2]!.replace(/\+/g, ' '));
      return { body: { snapshot: tree[1]!, path, entries: TREE[path] ?? [], truncated: false } satisfies SnapshotTree };
    }
    if (call.path.startsWith('/api/servers/web-1/backup-key')) {
      return { body: { enabled: true, publicKey: null, authorizedKeysLine: null, allowSources: [], allowDestinations: [], rsyncVersion: null } };
    }
    return undefined;
  });
}

const posts = (calls: Call[]) => calls.filter((c) => c.method !== 'GET');
const treeCalls = (calls: Call[]) => calls.filter((c) => c.path.includes('/tree')).map((c) => c.path.replace(/^.*\/snapshots\//, ''));

async function openSnapshot() {
  fireEvent.click(await screen.findByTestId(`backup-snapshot-${SNAPSHOT}`));
  await screen.findByTestId('backup-tree-entry-srv');
}

async function browseTo(...names: string[]) {
  await openSnapshot();
  for (const name of names) fireEvent.click(await screen.findByTestId(`backup-tree-entry-${name}`));
}

describe('JobView', () => {
  it('shows the job\'s settings, the authorized_keys line and its runs with their logs on request', async () => {
    const warning = run({ id: 'run-2', state: 'warning', trigger: 'manual', by: 'alice', problemFiles: ['/srv/www/tmp/upload.part'],
      pruned: ['2026-11-01T023000Z'], log: ['file has vanished: "/srv/www/tmp/upload.part"'] });
    const missed = run({ id: 'run-3', state: 'missed', trigger: 'schedule', missedCount: 3, stats: null, snapshot: null,
      reason: 'the agent was not connected', log: [] });
    renderInApp(<JobView serverId="web-1" serverName="web-1" online jobId="www-k3x9" />,
      node([job({ lastGoodAt: null })], () => undefined, [warning, missed, run()]).http);
    expect((await screen.findByTestId('backup-job-title')).textContent).toBe('www');
    expect(screen.getByTestId('backup-destination').textContent).toBe('backup@nas.lan:/srv/backups/web-1');
    expect(screen.getByTestId('backup-job-facts').textContent).toContain('7 last, 7 daily, 4 weekly, 12 monthly');
    expect(screen.getByTestId('backup-authorized-keys-line').textContent).toBe(job().authorizedKeysLine);
    expect(screen.getByTestId('backup-setup-steps').textContent).toContain('~backup/.ssh/authorized_keys');

    const rows = await screen.findAllByTestId('backup-run-row');
    expect(rows.map((r) => [r.getAttribute('data-state'), within(r).getByTestId('backup-run-state').textContent])).toEqual([
      ['warning', 'warning'], ['missed', 'missed'], ['succeeded', 'succeeded']]);
    expect(rows[0]!.textContent).toContain('manual by alice');
    expect(rows[1]!.textContent).toContain('3 runs missed: the agent was not connected');
    expect(rows[1]!.querySelectorAll('td')[4]!.textContent).toBe('—');
    expect(rows[2]!.textContent).toContain('1,204');
    expect(rows[2]!.textContent).toContain('2.30 GiB');
    expect(rows[2]!.textContent).toContain('41 s');
    expect(rows[2]!.textContent).toContain(SNAPSHOT);

    expect(screen.queryByTestId('backup-run-detail')).toBeNull();
    fireEvent.click(rows[0]!);
    const detail = screen.getByTestId('backup-run-detail');
    expect(within(detail).getByTestId('backup-run-problem-files').textContent).toBe('/srv/www/tmp/upload.part');
    expect(within(detail).getByTestId('backup-run-pruned').textContent).toBe('2026-11-01T023000Z');
    expect(within(detail).getByTestId('backup-run-log').textContent).toContain('file has vanished');
    fireEvent.click(rows[0]!);
    expect(screen.queryByTestId('backup-run-detail')).toBeNull();
  });

  it('loads the runs again when the live job says its last run changed, and follows the run\'s progress', async () => {
    const fake = node([job()]);
    const { context, sockets } = renderInApp(<JobView serverId="web-1" serverName="web-1" online jobId="www-k3x9" />, fake.http);
    await screen.findAllByTestId('backup-run-row');
    context.live.start();
    sockets[0]!.open();
    const runsAsked = () => fake.calls.filter((c) => c.path === `${BASE}/runs`).length;
    expect(runsAsked()).toBe(1);
    const started = run({ id: 'run-7', state: 'running', finishedAt: null, stats: null, trigger: 'manual', by: 'admin' });
    act(() => sockets[0]!.receive({ type: 'backups', serverId: 'web-1', jobs: [job({ status: 'running', lastRun: started })] }));
    await waitFor(() => expect(runsAsked()).toBe(2));
    act(() => sockets[0]!.receive({ type: 'backup-progress', serverId: 'web-1', jobId: 'www-k3x9', progress: progress({ percent: 67 }) }));
    expect(screen.getByTestId('backup-progress').getAttribute('data-percent')).toBe('67');
    // Progress alone is not a new run: nothing asked.
    expect(runsAsked()).toBe(2);
    act(() => sockets[0]!.receive({ type: 'backups', serverId: 'web-1', jobs: [job({ lastRun: { ...started, state: 'succeeded', finishedAt: '2026-12-02T09:01:00Z' } })] }));
    await waitFor(() => expect(runsAsked()).toBe(3));
    expect(screen.queryByTestId('backup-progress')).toBeNull();
  });

  it('trusts an untrusted host key only after showing its fingerprint, and sends exactly that fingerprint', async () => {
    const untrusted = job({ hostKey: hostKey({ trusted: false, trustedFingerprint: null }), lastRun: null, lastGoodAt: null, status: 'never-run' });
    const fake = node([untrusted], (call) => (call.method === 'POST' && call.path === `${BASE}/trust-host-key`
      ? { body: job({ lastRun: null, lastGoodAt: null, status: 'never-run' }) } : undefined));
    renderInApp(<JobView serverId="web-1" serverName="web-1" online jobId="www-k3x9" />, fake.http);
    expect((await screen.findByTestId('backup-host-key-fingerprint')).textContent).toBe(FINGERPRINT);
    expect(screen.getByTestId('backup-host-key').textContent).toContain('ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub');
    expect((screen.getByTestId('backup-run-now') as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(screen.getByTestId('backup-trust-key'));
    const dialog = screen.getByTestId('backup-trust-dialog');
    expect(within(dialog).getByTestId('backup-trust-fingerprint').textContent).toBe(FINGERPRINT);
    expect(posts(fake.calls)).toHaveLength(0);
    fireEvent.click(within(dialog).getByTestId('backup-trust-confirm'));
    await waitFor(() => expect(screen.getByTestId('backup-host-key').getAttribute('data-state')).toBe('trusted'));
    expect(posts(fake.calls)).toEqual([{ method: 'POST', path: `${BASE}/trust-host-key`, body: { fingerprint: FINGERPRINT } }]);
    expect(screen.queryByTestId('backup-trust-dialog')).toBeNull();
    expect((screen.getByTestId('backup-run-now') as HTMLButtonElement).disabled).toBe(false);
  });

  it('shows a changed host key as a warning with both fingerprints, and trusts it only once the change is acknowledged', async () => {
    const changed = job({ status: 'failed', hostKey: hostKey({ trusted: false, changed: true, trustedFingerprint: OLD_FINGERPRINT }) });
    const fake = node([changed], (call) => (call.method === 'POST' ? { body: job() } : undefined));
    renderInApp(<JobView serverId="web-1" serverName="web-1" online jobId="www-k3x9" />, fake.http);
    const warning = await screen.findByTestId('backup-host-key-changed');
    expect(within(warning).getByTestId('backup-host-key-old').textContent).toBe(OLD_FINGERPRINT);
    expect(within(warning).getByTestId('backup-host-key-new').textContent).toBe(FINGERPRINT);
    expect(warning.textContent).toContain('attack');
    expect(warning.textContent).toContain('reinstalled');

    fireEvent.click(screen.getByTestId('backup-trust-key'));
    const dialog = screen.getByTestId('backup-trust-dialog');
    const confirm = within(dialog).getByTestId('backup-trust-confirm') as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.click(confirm);
    expect(posts(fake.calls)).toHaveLength(0);
    fireEvent.click(within(dialog).getByTestId('backup-trust-changed-ack'));
    expect(confirm.disabled).toBe(false);
    fireEvent.click(confirm);
    await waitFor(() => expect(posts(fake.calls)).toEqual([{ method: 'POST', path: `${BASE}/trust-host-key`, body: { fingerprint: FINGERPRINT } }]));
  });

  it('keeps the node\'s refusal of a trust in the dialog', async () => {
    const fake = node([job({ hostKey: hostKey({ trusted: false, trustedFingerprint: null }) })], (call) => (call.method === 'POST'
      ? { status: 409, body: { error: `the fingerprint ${FINGERPRINT} is not the destination's: the agent fetched SHA256:other`, code: 'conflict' } } : undefined));
    renderInApp(<JobView serverId="web-1" serverName="web-1" online jobId="www-k3x9" />, fake.http);
    fireEvent.click(await screen.findByTestId('backup-trust-key'));
    fireEvent.click(screen.getByTestId('backup-trust-confirm'));
    expect((await within(screen.getByTestId('backup-trust-dialog')).findByRole('alert')).textContent).toContain('is not the destination\'s');
  });

  it('shows why the host key could not be fetched', async () => {
    const failed = job({ hostKey: hostKey({ fingerprint: null, type: null, trusted: false, trustedFingerprint: null,
      error: 'ssh-keyscan: connect to nas.lan port 22: Connection refused' }) });
    renderInApp(<JobView serverId="web-1" serverName="web-1" online jobId="www-k3x9" />, node([failed]).http);
    expect((await screen.findByTestId('backup-host-key-error')).textContent).toContain('Connection refused');
    expect(screen.queryByTestId('backup-trust-key')).toBeNull();
  });

  it('browses a snapshot from / with breadcrumbs, asking each directory by its path', async () => {
    const fake = node([job()]);
    renderInApp(<JobView serverId="web-1" serverName="web-1" online jobId="www-k3x9" />, fake.http);
    const snapshots = await screen.findByTestId('backup-snapshots');
    // Newest first.
    expect(within(snapshots).getAllByRole('button').map((b) => b.getAttribute('data-testid')))
      .toEqual(['backup-snapshot-2026-12-02T023001Z', 'backup-snapshot-2026-12-01T023000Z']);
    await browseTo('srv', 'www');
    await screen.findByTestId('backup-tree-entry-index.html');
    expect(treeCalls(fake.calls)).toEqual([
      `${SNAPSHOT}/tree?path=%2F`, `${SNAPSHOT}/tree?path=%2Fsrv`, `${SNAPSHOT}/tree?path=%2Fsrv%2Fwww`]);
    expect(screen.getAllByTestId('backup-tree-crumb').map((c) => [c.textContent, c.getAttribute('data-path')]))
      .toEqual([['/', '/'], ['srv', '/srv'], ['www', '/srv/www']]);
    const row = screen.getAllByTestId('backup-tree-row').find((r) => r.getAttribute('data-name') === 'index.html')!;
    expect(row.textContent).toContain('2.00 KiB');
    expect(row.textContent).toContain('-rw-r--r--');
    expect(screen.getAllByTestId('backup-tree-row').find((r) => r.getAttribute('data-name') === 'current')!.textContent).toContain('→ ../x');

    fireEvent.click(screen.getAllByTestId('backup-tree-crumb')[1]!);
    await screen.findByTestId('backup-tree-entry-www');
    expect(treeCalls(fake.calls).at(-1)).toBe(`${SNAPSHOT}/tree?path=%2Fsrv`);
    fireEvent.click(screen.getAllByTestId('backup-tree-crumb')[0]!);
    await screen.findByTestId('backup-tree-entry-srv');
    expect(treeCalls(fake.calls).at(-1)).toBe(`${SNAPSHOT}/tree?path=%2F`);
    fireEvent.click(screen.getByTestId('backup-tree-source'));
    await screen.findByTestId('backup-tree-entry-index.html');
    expect(treeCalls(fake.calls).at(-1)).toBe(`${SNAPSHOT}/tree?path=%2Fsrv%2Fwww`);
  });

  it('says clearly when the destination is busy or the agent away, and lists again on retry', async () => {
    let answer: Answer | undefined = { status: 409, body: { error: 'a run of www is in progress; the destination is busy until it ends', code: 'conflict' } };
    const fake = node([job()], (call) => (call.path.includes('/tree') ? answer : undefined));
    renderInApp(<JobView serverId="web-1" serverName="web-1" online jobId="www-k3x9" />, fake.http);
    fireEvent.click(await screen.findByTestId(`backup-snapshot-${SNAPSHOT}`));
    let panel = await within(screen.getByTestId('backup-tree')).findByRole('alert');
    expect(panel.textContent).toContain('busy or not ready');
    expect(panel.textContent).toContain('the destination is busy until it ends');
    answer = { status: 503, body: { error: 'the agent is not connected', code: 'not-connected' } };
    fireEvent.click(within(panel).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(within(screen.getByTestId('backup-tree')).getByRole('alert').textContent).toContain('the agent is not connected'));
    panel = within(screen.getByTestId('backup-tree')).getByRole('alert');
    expect(panel.textContent).toContain('Could not list / — the agent is not connected');
    answer = undefined;
    fireEvent.click(within(panel).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByTestId('backup-tree-entry-srv')).toBeTruthy();
  });

  it('restores a file to its original place after warning that it overwrites', async () => {
    const fake = node([job()], (call) => (call.method === 'POST' && call.path === `${BASE}/restore`
      ? { status: 202, body: { restoreId: 'restore-1', state: 'running' } } : undefined));
    renderInApp(<JobView serverId="web-1" serverName="web-1" online jobId="www-k3x9" />, fake.http);
    await browseTo('srv', 'www');
    expect((screen.getByTestId('backup-restore') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(await screen.findByTestId('backup-tree-entry-index.html'));
    expect(screen.getByTestId('backup-tree-selected').textContent).toBe('/srv/www/index.html');
    fireEvent.click(screen.getByTestId('backup-restore'));
    const dialog = screen.getByTestId('backup-restore-dialog');
    expect(within(dialog).getByTestId('backup-restore-overwrite-warning').textContent).toContain('overwrites /srv/www/index.html on web-1');
    fireEvent.click(within(dialog).getByTestId('backup-restore-confirm'));
    await waitFor(() => expect(screen.queryByTestId('backup-restore-dialog')).toBeNull());
    expect(posts(fake.calls)).toEqual([{ method: 'POST', path: `${BASE}/restore`, body: { snapshot: SNAPSHOT, path: '/srv/www/index.html' } }]);
    expect((await screen.findByTestId('backup-restore-result')).getAttribute('data-state')).toBe('running');
  });

  it('restores a directory under a target inside the sources with one confirmation', async () => {
    const fake = node([job()], (call) => (call.method === 'POST' ? { status: 202, body: { restoreId: 'restore-2', state: 'running' } } : undefined));
    renderInApp(<JobView serverId="web-1" serverName="web-1" online jobId="www-k3x9" />, fake.http);
    await browseTo('srv', 'www');
    fireEvent.click(await screen.findByTestId('backup-tree-select-assets'));
    fireEvent.click(screen.getByTestId('backup-restore'));
    fireEvent.change(screen.getByTestId('backup-restore-target'), { target: { value: '/srv/www/restored/' } });
    expect((screen.getByTestId('backup-restore-elsewhere') as HTMLInputElement).checked).toBe(true);
    expect(screen.getByTestId('backup-restore-preview').textContent).toContain('/srv/www/restored/srv/www/assets');
    fireEvent.click(screen.getByTestId('backup-restore-confirm'));
    await waitFor(() => expect(posts(fake.calls)).toHaveLength(1));
    expect(posts(fake.calls)[0]!.body).toEqual({ snapshot: SNAPSHOT, path: '/srv/www/assets', target: '/srv/www/restored' });
  });

  it('asks again before restoring outside the job\'s sources, and only then sends allowOutsideSources', async () => {
    const fake = node([job()], (call) => (call.method === 'POST' ? { status: 202, body: { restoreId: 'restore-3', state: 'running' } } : undefined));
    renderInApp(<JobView serverId="web-1" serverName="web-1" online jobId="www-k3x9" />, fake.http);
    await browseTo('srv', 'www');
    fireEvent.click(await screen.findByTestId('backup-tree-entry-index.html'));
    fireEvent.click(screen.getByTestId('backup-restore'));
    fireEvent.click(screen.getByTestId('backup-restore-elsewhere'));
    fireEvent.change(screen.getByTestId('backup-restore-target'), { target: { value: 'tmp/r' } });
    fireEvent.click(screen.getByTestId('backup-restore-confirm'));
    expect(screen.getByTestId('backup-restore-error').textContent).toContain('not an absolute path');
    fireEvent.change(screen.getByTestId('backup-restore-target'), { target: { value: '/tmp/r' } });
    fireEvent.click(screen.getByTestId('backup-restore-confirm'));
    const second = screen.getByTestId('backup-restore-outside');
    expect(second.textContent).toContain('/tmp/r is outside this job\'s sources (/srv/www)');
    expect(posts(fake.calls)).toHaveLength(0);
    fireEvent.click(screen.getByTestId('backup-restore-outside-confirm'));
    await waitFor(() => expect(posts(fake.calls)).toHaveLength(1));
    expect(posts(fake.calls)[0]!.body).toEqual({ snapshot: SNAPSHOT, path: '/srv/www/index.html', target: '/tmp/r', allowOutsideSources: true });
  });

  it('asks the second question when the node refuses a target as outside the sources', async () => {
    // The node is the one that decides: here it refuses a target the page's own check let through (a source of "/srv").
    const fake = node([job({ sources: ['/srv'] })], (call) => {
      if (call.method !== 'POST') return undefined;
      return (call.body as { allowOutsideSources?: boolean }).allowOutsideSources
        ? { status: 202, body: { restoreId: 'restore-4', state: 'running' } }
        : { status: 400, body: { error: 'target: /srv/old is outside the job\'s sources [/srv]; send "allowOutsideSources": true to restore there', code: 'invalid' } };
    });
    renderInApp(<JobView serverId="web-1" serverName="web-1" online jobId="www-k3x9" />, fake.http);
    await browseTo('srv', 'www');
    fireEvent.click(await screen.findByTestId('backup-tree-entry-index.html'));
    fireEvent.click(screen.getByTestId('backup-restore'));
    fireEvent.change(screen.getByTestId('backup-restore-target'), { target: { value: '/srv/old' } });
    fireEvent.click(screen.getByTestId('backup-restore-confirm'));
    expect(await screen.findByTestId('backup-restore-outside')).toBeTruthy();
    expect(screen.queryByTestId('backup-restore-error')).toBeNull();
    fireEvent.click(screen.getByTestId('backup-restore-outside-confirm'));
    await waitFor(() => expect(screen.queryByTestId('backup-restore-dialog')).toBeNull());
    expect(posts(fake.calls).map((c) => c.body)).toEqual([
      { snapshot: SNAPSHOT, path: '/srv/www/index.html', target: '/srv/old' },
      { snapshot: SNAPSHOT, path: '/srv/www/index.html', target: '/srv/old', allowOutsideSources: true }]);
  });

  it('follows a restore on the live job to its outcome: files and bytes, or the reason', async () => {
    const fake = node([job()], (call) => {
      if (call.method === 'POST') return { status: 202, body: { restoreId: 'restore-5', state: 'running' } };
      if (call.path === `${BASE}/restores/restore-5`) return { body: restore({ id: 'restore-5', target: '/srv/www/old' }) };
      return undefined;
    });
    const { context, sockets } = renderInApp(<JobView serverId="web-1" serverName="web-1" online jobId="www-k3x9" />, fake.http);
    context.live.start();
    sockets[0]!.open();
    await browseTo('srv', 'www');
    fireEvent.click(await screen.findByTestId('backup-tree-entry-index.html'));
    fireEvent.click(screen.getByTestId('backup-restore'));
    fireEvent.change(screen.getByTestId('backup-restore-target'), { target: { value: '/srv/www/old' } });
    fireEvent.click(screen.getByTestId('backup-restore-confirm'));
    const result = await screen.findByTestId('backup-restore-result');
    await waitFor(() => expect(result.textContent).toContain('Restoring /srv/www/index.html to /srv/www/old/srv/www/index.html'));

    const running = restore({ id: 'restore-5', target: '/srv/www/old' });
    act(() => sockets[0]!.receive({ type: 'backups', serverId: 'web-1', jobs: [job({ restores: [running] })] }));
    act(() => sockets[0]!.receive({ type: 'backup-progress', serverId: 'web-1', jobId: 'www-k3x9', progress: progress({ operation: 'restore', percent: 50 }) }));
    expect(screen.getByTestId('backup-progress').getAttribute('data-operation')).toBe('restore');
    expect(screen.getByTestId('backup-restore-row').getAttribute('data-state')).toBe('running');

    act(() => sockets[0]!.receive({ type: 'backups', serverId: 'web-1', jobs: [job({ restores: [{ ...running, state: 'succeeded',
      finishedAt: '2026-12-02T09:00:05Z', files: 1, bytes: 2048, log: ['index.html'] }] })] }));
    expect(screen.getByTestId('backup-restore-result').getAttribute('data-state')).toBe('succeeded');
    expect(screen.getByTestId('backup-restore-result').textContent).toContain('1 file, 2.00 KiB');
    expect(screen.queryByTestId('backup-progress')).toBeNull();

    act(() => sockets[0]!.receive({ type: 'backups', serverId: 'web-1', jobs: [job({ restores: [{ ...running, state: 'failed',
      finishedAt: '2026-12-02T09:00:05Z', failure: 'destination-busy', reason: 'rsync: write failed: No space left on device (28)' }] })] }));
    expect(screen.getByTestId('backup-restore-result').getAttribute('data-state')).toBe('failed');
    expect(screen.getByTestId('backup-restore-result').textContent).toContain('No space left on device');
  });

  it('shows the restore\'s refusal (409) in its dialog', async () => {
    const fake = node([job()], (call) => (call.method === 'POST'
      ? { status: 409, body: { error: 'a run of www is in progress; the destination is busy until it ends', code: 'conflict' } } : undefined));
    renderInApp(<JobView serverId="web-1" serverName="web-1" online jobId="www-k3x9" />, fake.http);
    await browseTo('srv', 'www');
    fireEvent.click(await screen.findByTestId('backup-tree-entry-index.html'));
    fireEvent.click(screen.getByTestId('backup-restore'));
    fireEvent.click(screen.getByTestId('backup-restore-confirm'));
    expect((await screen.findByTestId('backup-restore-error')).textContent).toContain('the destination is busy');
    expect(screen.getByTestId('backup-restore-dialog')).toBeTruthy();
  });

  it('shows viewers the job, its runs and snapshots, and no action', async () => {
    renderInApp(<JobView serverId="web-1" serverName="web-1" online jobId="www-k3x9" />,
      node([job({ hostKey: hostKey({ trusted: false, trustedFingerprint: null }) })]).http, 'VIEWER');
    await screen.findAllByTestId('backup-run-row');
    expect(screen.getByTestId(`backup-snapshot-${SNAPSHOT}`).tagName).toBe('SPAN');
    expect(screen.getByTestId('backup-snapshots').textContent).toContain('Only admins can browse snapshots');
    for (const id of ['backup-run-now', 'edit-backup', 'delete-backup', 'backup-trust-key', 'backup-restore', 'backup-tree']) {
      expect(screen.queryAllByTestId(id), id).toHaveLength(0);
    }
  });

  it('says so when the job does not exist', async () => {
    renderInApp(<JobView serverId="web-1" serverName="web-1" online jobId="gone-1234" />, node([job()]).http);
    expect((await screen.findByTestId('backup-job-missing')).textContent).toContain('web-1 has no backup job gone-1234');
  });

  it('deletes the job from its page and goes back to the list', async () => {
    window.history.replaceState(null, '', '/servers/web-1/backups/www-k3x9');
    const fake = node([job()], (call) => (call.method === 'DELETE' ? { body: { deleted: 'www-k3x9' } } : undefined));
    renderInApp(<JobView serverId="web-1" serverName="web-1" online jobId="www-k3x9" />, fake.http);
    fireEvent.click(await screen.findByTestId('delete-backup'));
    fireEvent.click(screen.getByTestId('backup-delete-confirm'));
    await waitFor(() => expect(window.location.pathname).toBe('/servers/web-1/backups'));
  });
});
