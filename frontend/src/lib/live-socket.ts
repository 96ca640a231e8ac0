// The one live connection of the page (/ws/ui): watches the fleet and servers for whichever components ask,
// reconnects by itself with jittered backoff, and re-sends its watches after every reconnect.
import type {
  BackupProgressFrame, BackupsFrame, FleetFrame, InboxItem, LiveFrame, LiveRequest, RemovedFrame, ServerFrame, ServicesFrame,
} from './wire';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'stopped';

/**
 * What this page asks on the socket. The node's UiRequest takes `type` as any string (and answers an error frame
 * for one it does not know); these are the four it knows (the node's UiSession).
 */
type WatchRequest = LiveRequest & (
  | { type: 'watch-fleet' | 'unwatch-fleet' }
  | { type: 'watch-server' | 'unwatch-server'; serverId: string });

/** What the socket needs from a WebSocket; the browser's satisfies it, tests pass a fake. */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  send(data: string): void;
  close(): void;
}

export interface LiveSocketOptions {
  createSocket?: (url: string) => SocketLike;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  random?: () => number;
  /** The node ended the session (logout elsewhere, expiry). */
  onSessionEnded?: () => void;
  /** The connection dropped; the app may check whether the session is still valid. */
  onDropped?: () => void;
}

const OPEN = 1;
export const MAX_RECONNECT_DELAY_MS = 30_000;
/**
 * How long a connection may take to open. A browser gives a handshake that hangs (a proxy holding the upgrade, a
 * node that took the connection and stalled) minutes, with the page showing values it never says are old; after this
 * it is dropped and retried as any lost connection, which the pages show.
 */
export const OPEN_TIMEOUT_MS = 10_000;

