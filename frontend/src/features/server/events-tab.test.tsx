import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerEvent, ServerEventAlert, ServerEventDetails, ServerEventType, ServerHistoryBackupJobSettings } from '../../lib/wire';
import { describe as sentence, EventsTab, type DetailsOf } from './events-tab';
import { fakeNode, renderInApp } from '../../test-support';

afterEach(cleanup);

let sequence = 0;

/** An entry as the node sends it: the details of its type, and who did it (null when nobody did). */
function entry<T extends ServerEventType>(type: T, details: DetailsOf[T], by: string | null = null): ServerEvent {
  return { sequence: ++sequence, type, at: '2026-12-01T10:00:00Z', by, details };
}

/** An entry of a type this page does not know: what a page left open across an upgrade of its node may meet. */
function fromNewerNode(type: string): ServerEvent {
  return { sequence: ++sequence, type: type as ServerEventType, at: '2026-12-01T10:00:00Z', by: null,
    details: { disk: 'sda' } as unknown as ServerEventDetails };
}

const alert: ServerEventAlert = {
  ruleId: 'disk-full', ruleName: 'Disk full', series: 'disk.percent{mount=/}', severity: 'critical', phase: 'firing',
  since: '2026-12-01T09:55:00Z', value: 93.5, condition: 'disk.percent{mount=/} > 90', acknowledged: null,
};
const system = { osName: 'Debian GNU/Linux', osVersion: '12', kernel: '6.1.0-28-amd64', architecture: 'amd64', cpuModel: 'Xeon',
  logicalCpus: 4, addresses: ['192.0.2.7'] };
const subject = { name: 'web-1', group: 'prod', tags: ['nginx'] };
const settings: ServerHistoryBackupJobSettings = {
  name: 'www', sources: ['/srv/www', '/etc/nginx'], excludes: ['*.tmp'],
  destination: { host: 'nas.lan', port: 22, user: 'backup', path: '/srv/backups/web-1' },
  schedule: { cron: '30 2 * * *', timeZone: 'Europe/Berlin', everyHours: null },
  retention: { keepLast: 7, daily: 7, weekly: 4, monthly: 12 }, bandwidthKiBps: null, timeout: null, enabled: true, verifyEveryHours: 24,
};

