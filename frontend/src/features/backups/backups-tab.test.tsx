import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackupJob, BackupKey } from '../../lib/wire';
import { BackupsTab } from './backups-tab';
import { hostKey, job, progress, run } from './backup-fixtures';
import { fakeNode, renderInApp, type Answer, type Call } from '../../test-support';

afterEach(() => {
  cleanup();
  window.history.replaceState(null, '', '/');
});

const KEY: BackupKey = { enabled: true, publicKey: 'ssh-ed25519 AAAAC3Nza steward-agent@web-1',
  authorizedKeysLine: 'command="/usr/bin/rrsync /srv/backups/web-1",restrict ssh-ed25519 AAAAC3Nza steward-agent@web-1',
  allowSources: ['/srv'], allowDestinations: ['nas.lan'], rsyncVersion: '3.2.7' };

/** A node with `jobs` and the agent's key; `extra` answers anything else first. */
function node(jobs: BackupJob[], extra: (call: Call) => Answer | undefined = () => undefined, key: BackupKey = KEY) {
  return fakeNode((call) => {
    const answer = extra(call);
    if (answer !== undefined) return answer;
    if (call.method === 'GET' && call.path === '/api/servers/web-1/backups') return { body: jobs };
    if (call.method === 'GET' && call.path.startsWith('/api/servers/web-1/backup-key')) return { body: key };
    return undefined;
  });
}

const card = (id: string) => screen.getByTestId(`backup-job-${id}`);
const posts = (calls: Call[]) => calls.filter((c) => c.method !== 'GET');