/** 1 s, 2 s, 4 s ... up to 30 s, each scaled by a random factor in [0.5, 1) so a restarted node is not stormed. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_RECONNECT_DELAY_MS, 1000 * 2 ** Math.min(attempt, 15));
  return Math.round(base * (0.5 + random() * 0.5));
}

type Listener<T> = (value: T) => void;

export class LiveSocket {
  private socket: SocketLike | null = null;
  private timer: unknown = null;
  private openTimer: unknown = null;
  private attempt = 0;
  private stopped = true;
  private state: ConnectionState = 'stopped';
  private readonly fleetListeners = new Set<Listener<FleetFrame>>();
  private readonly serverListeners = new Map<string, Set<Listener<ServerFrame | RemovedFrame>>>();
  private readonly stateListeners = new Set<Listener<ConnectionState>>();
  private readonly inboxListeners = new Set<Listener<InboxItem>>();
  private readonly servicesListeners = new Map<string, Set<Listener<ServicesFrame>>>();
  private readonly backupsListeners = new Map<string, Set<Listener<BackupsFrame | BackupProgressFrame>>>();
  private readonly createSocket: (url: string) => SocketLike;
  private readonly setTimer: (callback: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly random: () => number;

  constructor(
    private readonly url: string,
    private readonly options: LiveSocketOptions = {},
  ) {
    this.createSocket = options.createSocket ?? ((u) => new WebSocket(u));
    this.setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
    this.random = options.random ?? Math.random;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    // A new start is a first connection again (say after a login), not a reconnect after the failures before the stop.
    this.attempt = 0;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.clearOpenTimer();
    const socket = this.socket;
    this.socket = null;
    if (socket !== null) {
      socket.onclose = null;
      socket.close();
    }
    this.setState('stopped');
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  onState(listener: Listener<ConnectionState>): () => void {
    this.stateListeners.add(listener);
    listener(this.state);
    return () => this.stateListeners.delete(listener);
  }

  watchFleet(listener: Listener<FleetFrame>): () => void {
    this.fleetListeners.add(listener);
    // Every new watcher needs a snapshot, so ask again even if the fleet is already watched.
    this.send({ type: 'watch-fleet' });
    return () => {
      this.fleetListeners.delete(listener);
      if (this.fleetListeners.size === 0) this.send({ type: 'unwatch-fleet' });
    };
  }

  watchServer(serverId: string, listener: Listener<ServerFrame | RemovedFrame>): () => void {
    let listeners = this.serverListeners.get(serverId);
    if (listeners === undefined) {
      listeners = new Set();
      this.serverListeners.set(serverId, listeners);
    }
    listeners.add(listener);
    this.send({ type: 'watch-server', serverId });
    return () => {
      const current = this.serverListeners.get(serverId);
      if (current === undefined) return;
      current.delete(listener);
      if (current.size === 0) {
        this.serverListeners.delete(serverId);
        if (!this.watching(serverId)) this.send({ type: 'unwatch-server', serverId });
      }
    };
  }

  /**
   * Services frames of one server. The node sends them only for watched servers, so this shares the server's
   * watch: it asks for one only if nobody watches the server yet, and the last of any kind of listener ends it.
   */
  watchServices(serverId: string, listener: Listener<ServicesFrame>): () => void {
    return this.watchPart(this.servicesListeners, serverId, listener);
  }

  /** Backup frames of one server (the job list, and progress while something runs); shares the server's watch too. */
  watchBackups(serverId: string, listener: Listener<BackupsFrame | BackupProgressFrame>): () => void {
    return this.watchPart(this.backupsListeners, serverId, listener);
  }

  /** Adds a listener of one kind of a server's frames, asking for the server's watch only if nobody watches it yet. */
  private watchPart<F>(parts: Map<string, Set<Listener<F>>>, serverId: string, listener: Listener<F>): () => void {
    const watched = this.watching(serverId);
    let listeners = parts.get(serverId);
    if (listeners === undefined) {
      listeners = new Set();
      parts.set(serverId, listeners);
    }
    listeners.add(listener);
    if (!watched) this.send({ type: 'watch-server', serverId });
    return () => {
      const current = parts.get(serverId);
      if (current === undefined || !current.delete(listener)) return;
      if (current.size === 0) parts.delete(serverId);
      if (!this.watching(serverId)) this.send({ type: 'unwatch-server', serverId });
    };
  }

  private watching(serverId: string): boolean {
    return this.serverListeners.has(serverId) || this.servicesListeners.has(serverId) || this.backupsListeners.has(serverId);
  }

  /** Inbox items as they appear; nothing to send, the node pushes them to every session. */
  onInbox(listener: Listener<InboxItem>): () => void {
    this.inboxListeners.add(listener);
    return () => this.inboxListeners.delete(listener);
  }

  private connect(): void {
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const socket = this.createSocket(this.url);
    this.socket = socket;
    this.openTimer = this.setTimer(() => {
      this.openTimer = null;
      if (this.socket !== socket || socket.readyState === OPEN) return;
      socket.onclose = null;
      socket.close();
      this.dropped();
    }, OPEN_TIMEOUT_MS);
    // Each handler first asks whether this is still the page's socket: one given up (its open timed out, or the socket
    // was stopped) says nothing more, whatever a browser may still deliver for it.
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.clearOpenTimer();
      this.attempt = 0;
      this.setState('open');
      if (this.fleetListeners.size > 0) this.send({ type: 'watch-fleet' });
      for (const serverId of new Set([...this.serverListeners.keys(), ...this.servicesListeners.keys(), ...this.backupsListeners.keys()])) {
        this.send({ type: 'watch-server', serverId });
      }
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket || typeof event.data !== 'string') return;
      let message: LiveFrame;
      try {
        message = JSON.parse(event.data) as LiveFrame;
      } catch {
        return;
      }
      this.dispatch(message);
    };
    socket.onerror = () => {
      // onclose follows and schedules the reconnect.
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.clearOpenTimer();
      this.dropped();
    };
  }

  /** The current connection is gone (closed, or never opened in time): reconnect after the next backoff. */
  private dropped(): void {
    this.socket = null;
    if (this.stopped) return;
    this.setState('reconnecting');
    this.options.onDropped?.();
    const delay = reconnectDelay(this.attempt++, this.random);
    this.timer = this.setTimer(() => {
      this.timer = null;
      if (!this.stopped) this.connect();
    }, delay);
  }

  private clearOpenTimer(): void {
    if (this.openTimer !== null) this.clearTimer(this.openTimer);
    this.openTimer = null;
  }

  private dispatch(message: LiveFrame): void {
    switch (message.type) {
      case 'fleet':
        for (const listener of this.fleetListeners) listener(message);
        break;
      case 'server':
      case 'removed':
        for (const listener of this.serverListeners.get(message.serverId) ?? []) listener(message);
        break;
      case 'inbox':
        for (const listener of this.inboxListeners) listener(message.item);
        break;
      case 'services':
        for (const listener of this.servicesListeners.get(message.serverId) ?? []) listener(message);
        break;
      case 'backups':
      case 'backup-progress':
        for (const listener of this.backupsListeners.get(message.serverId) ?? []) listener(message);
        break;
      case 'session-ended':
        this.stop();
        this.options.onSessionEnded?.();
        break;
      case 'error':
        console.warn('Steward live socket:', message.message);
        break;
      case 'welcome':
        break;
      default:
        // Every frame of the generated UiFrame is handled: one the node adds fails the type check here.
        message satisfies never;
    }
  }

  private send(message: WatchRequest): void {
    if (this.socket !== null && this.socket.readyState === OPEN) this.socket.send(JSON.stringify(message));
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }
}

export function liveSocketUrl(location: Location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/ui`;
}
