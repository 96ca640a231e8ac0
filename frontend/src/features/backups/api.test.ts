import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/http';
import {
  backupKey, createBackupJob, deleteBackupJob, listBackupJobs, listBackupRuns, restoreStatus, runBackupNow, snapshotTree, startRestore,
  trustHostKey, updateBackupJob,
} from './api';
import { fakeNode } from '../../test-support';

describe('backup calls', () => {
  it('go to the server\'s backups with their bodies, ids and snapshot escaped, the tree\'s path as a query', async () => {
    const node = fakeNode(() => ({ body: {} }));
    const http = node.http;
    const input = { name: 'www', sources: ['/srv/www'], destination: { host: 'nas.lan', port: 22, user: 'backup', path: '/b' }, schedule: { everyHours: 6 } };
    await listBackupJobs(http, 'web 1');
    await createBackupJob(http, 'web 1', input);
    await updateBackupJob(http, 'web 1', 'www-k3x9', input);
    await deleteBackupJob(http, 'web 1', 'www-k3x9');
    await runBackupNow(http, 'web 1', 'www-k3x9');
    await listBackupRuns(http, 'web 1', 'www-k3x9');
    await trustHostKey(http, 'web 1', 'www-k3x9', 'SHA256:abc+/=');
    await snapshotTree(http, 'web 1', 'www-k3x9', '2026-12-02T083000Z', '/srv/www/a b&c');
    await startRestore(http, 'web 1', 'www-k3x9', { snapshot: '2026-12-02T083000Z', path: '/srv/www/a.html', target: '/tmp/r', allowOutsideSources: true });
    await restoreStatus(http, 'web 1', 'www-k3x9', 'restore-1');
    await backupKey(http, 'web 1');
    await backupKey(http, 'web 1', '/srv/backups/web 1');
    expect(node.calls).toEqual([
      { method: 'GET', path: '/api/servers/web%201/backups', body: undefined },
      { method: 'POST', path: '/api/servers/web%201/backups', body: input },
      { method: 'PUT', path: '/api/servers/web%201/backups/www-k3x9', body: input },
      { method: 'DELETE', path: '/api/servers/web%201/backups/www-k3x9', body: undefined },
      { method: 'POST', path: '/api/servers/web%201/backups/www-k3x9/run', body: undefined },
      { method: 'GET', path: '/api/servers/web%201/backups/www-k3x9/runs', body: undefined },
      { method: 'POST', path: '/api/servers/web%201/backups/www-k3x9/trust-host-key', body: { fingerprint: 'SHA256:abc+/=' } },
      { method: 'GET', path: '/api/servers/web%201/backups/www-k3x9/snapshots/2026-12-02T083000Z/tree?path=%2Fsrv%2Fwww%2Fa+b%26c', body: undefined },
      { method: 'POST', path: '/api/servers/web%201/backups/www-k3x9/restore',
        body: { snapshot: '2026-12-02T083000Z', path: '/srv/www/a.html', target: '/tmp/r', allowOutsideSources: true } },
      { method: 'GET', path: '/api/servers/web%201/backups/www-k3x9/restores/restore-1', body: undefined },
      { method: 'GET', path: '/api/servers/web%201/backup-key', body: undefined },
      { method: 'GET', path: '/api/servers/web%201/backup-key?path=%2Fsrv%2Fbackups%2Fweb+1', body: undefined },
    ]);
  });

  it('turn the node\'s refusals into typed errors with their codes', async () => {
    const node = fakeNode((call) => {
      if (call.path.endsWith('/run')) return { status: 503, body: { error: 'the agent is not connected', code: 'not-connected' } };
      if (call.path.includes('/tree')) return { status: 409, body: { error: 'a run of www is in progress; the destination is busy until it ends', code: 'conflict' } };
      if (call.method === 'POST') return { status: 400, body: { error: "sources[1]: '/srv/../x' must not contain '.' or '..'", code: 'invalid' } };
      return undefined;
    });
    await expect(runBackupNow(node.http, 'web-1', 'www')).rejects.toMatchObject({ status: 503, code: 'not-connected' });
    await expect(snapshotTree(node.http, 'web-1', 'www', 's', '/')).rejects.toMatchObject({ status: 409, code: 'conflict',
      message: expect.stringContaining('destination is busy') });
    const refused = createBackupJob(node.http, 'web-1', { name: 'x' });
    await expect(refused).rejects.toBeInstanceOf(ApiError);
    await expect(refused).rejects.toMatchObject({ status: 400, code: 'invalid', message: "sources[1]: '/srv/../x' must not contain '.' or '..'" });
  });
});
