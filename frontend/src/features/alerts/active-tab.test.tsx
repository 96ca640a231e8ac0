import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActiveAlert } from '../../lib/wire';
import { ActiveAlertsTable, ActiveTab } from './active-tab';
import { fakeNode, renderInApp } from '../../test-support';

afterEach(cleanup);

function alert(serverId: string, extra: Partial<ActiveAlert> = {}): ActiveAlert {
  return {
    serverId, serverName: `${serverId}.example`, key: 'rule-disk|disk.percent{mount=/}', ruleId: 'rule-disk', ruleName: 'Disk full',
    series: 'disk.percent{mount=/}', severity: 'critical', phase: 'firing', since: new Date(Date.now() - 300_000).toISOString(),
    value: 93.2, condition: 'disk.percent{mount=/} > 90', acknowledged: null, silencedUntil: null, ...extra,
  };
}

const acked = alert('db-1', { acknowledged: { by: 'alice', at: '2026-11-23T10:00:00Z', comment: 'resizing the volume' } });

describe('ActiveAlertsTable', () => {
  it('renders each alert with its server, value and acknowledgement state', () => {
    render(<ActiveAlertsTable alerts={[alert('web-1'), acked]} canAct onAck={() => {}} onSilence={() => {}} />);
    const rows = screen.getAllByTestId('alert-row');
    expect(rows.map((r) => r.getAttribute('data-server-id'))).toEqual(['web-1', 'db-1']);
    const [open, done] = rows as [HTMLElement, HTMLElement];
    expect(within(open).queryByTestId('alert-acked')).toBeNull();
    expect(within(open).getByTestId('ack-button')).toBeTruthy();
    expect(within(open).getByRole('link', { name: 'web-1.example' }).getAttribute('href')).toBe('/servers/web-1');
    expect(open.textContent).toContain('93 %');
    expect(open.textContent).toContain('5 min ago');
    expect(within(done).getByTestId('alert-acked').textContent).toContain('alice');
    expect(within(done).getByTestId('alert-acked').getAttribute('title')).toContain('resizing the volume');
    expect(within(done).queryByTestId('ack-button')).toBeNull();
  });

  it('names a server, rule or condition the node sent none for by its id, or its series', () => {
    render(<ActiveAlertsTable alerts={[alert('web-1', { serverName: null, ruleName: null, condition: null })]} canAct onAck={() => {}} onSilence={() => {}} />);
    const row = screen.getByTestId('alert-row');
    expect(within(row).getByRole('link', { name: 'web-1' }).getAttribute('title')).toBe('Open web-1');
    expect(row.textContent).toContain('disk.percent{mount=/}');
    expect(row.textContent).toContain('rule-disk');
  });

  it('offers no actions to viewers', () => {
    render(<ActiveAlertsTable alerts={[alert('web-1')]} canAct={false} onAck={() => {}} onSilence={() => {}} />);
    expect(screen.queryByTestId('ack-button')).toBeNull();
  });
});

describe('ActiveTab', () => {
  it('acknowledges with a comment and shows the row as acknowledged', async () => {
    const node = fakeNode((call) => {
      if (call.path === '/api/alerts') return { body: [alert('web-1')] };
      if (call.path === '/api/silences') return { body: [] };
      if (call.path === '/api/servers' || call.path === '/api/alert-rules') return { body: [] };
      if (call.method === 'POST' && call.path === '/api/alerts/ack') {
        return { body: alert('web-1', { acknowledged: { by: 'admin', at: new Date().toISOString(), comment: 'on it' } }) };
      }
      return undefined;
    });
    renderInApp(<ActiveTab />, node.http);
    const row = await screen.findByTestId('alert-row');
    expect(screen.getByText('No active silences — every alert notifies.')).toBeTruthy();
    fireEvent.click(within(row).getByTestId('ack-button'));
    fireEvent.change(screen.getByTestId('ack-comment'), { target: { value: '  on it ' } });
    fireEvent.click(screen.getByTestId('ack-confirm'));
    await waitFor(() => expect(within(screen.getByTestId('alert-row')).getByTestId('alert-acked').textContent).toContain('admin'));
    expect(node.calls.find((c) => c.method === 'POST')).toEqual({
      method: 'POST', path: '/api/alerts/ack', body: { serverId: 'web-1', key: 'rule-disk|disk.percent{mount=/}', comment: 'on it' },
    });
    expect(screen.queryByTestId('ack-dialog')).toBeNull();
  });

  it('says all clear when nothing is active', async () => {
    const node = fakeNode((call) => (call.method === 'GET' ? { body: [] } : undefined));
    renderInApp(<ActiveTab />, node.http);
    expect((await screen.findByTestId('alerts-empty')).textContent).toContain('No active alerts — all clear');
    expect(screen.queryByTestId('alerts-active-table')).toBeNull();
  });

  it('shows a failed load with a retry', async () => {
    let fail = true;
    const node = fakeNode((call) => {
      if (call.path === '/api/alerts') return fail ? { status: 503, body: { error: 'database unavailable' } } : { body: [alert('web-1')] };
      return call.method === 'GET' ? { body: [] } : undefined;
    });
    renderInApp(<ActiveTab />, node.http);
    expect((await screen.findByText('database unavailable')).textContent).toBe('database unavailable');
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByTestId('alert-row')).toBeTruthy();
  });

  it('silences the alert\'s server for the chosen time', async () => {
    const node = fakeNode((call) => {
      if (call.path === '/api/alerts') return { body: [alert('web-1')] };
      if (call.method === 'POST' && call.path === '/api/silences') {
        return { status: 201, body: { id: 's-1', serverId: 'web-1', ruleId: null, until: new Date(Date.now() + 4 * 3600_000 + 30_000).toISOString(),
          comment: 'reboot', by: 'admin', createdAt: new Date().toISOString() } };
      }
      return call.method === 'GET' ? { body: [] } : undefined;
    });
    renderInApp(<ActiveTab />, node.http);
    fireEvent.click(within(await screen.findByTestId('alert-row')).getByTestId('silence-button'));
    fireEvent.click(screen.getByRole('button', { name: '4 h' }));
    fireEvent.change(screen.getByPlaceholderText('Kernel upgrade and reboot'), { target: { value: 'reboot' } });
    fireEvent.click(screen.getByTestId('silence-confirm'));
    const silence = await screen.findByTestId('silence-row');
    expect(silence.textContent).toContain('Server web-1.example');
    expect(silence.textContent).toContain('in 4 h');
    expect(node.calls.find((c) => c.method === 'POST')!.body).toEqual({ serverId: 'web-1', minutes: 240, comment: 'reboot' });
  });
});
