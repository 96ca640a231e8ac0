import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerEvent, ServerEventAlert, ServerEventDetails, ServerEventType } from '../../lib/wire';
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

  it('shows an event it does not know yet by its type', () => {
    expect(sentence(fromNewerNode('disk-replaced'))).toBe('disk-replaced');
  });
});

describe('EventsTab', () => {
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