/** One entry of every type, with details as the node sends them, and what the page says of it. */
const GOLDEN: { [T in ServerEventType]: { details: DetailsOf[T]; by?: string; says: string } } = {
  registered: { details: { hostname: 'web-1', machineId: 'm-1', agentVersion: null }, says: 'Registered as web-1 (agent —)' },
  deleted: { details: { by: 'carol' }, by: 'carol', says: 'Deleted by carol' },
  'hostname-changed': { details: { from: 'web-1', to: 'web-01' }, says: 'Hostname changed from web-1 to web-01' },
  'agent-version-changed': { details: { from: '0.1.0', to: '0.2.0' }, says: 'Agent upgraded from 0.1.0 to 0.2.0' },
  'system-changed': { details: { from: null, to: system }, says: 'System detected: Debian GNU/Linux 12, kernel 6.1.0-28-amd64' },
  renamed: { details: { displayName: null, by: 'alice' }, by: 'alice', says: 'Display name cleared by alice' },
  regrouped: { details: { group: 'prod', by: 'alice' }, by: 'alice', says: 'Moved to group prod by alice' },
  retagged: { details: { tags: [], by: 'alice' }, by: 'alice', says: 'Tags set to none by alice' },
  'notes-changed': { details: { notes: 'x', by: 'alice' }, by: 'alice', says: 'Notes edited by alice' },
  'came-online': { details: { intervalMillis: 5000 }, says: 'Came online (reporting every 5 s)' },
  'reports-dropped': { details: { count: 12 }, says: "The agent's spool overflowed: 12 reports lost" },
  'went-offline': { details: { lastSeen: null }, says: 'Went offline (last report —)' },
  'alert-pending': { details: { alert, subject }, says: 'Alert pending: Disk full (disk.percent{mount=/} > 90, critical)' },
  'alert-fired': { details: { alert, subject: null }, says: 'Alert firing: Disk full (disk.percent{mount=/} > 90, critical)' },
  'alert-cancelled': { details: { alert: { ...alert, ruleName: null, condition: null }, value: null },
    says: 'Alert no longer pending: alert (disk.percent{mount=/}, critical)' },
  'alert-resolved': { details: { alert, value: 41, reason: 'recovered', subject },
    says: 'Alert resolved (recovered): Disk full (disk.percent{mount=/} > 90, critical)' },
  'alert-acknowledged': { details: { key: 'k', acknowledgement: { by: 'alice', at: '2026-12-01T10:00:00Z', comment: 'on it' } }, by: 'alice',
    says: 'Alert acknowledged by alice: "on it"' },
  silenced: { details: { silenceId: 's-1', until: '2026-12-01T12:00:00Z', by: 'bob', comment: null }, by: 'bob',
    says: `Notifications silenced until ${new Date('2026-12-01T12:00:00Z').toLocaleString()} by bob` },
  'silence-ended': { details: { silenceId: 's-1', by: 'bob' }, by: 'bob', says: 'Silence ended by bob' },
  'service-went-down': { details: { service: 'nginx', detail: null }, says: 'Service nginx went down (—)' },
  'service-recovered': { details: { service: 'nginx', attempts: 1 }, says: 'Service nginx running again after 1 restart attempt' },
  'service-restart-attempted': { details: { service: 'nginx', attempt: 2 }, says: 'Restarting service nginx (attempt 2)' },
  'service-restart-failed': { details: { service: 'nginx', attempt: 2, reason: 'exit 1', nextAttemptAt: '2026-12-01T10:01:00Z' },
    says: `Restart 2 of nginx failed: exit 1; next at ${new Date('2026-12-01T10:01:00Z').toLocaleString()}` },
  'service-recovery-gave-up': { details: { service: 'app', attempts: 5, reason: 'exit 1' }, says: 'Gave up restarting app after 5 attempts: exit 1' },
  'service-flapping': { details: { service: 'app', restartsInWindow: 4 },
    says: 'Service app is flapping (4 restarts recently): no longer restarted automatically' },
  'service-action-requested': { details: { service: 'worker', action: 'RESTART', by: 'alice' }, by: 'alice',
    says: 'restart of worker requested by alice' },
  'service-action-completed': { details: { service: 'worker', action: 'STOP', result: 'DONE', message: 'stopped', by: 'alice' }, by: 'alice',
    says: 'stop of worker: DONE (stopped)' },
  'auto-restart-changed': { details: { service: 'nginx', enabled: false, by: 'bob' }, by: 'bob', says: 'Auto-restart of nginx turned off by bob' },
  'backup-job-created': { details: { jobId: 'www-k3x9', settings, by: 'alice' }, by: 'alice',
    says: 'Backup job www created by alice: /srv/www, /etc/nginx → backup@nas.lan:/srv/backups/web-1, cron 30 2 * * * (Europe/Berlin)' },
  'backup-job-updated': { details: { jobId: 'www-k3x9', by: 'alice', destinationChanged: true,
    settings: { ...settings, destination: { host: 'nas2.lan', port: 2222, user: 'backup', path: '/b' }, schedule: { cron: null, timeZone: null, everyHours: 6 } } },
  by: 'alice', says: 'Backup job www changed by alice: new destination backup@nas2.lan:2222:/b, its host key to be trusted' },
  'backup-job-deleted': { details: { jobId: 'www-k3x9', by: 'carol' }, by: 'carol', says: 'Backup job www-k3x9 deleted by carol' },
  'backup-host-key-seen': { details: { jobId: 'www-k3x9', fingerprint: 'SHA256:abc', type: 'ssh-ed25519' },
    says: 'Backup www-k3x9: destination host key fetched (ssh-ed25519 SHA256:abc)' },
  'backup-host-key-unavailable': { details: { jobId: 'www-k3x9', reason: 'connection refused' },
    says: "Backup www-k3x9: could not fetch the destination's host key: connection refused" },
  'backup-host-key-trusted': { details: { jobId: 'www-k3x9', fingerprint: 'SHA256:abc', by: 'alice' }, by: 'alice',
    says: 'Backup www-k3x9: destination host key SHA256:abc trusted by alice' },
  'backup-host-key-changed': { details: { jobId: 'www-k3x9', expectedFingerprint: 'SHA256:abc' },
    says: "Backup www-k3x9: the destination's host key CHANGED (trusted was SHA256:abc); runs stopped until it is reviewed" },
  'backup-started': { details: { jobId: 'www-k3x9', runId: 'r-1', snapshot: '2026-12-02T083000Z', trigger: 'manual', dueFor: null, by: 'alice' },
    by: 'alice', says: 'Backup www-k3x9 started manually by alice' },
  'backup-completed': { details: { jobId: 'www-k3x9', runId: 'r-1', warning: false, snapshot: '2026-12-02T083000Z', problemFiles: [], log: [],
    stats: { filesTotal: 1204, filesTransferred: 12, totalBytes: 2469606195, bytesTransferred: 1048576, durationSeconds: 41.2, exitCode: 0 } },
  says: 'Backup www-k3x9 completed: 1,204 files, 2.30 GiB (12 changed) in 41 s' },
  'backup-failed': { details: { jobId: 'www-k3x9', runId: 'r-2', failure: 'auth-refused', reason: 'Permission denied (publickey)', log: [] },
    says: 'Backup www-k3x9 failed: Permission denied (publickey)' },
  'backup-refused': { details: { jobId: 'www-k3x9', runId: null, failure: 'host-key-unknown', reason: 'the host key is not trusted', dueFor: null },
    says: 'Backup www-k3x9 refused: the host key is not trusted' },
  'backup-missed': { details: { jobId: 'www-k3x9', count: 3, first: '2026-12-01T02:30:00Z', last: '2026-12-03T02:30:00Z', reason: 'the agent was not connected' },
    says: `Backup www-k3x9 missed 3 runs (due ${new Date('2026-12-01T02:30:00Z').toLocaleString()} to ${new Date('2026-12-03T02:30:00Z').toLocaleString()}): the agent was not connected` },
  'backup-pruned': { details: { jobId: 'www-k3x9', runId: 'r-1', snapshots: ['2026-11-01T023000Z', '2026-11-02T023000Z'] },
    says: 'Backup www-k3x9: 2 old snapshots deleted by retention (2026-11-01T023000Z, 2026-11-02T023000Z)' },
  'backup-restore-started': { details: { jobId: 'www-k3x9', restoreId: 'x-1', snapshot: '2026-12-02T083000Z', path: '/srv/www/a.html', target: '/tmp/r', by: 'alice' },
    by: 'alice', says: 'Restore of /srv/www/a.html from backup www-k3x9 (2026-12-02T083000Z) to /tmp/r started by alice' },
  'backup-restore-finished': { details: { jobId: 'www-k3x9', restoreId: 'x-1', ok: true, failure: null, reason: null, files: 1, bytes: 2048, log: [] },
    says: 'Restore x-1 of backup www-k3x9 finished: 1 file, 2.00 KiB' },
  'backup-verified': { details: { jobId: 'www-k3x9', verifyId: 'v-1', ok: false, failure: 'mismatch', reason: null, snapshot: '2026-12-02T083000Z',
    checked: 200, skippedChanged: 3, mismatched: ['/srv/www/a.html', '/srv/www/b.html'], coveragePercent: 80 },
  says: 'Test restore of backup www-k3x9 FAILED: 2 files differ' },
  'backup-agent-changed': { details: { enabled: true, publicKey: 'ssh-ed25519 AAAA steward', allowSources: ['/srv'], allowDestinations: ['nas.lan'] },
    says: 'Agent backups on: sources /srv; destinations nas.lan' },
  're-enrollment-requested': { details: { requestId: 'ree-1', hostname: 'web-01', remote: '203.0.113.7:5123', needsApproval: true },
    says: "This machine enrolled again as web-01 from 203.0.113.7:5123 while its agent was reporting: waits for an admin's approval" },
  're-enrollment-approved': { details: { requestId: 'ree-1', by: 'alice' }, by: 'alice',
    says: 'Re-enrollment ree-1 approved by alice: the old credential was revoked' },
  're-enrollment-denied': { details: { requestId: 'ree-1', by: 'alice' }, by: 'alice', says: 'Re-enrollment ree-1 denied by alice' },
  'credential-revoked': { details: { by: 'alice' }, by: 'alice', says: 'Agent credential revoked by alice' },
};

