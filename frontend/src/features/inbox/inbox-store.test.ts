import { describe, expect, it } from 'vitest';
import type { InboxItem } from '../../lib/wire';
import { applyInboxItem, applyInboxSnapshot, EMPTY_INBOX, INBOX_LIMIT, InboxStore, isUnread } from './inbox-store';
import { fakeLive, fakeNode } from '../../test-support';

function item(id: number, extra: Partial<InboxItem> = {}): InboxItem {
  return { id, at: '2026-11-23T10:00:00Z', serverId: 'web-1', serverName: 'web-1', severity: 'critical', kind: 'firing',
    text: `item ${id}`, ...extra };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('inbox state', () => {
  it('counts new pushed items as unread, once each, newest first', () => {
    let state = applyInboxSnapshot(EMPTY_INBOX, { unread: 1, items: [item(2), item(1)] });
    expect(state.unread).toBe(1);
    state = applyInboxItem(state, item(3));
    expect(state.unread).toBe(2);
    expect(state.items.map((i) => i.id)).toEqual([3, 2, 1]);
    expect(applyInboxItem(state, item(3))).toBe(state);
    expect([0, 1, 2].map((index) => isUnread(state, index))).toEqual([true, true, false]);
  });

  it('keeps items pushed before the snapshot arrived, and only those newer than it', () => {
    let state = applyInboxItem(EMPTY_INBOX, item(5));
    state = applyInboxItem(state, item(4));
    state = applyInboxSnapshot(state, { unread: 2, items: [item(4), item(3), item(2)] });
    expect(state.items.map((i) => i.id)).toEqual([5, 4, 3, 2]);
    expect(state.unread).toBe(3);
    expect(state.loaded).toBe(true);
  });

  it('holds at most the newest 50', () => {
    let state = applyInboxSnapshot(EMPTY_INBOX, { unread: 0, items: Array.from({ length: INBOX_LIMIT }, (_, i) => item(INBOX_LIMIT - i)) });
    state = applyInboxItem(state, item(100));
    expect(state.items).toHaveLength(INBOX_LIMIT);
    expect(state.items[0]!.id).toBe(100);
    expect(state.items.at(-1)!.id).toBe(2);
  });
});

describe('InboxStore', () => {
  it('loads, applies live inbox frames from the socket and marks all read up to the newest', async () => {
    const node = fakeNode((call) => {
      if (call.method === 'GET' && call.path === '/api/inbox') return { body: { unread: 1, items: [item(7), item(6)] } };
      if (call.method === 'POST' && call.path === '/api/inbox/read') return { body: { unread: 0 } };
      return undefined;
    });
    const { live, sockets } = fakeLive();
    const store = new InboxStore(node.http, live);
    let notified = 0;
    store.subscribe(() => notified++);
    const stop = store.start();
    live.start();
    sockets[0]!.open();
    await settle();
    expect(store.getSnapshot().unread).toBe(1);

    // Fleet frames still reach fleet watchers; inbox frames reach the store without any watch message.
    const fleet: unknown[] = [];
    live.watchFleet((frame) => fleet.push(frame));
    sockets[0]!.receive({ type: 'inbox', item: item(8, { kind: 'resolved', text: 'CPU back to normal' }) });
    sockets[0]!.receive({ type: 'fleet', snapshot: true, servers: [], removed: [] });
    expect(fleet).toHaveLength(1);
    expect(sockets[0]!.sent.map((m) => JSON.parse(m).type)).toEqual(['watch-fleet']);
    expect(store.getSnapshot().unread).toBe(2);
    expect(store.getSnapshot().items[0]!.text).toBe('CPU back to normal');
    expect(notified).toBeGreaterThanOrEqual(2);

    await store.markAllRead();
    expect(node.calls.at(-1)).toEqual({ method: 'POST', path: '/api/inbox/read', body: { upTo: 8 } });
    expect(store.getSnapshot().unread).toBe(0);

    stop();
    sockets[0]!.receive({ type: 'inbox', item: item(9) });
    expect(store.getSnapshot().items[0]!.id).toBe(8);
  });

  it('reloads after a reconnect, since pushed items were missed meanwhile', async () => {
    let answer = { unread: 0, items: [item(1)] };
    const node = fakeNode((call) => (call.path === '/api/inbox' ? { body: answer } : undefined));
    const { live, sockets, timers } = fakeLive();
    const store = new InboxStore(node.http, live);
    store.start();
    live.start();
    sockets[0]!.open();
    await settle();
    expect(node.calls).toHaveLength(1);
    sockets[0]!.drop();
    answer = { unread: 2, items: [item(3), item(2), item(1)] };
    timers[0]!();
    sockets[1]!.open();
    await settle();
    expect(node.calls).toHaveLength(2);
    expect(store.getSnapshot().unread).toBe(2);
    expect(store.getSnapshot().items.map((i) => i.id)).toEqual([3, 2, 1]);
  });
});
