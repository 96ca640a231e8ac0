import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from './app';
import { FakeSocket, fakeNode, jsonReply, plainReply, settle } from './test-support';
import type { Me } from './lib/wire';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  delete window.stewardEarly;
  window.history.replaceState(null, '', '/');
});

const ME: Me = { username: 'ada', role: 'ADMIN' };
const REFUSED = { status: 401, body: { error: 'not signed in', code: 'unauthenticated' } };

/** A node where nobody is signed in until the login; then /api/auth/me answers ME and any other call an empty list. */
function nodeWithLogin() {
  const state = { signedIn: false };
  const fake = fakeNode((call) => {
    if (call.path === '/api/auth/login') {
      state.signedIn = true;
      return { body: { username: 'ada', role: 'ADMIN', expiresAt: '2026-12-06T00:00:00Z' } };
    }
    if (!state.signedIn) return REFUSED;
    return call.path === '/api/auth/me' ? { body: ME } : { body: [] };
  });
  return { fake, state };
}

/** Fills in the login form, once it shows, and sends it. */
async function signIn() {
  fireEvent.change(await screen.findByLabelText('Username'), { target: { value: 'ada' } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'correct horse' } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

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
    act(() => opened[0]!.socket.open());
    answerMe(ME);
    expect(await screen.findByRole('heading', { name: 'Servers' })).toBeTruthy();
    // The same socket carries the overview's watch (no second connection), sent from the overview's effect.
    await waitFor(() => expect(opened[0]!.socket.sent).toContain(JSON.stringify({ type: 'watch-fleet' })));
    expect(opened).toHaveLength(1);
  });

  it('closes the socket when there is no session, and shows the login', async () => {
    const opened = stubWebSocket();
    const fake = fakeNode((call) => (call.path === '/api/auth/me' ? REFUSED : undefined));
    vi.stubGlobal('fetch', fake.fetcher);
    render(<App />);
    expect(opened).toHaveLength(1);
    await screen.findByRole('button', { name: /sign in|log in/i });
    expect(opened[0]!.socket.readyState).toBe(3);
    expect(fake.calls.map((c) => c.path)).toEqual(['/api/auth/me']);
  });

  it('shows the login when the socket drops and the node says the session is gone', async () => {
    const opened = stubWebSocket();
    let signedIn = true;
    const fake = fakeNode((call) => {
      if (call.path === '/api/auth/me') return signedIn ? { body: ME } : { status: 401, body: { error: 'session expired', code: 'unauthenticated' } };
      return { body: [] };
    });
    vi.stubGlobal('fetch', fake.fetcher);
    render(<App />);
    act(() => opened[0]!.socket.open());
    await screen.findByRole('heading', { name: 'Servers' });
    signedIn = false;
    act(() => opened[0]!.socket.drop());
    await screen.findByRole('button', { name: 'Sign in' });
    expect(opened[0]!.socket.readyState).toBe(3);
  });

  it('after a start without a session, a login opens the socket as a first connection, not a reconnect', async () => {
    const opened = stubWebSocket();
    let answerMe: () => void = () => {};
    const { fake } = nodeWithLogin();
    // The first check answers only after the refused handshake has closed the socket (the order a slow node gives).
    let first = true;
    vi.stubGlobal('fetch', vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
      if (first && String(input) === '/api/auth/me') {
        first = false;
        return new Promise<Response>((resolve) => { answerMe = () => resolve(fake.fetcher(input, init)); });
      }
      return fake.fetcher(input, init);
    }));
    render(<App />);
    act(() => opened[0]!.socket.drop());
    answerMe();
    await signIn();
    await screen.findByRole('heading', { name: 'Servers' });
    await waitFor(() => expect(opened).toHaveLength(2));
    // Connecting for the first time: no "cannot reach the node" while the new socket's handshake is under way.
    expect(document.body.textContent).not.toContain('Cannot reach the Steward node');
    expect(document.body.textContent).not.toContain('reconnecting');
    act(() => opened[1]!.socket.open());
    await waitFor(() => expect(opened[1]!.socket.sent).toContain(JSON.stringify({ type: 'watch-fleet' })));
  });

  it('keeps a login when an answer asked for before it comes after it', async () => {
    const opened = stubWebSocket();
    const { fake, state } = nodeWithLogin();
    // Both questions ("who am I?") are held: the session check's, and the one the refused socket's drop asks. Each
    // is answered as it was asked (401), the check's at once, the drop's only after the login.
    const held: (() => void)[] = [];
    vi.stubGlobal('fetch', vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input) === '/api/auth/me') {
        void fake.fetcher(input, init);
        const asked = state.signedIn ? plainReply(200, ME) : plainReply(REFUSED.status, REFUSED.body);
        return new Promise<Response>((resolve) => { held.push(() => resolve(asked)); });
      }
      return fake.fetcher(input, init);
    }));
    render(<App />);
    act(() => opened[0]!.socket.drop());
    await waitFor(() => expect(held).toHaveLength(2));
    const answerLate = held[1]!;
    act(() => held[0]!());
    await screen.findByLabelText('Username');
    await signIn();
    await screen.findByRole('heading', { name: 'Servers' });
    await act(async () => { answerLate(); });
    // The 401 was about the visit before the login: still signed in.
    await settle();
    expect(screen.queryByRole('button', { name: 'Sign in' })).toBeNull();
    expect(screen.getByRole('heading', { name: 'Servers' })).toBeTruthy();
  });

  it('takes the session check\'s answer asked for during the load, once', async () => {
    stubWebSocket();
    window.stewardEarly = { '/api/auth/me': jsonReply(200, ME) };
    // The node itself would say nobody is signed in: the overview shows only if the early answer was taken.
    const fake = fakeNode((call) => (call.path === '/api/auth/me' ? REFUSED : { body: [] }));
    vi.stubGlobal('fetch', fake.fetcher);
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'Servers' })).toBeTruthy();
    expect(fake.calls.map((c) => c.path)).not.toContain('/api/auth/me');
    expect(window.stewardEarly).toEqual({});
  });

  it('after a login, does not take an early answer asked before it', async () => {
    const opened = stubWebSocket();
    // What the page asked during the load, without a session: both refused.
    window.stewardEarly = { '/api/auth/me': jsonReply(REFUSED.status, REFUSED.body), '/api/servers': jsonReply(REFUSED.status, REFUSED.body) };
    const { fake } = nodeWithLogin();
    vi.stubGlobal('fetch', fake.fetcher);
    render(<App />);
    await signIn();
    await screen.findByRole('heading', { name: 'Servers' });
    await waitFor(() => expect(opened).toHaveLength(2));
    act(() => opened[1]!.socket.open());
    act(() => opened[1]!.socket.receive({ type: 'fleet', snapshot: true, servers: [], removed: [] }));
    await screen.findByText('No servers yet');
    // Still signed in: the refused early list was not taken after the login (its 401 would have ended the session).
    expect(screen.queryByRole('button', { name: 'Sign in' })).toBeNull();
    expect(window.stewardEarly).toEqual({});
  });

  it('a retried check does not take an early answer asked before it', async () => {
    const opened = stubWebSocket();
    // The load found the node unreachable (the session check failed), and its early fleet list was refused.
    const unreachable = Promise.reject(new TypeError('Failed to fetch'));
    unreachable.catch(() => undefined);
    window.stewardEarly = { '/api/auth/me': unreachable, '/api/servers': jsonReply(REFUSED.status, REFUSED.body) };
    const fake = fakeNode((call) => (call.path === '/api/auth/me' ? { body: ME } : { body: [] }));
    vi.stubGlobal('fetch', fake.fetcher);
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Retry' }));
    await screen.findByRole('heading', { name: 'Servers' });
    await waitFor(() => expect(opened.length).toBeGreaterThan(0));
    const socket = opened.at(-1)!.socket;
    act(() => socket.open());
    act(() => socket.receive({ type: 'fleet', snapshot: true, servers: [], removed: [] }));
    await screen.findByText('No servers yet');
    // Still signed in: the refused early list was not taken by the overview after the retry.
    expect(screen.queryByRole('button', { name: 'Sign in' })).toBeNull();
    expect(window.stewardEarly).toEqual({});
  });

  it('opens no socket for the password reset page', async () => {
    const opened = stubWebSocket();
    vi.stubGlobal('fetch', fakeNode(() => undefined).fetcher);
    window.history.replaceState(null, '', '/reset-password#token=x');
    render(<App />);
    await screen.findByRole('button');
    expect(opened).toHaveLength(0);
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