describe('event sentences', () => {
  it('has a sentence of its own for every type the node sends', () => {
    for (const type of Object.keys(GOLDEN) as ServerEventType[]) {
      const golden = GOLDEN[type];
      expect(sentence(entry(type, golden.details, golden.by)), type).toBe(golden.says);
    }
  });

  it('says who did it only when a person did', () => {
    expect(sentence(entry('renamed', { displayName: 'Shop front', by: 'alice' }, 'alice'))).toBe('Renamed to "Shop front" by alice');
    expect(sentence(entry('went-offline', { lastSeen: '2026-12-01T09:59:00Z' }))).not.toContain(' by ');
  });

  it('says the other outcomes of backup entries too', () => {
    expect(sentence(entry('backup-restore-finished', { jobId: 'www-k3x9', restoreId: 'x-2', ok: false, failure: 'unreachable',
      reason: 'ssh: connect to host nas.lan port 22: No route to host', files: 0, bytes: 0, log: [] })))
      .toBe('Restore x-2 of backup www-k3x9 failed: ssh: connect to host nas.lan port 22: No route to host');
    expect(sentence(entry('backup-verified', { jobId: 'www-k3x9', verifyId: 'v-2', ok: true, failure: null, reason: null,
      snapshot: null, checked: 1204, skippedChanged: 0, mismatched: [], coveragePercent: 98.4 })))
      .toBe('Test restore of backup www-k3x9 passed: 1,204 files checked, 98 % covered');
    expect(sentence(entry('backup-started', { jobId: 'www-k3x9', runId: 'r-3', snapshot: 's', trigger: 'schedule', dueFor: null, by: null })))
      .toBe('Backup www-k3x9 started on schedule');
    expect(sentence(entry('backup-completed', { jobId: 'www-k3x9', runId: 'r-4', warning: true, snapshot: 's', log: [],
      problemFiles: ['/srv/www/tmp.lock'], stats: { filesTotal: 1, filesTransferred: 1, totalBytes: 10, bytesTransferred: 10, durationSeconds: 2, exitCode: 24 } })))
      .toBe('Backup www-k3x9 completed with warnings: 1 file, 10 B (1 changed) in 2 s; 1 file vanished or unreadable');
    expect(sentence(entry('backup-missed', { jobId: 'www-k3x9', count: 1, first: '2026-12-01T02:30:00Z', last: '2026-12-01T02:30:00Z',
      reason: 'the agent was not connected' })))
      .toBe(`Backup www-k3x9 missed the run due ${new Date('2026-12-01T02:30:00Z').toLocaleString()}: the agent was not connected`);
    expect(sentence(entry('backup-agent-changed', { enabled: false, publicKey: null, allowSources: [], allowDestinations: [] })))
      .toBe('Agent backups off (started without --backups)');
  });

  it('shows an event it does not know yet by its type', () => {
    expect(sentence(fromNewerNode('disk-replaced'))).toBe('disk-replaced');
  });
});

