import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { earlyFetch } from '../../lib/early';
import { HttpClient } from '../../lib/http';
import { fakeNode, jsonReply, plainReply, renderInApp, settle } from '../../test-support';
import type { ServerSummary } from '../../lib/wire';
import { OverviewPage } from './overview-page';
import { screenfulOfCards } from './reveal';

afterEach(() => {
  cleanup();
  delete window.stewardEarly;
});

function server(i: number, group: string): ServerSummary {
  const name = `srv-${String(i).padStart(3, '0')}`;
  return {
    id: `${name}-id`, hostname: name, displayName: null, group, tags: [], notes: null, online: true,
    lastSeen: new Date().toISOString(), agentVersion: '0.1.0', registeredAt: '2026-11-01T00:00:00Z', osName: 'Debian',
    addresses: [], cpuPercent: 10, memoryPercent: 20, diskPercent: 30, load1: 0.1, uptimeSeconds: 60,
    criticalAlerts: 0, warningAlerts: 0,
  };
}

describe('the overview of a large fleet', () => {
  it('paints a screenful of cards first, with every group counted in full, then the whole fleet', async () => {
    const { sockets, context } = renderInApp(<OverviewPage />, fakeNode(() => ({ body: [] })).http);
    context.live.start();
    act(() => sockets[0]!.open());
    expect(sockets[0]!.sent).toContain(JSON.stringify({ type: 'watch-fleet' }));
    const servers = [...Array.from({ length: 150 }, (_, i) => server(i, 'alpha')), ...Array.from({ length: 90 }, (_, i) => server(150 + i, 'beta'))];
    const screenful = screenfulOfCards(window.innerWidth, window.innerHeight);
    expect(screenful).toBeLessThan(150);

    const cards = () => screen.queryAllByTestId('server-card').length;
    // Every count of cards the page went through, one per committed render.
    const counts: number[] = [];
    const observer = new MutationObserver(() => { if (counts.at(-1) !== cards()) counts.push(cards()); });
    observer.observe(document.body, { childList: true, subtree: true });
    act(() => sockets[0]!.receive({ type: 'fleet', snapshot: true, servers, removed: [] }));
    await waitFor(() => expect(cards()).toBeGreaterThan(0));
    // The first render holds the first screenful only (all of group alpha's so far), and its title counts all 150.
    expect(cards()).toBe(screenful);
    expect(screen.getByTestId('count-total').textContent).toBe('240');
    expect(within(screen.getByRole('region', { name: 'alpha' })).getByRole('heading').textContent).toBe('alpha 150');
    expect(screen.queryByRole('region', { name: 'beta' })).toBeNull();

    await waitFor(() => expect(cards()).toBe(240), { timeout: 10_000 });
    observer.disconnect();
    expect(within(screen.getByRole('region', { name: 'beta' })).getByRole('heading').textContent).toBe('beta 90');
    // A slice per frame: the screenful, 100 more at a time, the last slice whatever is left.
    const slices = [screenful];
    while (slices.at(-1)! + 100 < 240) slices.push(slices.at(-1)! + 100);
    expect(counts).toEqual([...slices, 240]);
  });
});

describe('the overview on the page\'s first load', () => {
  const cards = () => screen.queryAllByTestId('server-card').length;

  it('shows the fleet list asked for during the load before the socket\'s snapshot, then the snapshot', async () => {
    window.stewardEarly = { '/api/servers': jsonReply(200, [server(1, 'alpha'), server(2, 'alpha')]) };
    const fake = fakeNode(() => undefined);
    const { sockets, context } = renderInApp(<OverviewPage />, new HttpClient(earlyFetch(fake.fetcher)));
    context.live.start();
    // The socket is still connecting: the early list is on screen, and a first connection is not "reconnecting".
    await waitFor(() => expect(cards()).toBe(2));
    expect(fake.calls).toEqual([]);
    expect(document.body.textContent).not.toContain('reconnecting');
    act(() => sockets[0]!.open());
    act(() => sockets[0]!.receive({ type: 'fleet', snapshot: true, servers: [server(1, 'alpha'), server(2, 'alpha'), server(3, 'alpha')], removed: [] }));
    await waitFor(() => expect(cards()).toBe(3));
  });

  it('keeps the socket\'s snapshot when the early list comes after it', async () => {
    let answer: (servers: ServerSummary[]) => void = () => {};
    const late = new Promise<Response>((resolve) => { answer = (servers) => resolve(plainReply(200, servers)); });
    window.stewardEarly = { '/api/servers': late };
    const { sockets, context } = renderInApp(<OverviewPage />, new HttpClient(earlyFetch(fakeNode(() => undefined).fetcher)));
    context.live.start();
    act(() => sockets[0]!.open());
    act(() => sockets[0]!.receive({ type: 'fleet', snapshot: true, servers: [server(1, 'alpha'), server(2, 'alpha'), server(3, 'alpha')], removed: [] }));
    await waitFor(() => expect(cards()).toBe(3));
    await act(async () => {
      answer([server(9, 'alpha')]);
      await late;
    });
    await settle();
    expect(cards()).toBe(3);
    expect(screen.queryByText('srv-009')).toBeNull();
  });

  it('asks for no list when the page asked nothing early (a later visit of the overview)', () => {
    const fake = fakeNode(() => ({ body: [server(1, 'alpha')] }));
    const { context } = renderInApp(<OverviewPage />, new HttpClient(earlyFetch(fake.fetcher)));
    context.live.start();
    expect(fake.calls).toEqual([]);
    expect(cards()).toBe(0);
  });
});
