import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { InboxItem } from '../../lib/wire';
import { Bell } from './bell';
import { fakeNode, renderInApp } from '../../test-support';

afterEach(cleanup);

const item = (id: number, extra: Partial<InboxItem> = {}): InboxItem => ({
  id, at: new Date().toISOString(), serverId: 'web-1', serverName: 'web-1', severity: 'critical', kind: 'firing',
  text: `CPU above 90 % (${id})`, ...extra,
});

describe('Bell', () => {
  it('shows the unread count, lists items linking to their server and marks all read', async () => {
    let unread = 2;
    const node = fakeNode((call) => {
      if (call.path === '/api/inbox') return { body: { unread, items: [item(2), item(1)] } };
      if (call.path === '/api/inbox/read') { unread = 0; return { body: { unread: 0 } }; }
      return undefined;
    });
    const { inbox } = renderInApp(<Bell />, node.http);
    expect(screen.queryByTestId('bell-count')).toBeNull();
    await act(() => inbox.reload());
    expect(screen.getByTestId('bell-count').textContent).toBe('2');

    fireEvent.click(screen.getByTestId('bell'));
    const items = screen.getAllByTestId('bell-item');
    expect(items).toHaveLength(2);
    expect(items[0]!.querySelector('a')!.getAttribute('href')).toBe('/servers/web-1');
    expect(items[0]!.className).toContain('unread');

    fireEvent.click(screen.getByTestId('bell-mark-read'));
    await waitFor(() => expect(screen.queryByTestId('bell-count')).toBeNull());
    expect(node.calls.at(-1)!.body).toEqual({ upTo: 2 });
    expect(screen.getAllByTestId('bell-item')[0]!.className).not.toContain('unread');
  });

  it('links a failing channel to the channels page', async () => {
    const node = fakeNode(() => ({ body: { unread: 1, items: [item(5, { kind: 'channel-failing', serverId: null, serverName: null, severity: 'warning',
      text: 'Channel On-call is failing: connection refused' })] } }));
    const { inbox } = renderInApp(<Bell />, node.http);
    await act(() => inbox.reload());
    fireEvent.click(screen.getByTestId('bell'));
    expect(screen.getByTestId('bell-item').querySelector('a')!.getAttribute('href')).toBe('/alerts/channels');
  });

  it('shows a notifier error as the node\'s own failure, leading to the server it concerns', async () => {
    const node = fakeNode(() => ({ body: { unread: 1, items: [item(9, { kind: 'notifier-error', serverId: 'web-1', serverName: null, severity: 'warning',
      text: 'An alert event could not be recorded (see the node log)' })] } }));
    const { inbox } = renderInApp(<Bell />, node.http);
    await act(() => inbox.reload());
    fireEvent.click(screen.getByTestId('bell'));
    const line = screen.getByTestId('bell-item');
    expect(line.getAttribute('data-kind')).toBe('notifier-error');
    expect(line.textContent).toContain('An alert event could not be recorded (see the node log)');
    expect(line.textContent).toContain('Steward notifier · web-1');
    expect(line.querySelector('a')!.getAttribute('href')).toBe('/servers/web-1');
    expect(line.querySelector('a')!.getAttribute('title')).toContain('node log');
    expect(line.querySelector('.sev-warn')).not.toBeNull();
  });
});