describe('EventsTab', () => {
  it('colours restores and test restores by how they went, and failed backups red', async () => {
    const verified = (ok: boolean) => entry('backup-verified', { jobId: 'j', verifyId: 'v', ok, failure: null, reason: null, snapshot: null,
      checked: 1, skippedChanged: 0, mismatched: [], coveragePercent: 100 });
    const events = [verified(true), verified(false),
      entry('backup-restore-finished', { jobId: 'j', restoreId: 'x', ok: false, failure: null, reason: 'disk full', files: 0, bytes: 0, log: [] }),
      entry('backup-failed', { jobId: 'j', runId: 'r', failure: null, reason: 'rsync exit 23', log: [] }),
      entry('backup-host-key-changed', { jobId: 'j', expectedFingerprint: 'SHA256:old' })];
    renderInApp(<EventsTab serverId="web-1" />, fakeNode(() => ({ body: { events, nextBefore: null } })).http);
    const timeline = await screen.findByTestId('event-timeline');
    expect([...timeline.querySelectorAll('li')].map((li) => li.className)).toEqual([
      'event event-good', 'event event-bad', 'event event-bad', 'event event-bad', 'event event-bad']);
  });

  it('draws the timeline coloured by what happened, and loads older events on request', async () => {
    const newest = [entry('service-action-requested', { service: 'worker', action: 'RESTART', by: 'admin' }, 'admin'),
      entry('went-offline', { lastSeen: null }), entry('came-online', { intervalMillis: 5000 }), fromNewerNode('disk-replaced')];
    const older = [entry('registered', { hostname: 'web-1', machineId: null, agentVersion: '0.1.0' })];
    const node = fakeNode((call) => {
      if (call.path === '/api/servers/web-1/events?limit=50') return { body: { events: newest, nextBefore: 2 } };
      if (call.path === '/api/servers/web-1/events?limit=50&before=2') return { body: { events: older, nextBefore: null } };
      return undefined;
    });
    renderInApp(<EventsTab serverId="web-1" />, node.http);
    const timeline = await screen.findByTestId('event-timeline');
    const items = () => [...timeline.querySelectorAll('li')];
    expect(items().map((li) => li.className)).toEqual(['event event-neutral', 'event event-bad', 'event event-good', 'event event-neutral']);
    expect(timeline.textContent).toContain('restart of worker requested by admin');
    expect(timeline.textContent).toContain('Came online (reporting every 5 s)');
    expect(items()[3]!.textContent).toContain('disk-replaced');

    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByText('Registered as web-1 (agent 0.1.0)')).toBeTruthy();
    expect(items()).toHaveLength(5);
    expect(items()[4]!.className).toBe('event event-good');
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });
});
