import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from './app';
import { FakeSocket, fakeNode, jsonReply } from './test-support';
import type { Me } from './lib/wire';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  window.history.replaceState(null, '', '/');
});

const ME: Me = { username: 'ada', role: 'ADMIN' };

/** The browser's WebSocket replaced by hand-driven fakes; returns the sockets the page opened, with their URLs. */
function stubWebSocket() {
  const opened: { url: string; socket: FakeSocket }[] = [];
  vi.stubGlobal('WebSocket', class extends FakeSocket {
    constructor(url: string) {
      super();
      opened.push({ url, socket: this });
    }
  });
  return opened;
}

describe('the app start', () => {
  it('opens the live socket while the session is being checked, and asks for the fleet over it once signed in', async () => {
    const opened = stubWebSocket();
    let answerMe: (me: Me) => void = () => {};
    const fake = fakeNode(() => ({ body: [] }));
    vi.stubGlobal('fetch', vi.fn((input: RequestInfo | URL, init?: RequestInit) => String(input) === '/api/auth/me'
      ? new Promise<Response>((resolve) => { answerMe = (me) => resolve(jsonReply(200, me)); })
      : fake.fetcher(input, init)));
    render(<App />);
    // The session is not known yet, and the socket is already on its way.
    expect(opened).toHaveLength(1);
    expect(opened[0]!.url).toMatch(/\/ws\/ui$/);
    opened[0]!.socket.open();
    answerMe(ME);
    expect(await screen.findByRole('heading', { name: 'Servers' })).toBeTruthy();
    // The same socket carries the overview's watch (no second connection).
    expect(opened).toHaveLength(1);
    expect(opened[0]!.socket.sent).toContain(JSON.stringify({ type: 'watch-fleet' }));
  });

  it('closes the socket when there is no session, and shows the login', async () => {
    const opened = stubWebSocket();
    const fake = fakeNode((call) => (call.path === '/api/auth/me' ? { status: 401, body: { error: 'not signed in', code: 'unauthenticated' } } : undefined));
    vi.stubGlobal('fetch', fake.fetcher);
    render(<App />);
    expect(opened).toHaveLength(1);
    await screen.findByRole('button', { name: /sign in|log in/i });
    expect(opened[0]!.socket.readyState).toBe(3);
    expect(fake.calls.map((c) => c.path)).toEqual(['/api/auth/me']);
  });

  it('opens no socket for a public status page', async () => {
    const opened = stubWebSocket();
    const fake = fakeNode(() => ({ status: 404, body: { error: 'no status page x', code: 'not-found' } }));
    vi.stubGlobal('fetch', fake.fetcher);
    window.history.replaceState(null, '', '/status/x');
    render(<App />);
    await screen.findByTestId('status-not-published');
    expect(opened).toHaveLength(0);
  });
});