describe('BackupsTab', () => {
  it('shows each job: route, schedule in words, status, recovery point, next and last run, host key, test restore', async () => {
    const failing = job({ id: 'db-p2q7', name: 'db', status: 'failed', sources: ['/var/lib/postgresql'],
      destination: { host: 'nas.lan', port: 2222, user: 'backup', path: '/b/db' }, schedule: { cron: null, timeZone: null, everyHours: 6 },
      lastGoodAt: null, lastRun: run({ id: 'run-9', state: 'failed', stats: null, failure: 'auth-refused', reason: 'Permission denied (publickey)' }),
      hostKey: hostKey({ trusted: false, trustedFingerprint: null }), verification: null });
    renderInApp(<BackupsTab serverId="web-1" serverName="web-1" online />, node([job(), failing]).http);
    await screen.findByTestId('backup-jobs');

    const www = card('www-k3x9');
    expect(www.getAttribute('data-job-name')).toBe('www');
    expect(within(www).getByTestId('backup-status').textContent).toBe('OK');
    expect(within(www).getByTestId('backup-status').className).toContain('bk-ok');
    expect(www.textContent).toContain('/srv/www → backup@nas.lan:/srv/backups/web-1');
    expect(within(www).getByTestId('backup-schedule').textContent).toBe('daily at 02:30, Europe/Berlin (30 2 * * *)');
    expect(within(www).getByTestId('backup-recovery-point').textContent).toBe('last good 3 h ago');
    expect(within(www).getByTestId('backup-next-run').textContent).toBe('in 2 h 5 min');
    expect(within(www).getByTestId('backup-last-run').textContent).toContain('succeeded');
    expect(within(www).getByTestId('backup-last-run').textContent).toContain('1,204 files, 2.30 GiB (12 changed, 3.10 MiB sent) in 41 s');
    expect(within(www).getByTestId('backup-host-key-state').getAttribute('data-state')).toBe('trusted');
    expect(within(www).getByTestId('backup-verification').textContent).toContain('passed: 200 files checked, 98 % covered');
    expect(within(www).getByTestId('backup-job-link').getAttribute('href')).toBe('/servers/web-1/backups/www-k3x9');

    const db = card('db-p2q7');
    expect(within(db).getByTestId('backup-status').className).toContain('bk-bad');
    expect(within(db).getByTestId('backup-schedule').textContent).toBe('every 6 h');
    expect(db.textContent).toContain('backup@nas.lan:2222:/b/db');
    expect(within(db).getByTestId('backup-recovery-point').textContent).toBe('no good backup yet');
    expect(within(db).getByTestId('backup-last-run').textContent).toContain('Permission denied (publickey)');
    expect(within(db).getByTestId('backup-host-key-state').textContent).toBe('host key not trusted');
    expect(within(db).getByTestId('backup-review-key').getAttribute('href')).toBe('/servers/web-1/backups/db-p2q7');
    expect(within(db).getByTestId('backup-verification').textContent).toBe('no test restore yet');
  });

  it('moves a running job\'s bar with progress frames, and a backups frame replaces the whole list', async () => {
    const running = job({ status: 'running', lastRun: run({ id: 'run-2', state: 'running', finishedAt: null, stats: null, snapshot: null }),
      progress: progress({ percent: 10 }) });
    const { context, sockets } = renderInApp(<BackupsTab serverId="web-1" serverName="web-1" online />, node([running]).http);
    await screen.findByTestId('backup-jobs');
    context.live.start();
    sockets[0]!.open();
    expect(sockets[0]!.sent.map((m) => JSON.parse(m) as unknown)).toContainEqual({ type: 'watch-server', serverId: 'web-1' });
    expect(within(card('www-k3x9')).getByTestId('backup-progress').getAttribute('data-percent')).toBe('10');
    expect((within(card('www-k3x9')).getByTestId('backup-run-now') as HTMLButtonElement).disabled).toBe(true);

    act(() => sockets[0]!.receive({ type: 'backup-progress', serverId: 'web-1', jobId: 'www-k3x9', progress: progress({ percent: 42 }) }));
    const bar = within(card('www-k3x9')).getByTestId('backup-progress');
    expect(bar.getAttribute('data-percent')).toBe('42');
    expect(bar.textContent).toContain('Backing up — transferring: 42 %');
    expect(bar.textContent).toContain('1.20 GiB · 25.0 MiB/s · 1 min left · 120 of 1,204 files');
    // Another server's frame moves nothing.
    act(() => sockets[0]!.receive({ type: 'backup-progress', serverId: 'web-2', jobId: 'www-k3x9', progress: progress({ percent: 90 }) }));
    expect(within(card('www-k3x9')).getByTestId('backup-progress').getAttribute('data-percent')).toBe('42');

    const done = job({ lastRun: run({ id: 'run-2' }) });
    const added = job({ id: 'etc-a1b2', name: 'etc', sources: ['/etc'] });
    act(() => sockets[0]!.receive({ type: 'backups', serverId: 'web-1', jobs: [done, added] }));
    expect([...document.querySelectorAll('article[data-job-id]')].map((e) => e.getAttribute('data-testid'))).toEqual(['backup-job-www-k3x9', 'backup-job-etc-a1b2']);
    expect(within(card('www-k3x9')).queryByTestId('backup-progress')).toBeNull();
    expect(within(card('www-k3x9')).getByTestId('backup-status').textContent).toBe('OK');
    // A late progress frame of the finished run does not bring its bar back.
    act(() => sockets[0]!.receive({ type: 'backup-progress', serverId: 'web-1', jobId: 'www-k3x9', progress: progress({ percent: 99 }) }));
    expect(within(card('www-k3x9')).queryByTestId('backup-progress')).toBeNull();

    act(() => sockets[0]!.receive({ type: 'backups', serverId: 'web-1', jobs: [] }));
    expect(await screen.findByTestId('backups-empty')).toBeTruthy();
  });

  it('does not let a slow reload undo a newer frame', async () => {
    let answer: (jobs: BackupJob[]) => void = () => {};
    let first = true;
    const fake = node([]);
    // The first GET answers at once; the reload waits until the test lets it.
    fake.fetcher.mockImplementation((input) => {
      const path = String(input);
      if (path === '/api/servers/web-1/backups') {
        if (first) {
          first = false;
          return Promise.resolve(new Response(JSON.stringify([job()]), { status: 200 }));
        }
        return new Promise<Response>((resolve) => { answer = (jobs) => resolve(new Response(JSON.stringify(jobs), { status: 200 })); });
      }
      return Promise.resolve(new Response(JSON.stringify(KEY), { status: 200 }));
    });
    const { context, sockets } = renderInApp(<BackupsTab serverId="web-1" serverName="web-1" online />, fake.http);
    await screen.findByTestId('backup-jobs');
    context.live.start();
    sockets[0]!.open();
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    act(() => sockets[0]!.receive({ type: 'backups', serverId: 'web-1', jobs: [job({ name: 'www (renamed)' })] }));
    await act(async () => { answer([job({ name: 'stale' })]); });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Refresh' })).toBeTruthy());
    expect(card('www-k3x9').getAttribute('data-job-name')).toBe('www (renamed)');
  });

  it('runs a job now with a POST and shows the node\'s refusal', async () => {
    const fake = node([job()], (call) => (call.method === 'POST'
      ? { status: 409, body: { error: 'another job is writing to the same destination', code: 'conflict' } } : undefined));
    renderInApp(<BackupsTab serverId="web-1" serverName="web-1" online />, fake.http);
    await screen.findByTestId('backup-jobs');
    const button = within(card('www-k3x9')).getByTestId('backup-run-now') as HTMLButtonElement;
    expect(button.disabled).toBe(false);
    fireEvent.click(button);
    expect((await within(card('www-k3x9')).findByTestId('backup-run-error')).textContent).toBe('another job is writing to the same destination');
    expect(posts(fake.calls)).toEqual([{ method: 'POST', path: '/api/servers/web-1/backups/www-k3x9/run', body: undefined }]);
  });

  it.each([
    ['the agent is away', job(), false, 'not connected'],
    ['the host key is not trusted', job({ hostKey: hostKey({ trusted: false, trustedFingerprint: null }) }), true, 'Trust'],
    ['the host key changed', job({ hostKey: hostKey({ trusted: false, changed: true }) }), true, 'changed'],
    ['a run is going', job({ status: 'running', lastRun: run({ state: 'running', finishedAt: null }) }), true, 'already in progress'],
  ])('does not offer "Run now" while %s, and says why', async (_, blocked, online, reason) => {
    const fake = node([blocked]);
    renderInApp(<BackupsTab serverId="web-1" serverName="web-1" online={online} />, fake.http);
    await screen.findByTestId('backup-jobs');
    const button = within(card('www-k3x9')).getByTestId('backup-run-now') as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.title).toContain(reason);
    expect(within(card('www-k3x9')).getByTestId('backup-run-blocked').textContent).toContain(reason);
  });

  it('shows viewers the jobs and no action at all', async () => {
    renderInApp(<BackupsTab serverId="web-1" serverName="web-1" online />, node([job({ hostKey: hostKey({ trusted: false }) })]).http, 'VIEWER');
    await screen.findByTestId('backup-jobs');
    expect(within(card('www-k3x9')).getByTestId('backup-status')).toBeTruthy();
    for (const id of ['backups-new', 'backup-run-now', 'edit-backup', 'delete-backup', 'backup-review-key']) {
      expect(screen.queryAllByTestId(id), id).toHaveLength(0);
    }
  });

  it('deletes a job only after the confirmation, saying the snapshots stay', async () => {
    const fake = node([job()], (call) => (call.method === 'DELETE' ? { body: { deleted: 'www-k3x9' } } : undefined));
    renderInApp(<BackupsTab serverId="web-1" serverName="web-1" online />, fake.http);
    await screen.findByTestId('backup-jobs');
    fireEvent.click(within(card('www-k3x9')).getByTestId('delete-backup'));
    const dialog = screen.getByTestId('backup-delete-dialog');
    expect(dialog.textContent).toContain('Delete the backup job www?');
    expect(dialog.textContent).toContain('2 snapshots already in backup@nas.lan:/srv/backups/web-1 stay there');
    expect(posts(fake.calls)).toHaveLength(0);
    fireEvent.click(within(dialog).getByTestId('backup-delete-confirm'));
    expect(await screen.findByTestId('backups-empty')).toBeTruthy();
    expect(posts(fake.calls)).toEqual([{ method: 'DELETE', path: '/api/servers/web-1/backups/www-k3x9', body: undefined }]);
  });

  it('creates a job from the form and opens its page for the next steps', async () => {
    const created = job({ id: 'www-n3w1', status: 'never-run', lastRun: null, lastGoodAt: null, hostKey: null, snapshots: [] });
    const fake = node([], (call) => (call.method === 'POST' ? { status: 201, body: created } : undefined));
    renderInApp(<BackupsTab serverId="web-1" serverName="web-1" online />, fake.http);
    fireEvent.click(await screen.findByTestId('backups-new'));
    fireEvent.change(screen.getByTestId('backup-form-name'), { target: { value: 'www' } });
    fireEvent.change(screen.getByTestId('backup-form-sources'), { target: { value: '/srv/www' } });
    fireEvent.change(screen.getByTestId('backup-form-host'), { target: { value: 'nas.lan' } });
    fireEvent.change(screen.getByTestId('backup-form-user'), { target: { value: 'backup' } });
    fireEvent.click(screen.getByTestId('backup-form-save'));
    await waitFor(() => expect(window.location.pathname).toBe('/servers/web-1/backups/www-n3w1'));
    expect(posts(fake.calls)[0]).toMatchObject({ method: 'POST', path: '/api/servers/web-1/backups' });
  });

  it('explains backup jobs when there are none, with the setup panel open', async () => {
    renderInApp(<BackupsTab serverId="web-1" serverName="web-1" online />, node([]).http);
    const empty = await screen.findByTestId('backups-empty');
    expect(empty.textContent).toContain('A backup job copies directories of this server');
    const setup = await screen.findByTestId('backup-setup');
    expect((await within(setup).findByTestId('backup-public-key')).textContent).toBe(KEY.publicKey);
    expect(within(setup).getByTestId('backup-key-line').textContent).toBe(KEY.authorizedKeysLine);
    expect(within(setup).getByTestId('backup-allow-sources').textContent).toBe('/srv');
    expect(within(setup).getByTestId('backup-allow-destinations').textContent).toBe('nas.lan');
    expect(within(setup).getByTestId('backup-setup-steps').textContent).toContain('authorized_keys');
    fireEvent.click(screen.getByTestId('backups-setup-toggle'));
    expect(screen.queryByTestId('backup-setup')).toBeNull();
    fireEvent.click(screen.getByTestId('backups-open-setup'));
    expect(screen.getByTestId('backup-setup')).toBeTruthy();
  });

  it('asks the authorized_keys line for another destination directory', async () => {
    const fake = node([job()]);
    renderInApp(<BackupsTab serverId="web-1" serverName="web-1" online />, fake.http);
    await screen.findByTestId('backup-jobs');
    expect(screen.queryByTestId('backup-setup')).toBeNull();
    fireEvent.click(screen.getByTestId('backups-setup-toggle'));
    const path = await screen.findByTestId('backup-key-path');
    fireEvent.change(path, { target: { value: '/data/web 1' } });
    fireEvent.submit(path.closest('form')!);
    await waitFor(() => expect(fake.calls.map((c) => c.path)).toContain('/api/servers/web-1/backup-key?path=%2Fdata%2Fweb+1'));
  });

  it('says how to switch backups on when the agent runs none', async () => {
    renderInApp(<BackupsTab serverId="web-1" serverName="web-1" online />,
      node([job()], () => undefined, { ...KEY, enabled: false, publicKey: null, authorizedKeysLine: null, allowSources: [], allowDestinations: [] }).http);
    const off = await screen.findByTestId('backup-agent-disabled');
    expect(off.textContent).toContain('--backups FILE');
    expect(off.textContent).toContain('"allowSources"');
    expect(off.textContent).toContain('"allowDestinations"');
  });
});
