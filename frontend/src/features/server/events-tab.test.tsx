import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerEvent } from '../../lib/wire';
import { describe as sentence, EventsTab } from './events-tab';
import { fakeNode, renderInApp } from '../../test-support';

afterEach(cleanup);

let sequence = 0;
function event(type: string, details: Record<string, unknown> = {}, by?: string): ServerEvent {
  return { sequence: ++sequence, type: type as ServerEvent['type'], at: '2026-12-01T10:00:00Z', details, ...(by === undefined ? {} : { by }) };
}

const alert = { ruleName: 'Disk full', series: 'disk.percent{mount=/}', condition: 'disk.percent{mount=/} > 90', severity: 'CRITICAL' };

describe('event sentences', () => {
  it('has a sentence of its own for every type the node sends', () => {
    const types = ['registered', 'hostname-changed', 'agent-version-changed', 'system-changed', 'renamed', 'regrouped', 'retagged',
      'notes-changed', 'came-online', 'reports-dropped', 'went-offline', 'deleted', 'alert-pending', 'alert-fired', 'alert-cancelled',
      'alert-resolved', 'alert-acknowledged', 'silenced', 'silence-ended', 'service-went-down', 'service-recovered',
      'service-restart-attempted', 'service-restart-failed', 'service-recovery-gave-up', 'service-flapping', 'service-action-requested',
      'service-action-completed', 'auto-restart-changed'];
    for (const type of types) expect(sentence(event(type)), type).not.toBe(type);
  });

  it('says who did it from the entry\'s own "by"', () => {
    expect(sentence(event('service-action-requested', { service: 'worker', action: 'RESTART' }, 'alice'))).toBe('restart of worker requested by alice');
    expect(sentence(event('renamed', { displayName: 'Shop front' }, 'alice'))).toBe('Renamed to "Shop front" by alice');
    expect(sentence(event('auto-restart-changed', { service: 'nginx', enabled: false }, 'bob'))).toBe('Auto-restart of nginx turned off by bob');
    expect(sentence(event('alert-acknowledged', { key: 'k', acknowledgement: { by: 'alice', comment: 'on it' } }, 'alice')))
      .toBe('Alert acknowledged by alice: "on it"');
    expect(sentence(event('went-offline', { lastSeen: null }))).not.toContain(' by ');
  });

  it('names an alert by its rule, condition and severity', () => {
    expect(sentence(event('alert-fired', { alert }))).toBe('Alert firing: Disk full (disk.percent{mount=/} > 90, critical)');
  });

  it('shows an event it does not know yet by its type', () => {
    expect(sentence(event('disk-replaced', { disk: 'sda' }))).toBe('disk-replaced');
  });
});

describe('EventsTab', () => {
  it('draws the timeline coloured by what happened, and loads older events on request', async () => {
    const newest = [event('service-action-requested', { service: 'worker', action: 'RESTART' }, 'admin'), event('went-offline', { lastSeen: null }),
      event('came-online', { intervalMillis: 5000 }), event('disk-replaced')];
    const older = [event('registered', { hostname: 'web-1', agentVersion: '0.1.0' })];
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
