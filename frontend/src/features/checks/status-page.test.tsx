import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../app';
import { FakeSocket, fakeNode, type Answer, type Call } from '../../test-support';
import { averageUptime } from './status-page';
import type { PublicStatus, StatusDay } from './types';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  window.history.replaceState(null, '', '/');
});

/** 90 days ending 2026-12-02, the newest `recent` first days replaced. */
function days(recent: (number | null)[] = []): StatusDay[] {
  return Array.from({ length: 90 }, (_, i) => {
    const day = new Date(Date.UTC(2026, 11, 2 - (89 - i))).toISOString().slice(0, 10);
    const fromEnd = 89 - i;
    return { day, uptime: fromEnd < recent.length ? recent[recent.length - 1 - fromEnd]! : 1 };
  });
}

const STATUS: PublicStatus = { group: 'Public site', title: 'Example status', state: 'partial', checks: [
  { name: 'Homepage', state: 'up', since: '2026-12-01T10:00:00Z', days: days([0.9995, 0.995, 0.9, null]) },
  { name: 'API', state: 'down', since: '2026-12-02T12:00:00Z', days: days() },
] };

/** The App on `path` with the whole node behind a fake fetch (the app makes its own client). */
function openApp(path: string, handler: (call: Call) => Answer | undefined) {
  const fake = fakeNode(handler);
  vi.stubGlobal('fetch', fake.fetcher);
  // The app opens its live socket while it checks the session: a stand-in that never connects.
  vi.stubGlobal('WebSocket', FakeSocket);
  window.history.replaceState(null, '', path);
  render(<App />);
  return fake;
}

describe('the public status page', () => {
  it('shows without signing in: the title, the overall state, each check with 90 day-bars coloured by uptime', async () => {
    const fake = openApp('/status/Public%20site', (call) => (call.path === '/api/status/Public%20site' ? { body: STATUS } : undefined));
    expect((await screen.findByTestId('status-title')).textContent).toBe('Example status');
    expect(screen.getByTestId('status-overall').textContent).toContain('Partial outage');
    expect(screen.getByTestId('status-state').textContent).toBe('partial');
    // Nobody was asked who they are, and no login form is shown.
    expect(fake.calls.map((c) => c.path)).toEqual(['/api/status/Public%20site']);
    expect(document.querySelector('input[name=password]')).toBeNull();

    const [homepage, api] = screen.getAllByTestId('status-check');
    expect(within(homepage!).getByText('Homepage')).toBeTruthy();
    expect(homepage!.getAttribute('data-state')).toBe('up');
    const bars = within(homepage!).getAllByTestId('status-day');
    expect(bars).toHaveLength(90);
    const last = bars.slice(-4);
    expect(last.map((b) => b.getAttribute('title'))).toEqual(['2026-11-29: 99.95 %', '2026-11-30: 99.50 %', '2026-12-01: 90.00 %', '2026-12-02: no data']);
    expect(last.map((b) => b.className.split(' ').find((c) => c.startsWith('ck-tone-')))).toEqual(['ck-tone-ok', 'ck-tone-warn', 'ck-tone-bad', 'ck-tone-idle']);
    expect(bars[0]!.getAttribute('aria-label')).toBe('2026-09-04: 100 %');
    expect(api!.getAttribute('data-state')).toBe('down');
  });

  it('says the page is not published when the node answers 404', async () => {
    openApp('/status/secret', () => ({ status: 404, body: { error: 'no status page secret', code: 'not-found' } }));
    expect((await screen.findByTestId('status-not-published')).textContent).toContain('This status page is not published');
  });

  it('still asks for a login on every other page', async () => {
    const fake = openApp('/checks', (call) => (call.path === '/api/auth/me' ? { status: 401, body: { error: 'not signed in', code: 'unauthenticated' } } : undefined));
    await screen.findByRole('button', { name: /sign in|log in/i });
    expect(fake.calls.map((c) => c.path)).toEqual(['/api/auth/me']);
  });

  it('averages the days with data', () => {
    expect(averageUptime([{ day: 'a', uptime: 1 }, { day: 'b', uptime: 0.9 }, { day: 'c', uptime: null }])).toBeCloseTo(0.95);
    expect(averageUptime([{ day: 'a', uptime: null }])).toBeNull();
  });
});
