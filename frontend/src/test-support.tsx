// Shared by the component tests (never imported by the app): a fake node behind fetch, and the logged-in context.
import type { ReactNode } from 'react';
import { act, render } from '@testing-library/react';
import { vi } from 'vitest';
import { AppContext, type AppContextValue } from './lib/app-context';
import { HttpClient } from './lib/http';
import { LiveSocket, OPEN_TIMEOUT_MS, type SocketLike } from './lib/live-socket';
import type { Me } from './lib/wire';
import { InboxContext, InboxStore } from './features/inbox/inbox-store';

export interface Call {
  method: string;
  path: string;
  body: unknown;
}

export type Answer = { status?: number; body?: unknown };
export type Handler = (call: Call) => Answer | undefined;

/** A JSON answer as the node writes one (an empty body for `undefined`). */
export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return Promise.resolve(new Response(body === undefined ? '' : JSON.stringify(body), {
    status, headers: { 'Content-Type': 'application/json', ...headers },
  }));
}

/**
 * A JSON answer whose body is read without the runtime's streams: every step of reading it is a microtask, so a test
 * can let a held answer's consumers run to the end with one macrotask (`setTimeout(…, 0)`).
 */
export function plainReply(status: number, body: unknown): Response {
  const text = JSON.stringify(body);
  return {
    ok: status >= 200 && status < 300, status, statusText: '', headers: new Headers({ 'Content-Type': 'application/json' }),
    text: () => Promise.resolve(text), json: () => Promise.resolve(JSON.parse(text)),
  } as Response;
}

/** Lets every consumer of a held `plainReply` run to the end: a macrotask runs after the microtasks queued before it. */
export function settle(): Promise<void> {
  return act(() => new Promise<void>((resolve) => { setTimeout(resolve, 0); }));
}

/** A fetch that answers from `handler` (404 when it returns nothing) and records every call. */
export function fakeNode(handler: Handler) {
  const calls: Call[] = [];
  const fetcher = vi.fn<typeof fetch>((input, init) => {
    const call: Call = {
      method: init?.method ?? 'GET',
      path: String(input),
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    const answer = handler(call) ?? { status: 404, body: { error: `no fake for ${call.method} ${call.path}` } };
    return jsonReply(answer.status ?? 200, answer.body);
  });
  return { fetcher, calls, http: new HttpClient(fetcher) };
}

/** A WebSocket stand-in the test opens, feeds and drops by hand. */
export class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  onopen: ((event: Event) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  send(data: string) { this.sent.push(data); }
  close() { this.readyState = 3; }
  open() { this.readyState = 1; this.onopen?.(new Event('open')); }
  drop() { this.readyState = 3; this.onclose?.(new CloseEvent('close')); }
  receive(message: object) { this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(message) })); }
}

export function fakeLive() {
  const sockets: FakeSocket[] = [];
  const timers: (() => void)[] = [];
  const live = new LiveSocket('ws://node/ws/ui', {
    createSocket: () => { const s = new FakeSocket(); sockets.push(s); return s; },
    // The reconnect timers only: each connection's open timeout is never fired here.
    setTimer: (callback, ms) => (ms === OPEN_TIMEOUT_MS ? 0 : timers.push(callback)),
    clearTimer: () => {},
    random: () => 0.5,
  });
  return { live, sockets, timers };
}

/** jsdom has no modal dialogs: open and close them as attributes, firing "close" as a browser does. */
export function installDialogPolyfill(): void {
  const proto = HTMLDialogElement.prototype as HTMLDialogElement & { showModal?: () => void };
  if (typeof proto.showModal === 'function') return;
  proto.showModal = function showModal(this: HTMLDialogElement) { this.setAttribute('open', ''); };
  proto.close = function close(this: HTMLDialogElement) {
    this.removeAttribute('open');
    this.dispatchEvent(new Event('close'));
  };
}

/** Renders `ui` inside the logged-in app's context, with the given client and an unstarted live socket (`sockets`
 * holds its fake sockets once the test starts it). */
export function renderInApp(ui: ReactNode, http: HttpClient, role: Me['role'] = 'ADMIN') {
  installDialogPolyfill();
  const { live, sockets } = fakeLive();
  const inbox = new InboxStore(http, live);
  const context: AppContextValue = { http, live, me: { username: 'admin', role }, logout: () => {} };
  const rendered = render(
    <AppContext.Provider value={context}><InboxContext.Provider value={inbox}>{ui}</InboxContext.Provider></AppContext.Provider>);
  return { ...rendered, context, inbox, sockets };
}
