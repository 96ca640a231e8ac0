// The user's inbox behind the bell: loaded once, then kept current by the live socket's inbox frames, and
// reloaded after a reconnect (items pushed while disconnected were missed).
import { createContext, useContext, useSyncExternalStore } from 'react';
import { errorMessage, type HttpClient } from '../../lib/http';
import type { ConnectionState, LiveSocket } from '../../lib/live-socket';
import type { Inbox, InboxItem } from '../../lib/wire';
import { inbox, markInboxRead } from './api';

/** The node keeps the newest 50; so does the bell. */
export const INBOX_LIMIT = 50;

export interface InboxState {
  unread: number;
  /** Newest first. */
  items: InboxItem[];
  loaded: boolean;
  error: string | null;
}

export const EMPTY_INBOX: InboxState = { unread: 0, items: [], loaded: false, error: null };

function newestFirst(items: InboxItem[]): InboxItem[] {
  return items.sort((a, b) => b.id - a.id).slice(0, INBOX_LIMIT);
}

/** A pushed item: new ones are unread; one already held (pushed twice, or also in the snapshot) changes nothing. */
export function applyInboxItem(state: InboxState, item: InboxItem): InboxState {
  if (state.items.some((known) => known.id === item.id)) return state;
  return { ...state, unread: state.unread + 1, items: newestFirst([item, ...state.items]) };
}

/**
 * The node's answer to GET /api/inbox. Items pushed while it was on its way and newer than its newest stay, and
 * stay unread: the snapshot's count cannot include them.
 */
export function applyInboxSnapshot(state: InboxState, snapshot: Inbox): InboxState {
  const newest = snapshot.items.reduce((max, item) => Math.max(max, item.id), -Infinity);
  const later = state.items.filter((item) => item.id > newest);
  return {
    unread: snapshot.unread + later.length,
    items: newestFirst([...later, ...snapshot.items]),
    loaded: true,
    error: null,
  };
}

/**
 * Read marks are a watermark ("every id up to N"), so the unread items are always the newest `unread` ones.
 * Unread items older than the 50 held are counted but not listed.
 */
export function isUnread(state: InboxState, index: number): boolean {
  return index < state.unread;
}

type InboxLive = Pick<LiveSocket, 'onInbox' | 'onState'>;

export class InboxStore {
  private state: InboxState = EMPTY_INBOX;
  private readonly listeners = new Set<() => void>();
  private loading = 0;

  constructor(
    private readonly http: HttpClient,
    private readonly live: InboxLive,
  ) {}

  /** Loads the inbox and follows the live socket; returns the stop function. */
  start(): () => void {
    let previous: ConnectionState | null = null;
    const stopItems = this.live.onInbox((item) => this.set(applyInboxItem(this.state, item)));
    const stopState = this.live.onState((state) => {
      if (state === 'open' && previous === 'reconnecting') void this.reload();
      previous = state;
    });
    void this.reload();
    return () => {
      stopItems();
      stopState();
    };
  }

  async reload(): Promise<void> {
    const ticket = ++this.loading;
    try {
      const snapshot = await inbox(this.http);
      if (ticket === this.loading) this.set(applyInboxSnapshot(this.state, snapshot));
    } catch (failure) {
      if (ticket === this.loading) this.set({ ...this.state, error: errorMessage(failure) });
    }
  }

  /** Marks everything up to the newest item held read; the node answers what remains unread (newer items). */
  async markAllRead(): Promise<void> {
    const newest = this.state.items[0];
    if (newest === undefined) return;
    const { unread } = await markInboxRead(this.http, newest.id);
    // Items pushed while the request was out are newer than the watermark and still unread.
    const later = this.state.items.filter((item) => item.id > newest.id).length;
    this.set({ ...this.state, unread: Math.max(unread, later) });
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): InboxState => this.state;

  private set(next: InboxState): void {
    if (next === this.state) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}

/** The logged-in app's one store (its live items come from the app's one socket). */
export const InboxContext = createContext<InboxStore | null>(null);

export function useInboxStore(): InboxStore {
  const store = useContext(InboxContext);
  if (store === null) throw new Error('useInboxStore outside the logged-in app');
  return store;
}

/** The inbox as it is now; re-renders on every change. */
export function useInbox(store: InboxStore): InboxState {
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
