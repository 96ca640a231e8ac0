import { describe, expect, it } from 'vitest';
import { LiveSocket, type LiveSocketOptions, MAX_RECONNECT_DELAY_MS, OPEN_TIMEOUT_MS, reconnectDelay } from './live-socket';
import { FakeSocket } from '../test-support';

function harness(extra: LiveSocketOptions = {}) {
  const sockets: FakeSocket[] = [];
  // The reconnect timers; each connection's open timeout apart, with whether it was cleared.
  const timers: { callback: () => void; ms: number }[] = [];
  const openTimers: { callback: () => void; cleared: boolean }[] = [];
  const live = new LiveSocket('ws://node/ws/ui', {
    createSocket: () => { const s = new FakeSocket(); sockets.push(s); return s; },
    setTimer: (callback, ms) => {
      if (ms !== OPEN_TIMEOUT_MS) return timers.push({ callback, ms });
      return -openTimers.push({ callback, cleared: false });
    },
    clearTimer: (handle) => { if ((handle as number) < 0) openTimers[-(handle as number) - 1]!.cleared = true; },
    random: () => 0.5,
    ...extra,
  });
  return { live, sockets, timers, openTimers };
}

describe('reconnectDelay', () => {
  it('doubles from 1 s up to 30 s with jitter', () => {
    expect(reconnectDelay(0, () => 0)).toBe(500);
    expect(reconnectDelay(0, () => 0.999)).toBeLessThanOrEqual(1000);
    expect(reconnectDelay(3, () => 0.5)).toBe(6000);
    expect(reconnectDelay(20, () => 0.999)).toBeLessThanOrEqual(MAX_RECONNECT_DELAY_MS);
  });
});

describe('LiveSocket', () => {
  it('sends watches once open, and again after reconnecting', () => {
    const { live, sockets, timers } = harness();
    const fleet: unknown[] = [];
    live.start();
    live.watchFleet((frame) => fleet.push(frame));
    live.watchServer('web-1', () => {});
    sockets[0]!.open();
    expect(sockets[0]!.sent.map((m) => JSON.parse(m))).toEqual([
      { type: 'watch-fleet' }, { type: 'watch-server', serverId: 'web-1' }]);

    sockets[0]!.drop();
    expect(live.connectionState).toBe('reconnecting');
    expect(timers[0]!.ms).toBe(750);
    timers[0]!.callback();
    sockets[1]!.open();
    expect(live.connectionState).toBe('open');
    expect(sockets[1]!.sent.map((m) => JSON.parse(m))).toEqual([
      { type: 'watch-fleet' }, { type: 'watch-server', serverId: 'web-1' }]);

    sockets[1]!.receive({ type: 'fleet', snapshot: true, servers: [], removed: [] });
    expect(fleet).toHaveLength(1);
  });

  it('backs off further on repeated failures and resets after a success', () => {
    const { live, sockets, timers } = harness();
    live.start();
    sockets[0]!.drop();
    timers[0]!.callback();
    sockets[1]!.drop();
    timers[1]!.callback();
    expect(timers.map((t) => t.ms)).toEqual([750, 1500]);
    sockets[2]!.open();
    sockets[2]!.drop();
    expect(timers[2]!.ms).toBe(750);
  });

  it('drops and retries a connection that does not open in time, as a lost one', () => {
    let drops = 0;
    const { live, sockets, timers, openTimers } = harness({ onDropped: () => { drops++; } });
    const states: string[] = [];
    live.onState((state) => states.push(state));
    live.start();
    live.watchFleet(() => {});
    expect(states).toEqual(['stopped', 'connecting']);

    openTimers[0]!.callback();
    expect(sockets[0]!.readyState).toBe(3);
    expect(states.at(-1)).toBe('reconnecting');
    expect(drops).toBe(1);
    expect(timers.map((t) => t.ms)).toEqual([750]);
    // The hung socket closing late changes nothing: its successor is already planned.
    sockets[0]!.drop();
    expect(timers).toHaveLength(1);

    timers[0]!.callback();
    sockets[1]!.open();
    expect(states.at(-1)).toBe('open');
    expect(sockets[1]!.sent.map((m) => JSON.parse(m))).toEqual([{ type: 'watch-fleet' }]);
    // An open connection is not timed out.
    openTimers[1]!.callback();
    expect(states.at(-1)).toBe('open');
    expect(sockets[1]!.readyState).toBe(1);
  });

  it('clears the open timeout once open, closed or stopped', () => {
    const { live, sockets, timers, openTimers } = harness();
    live.start();
    sockets[0]!.open();
    expect(openTimers[0]!.cleared).toBe(true);
    sockets[0]!.drop();
    timers[0]!.callback();
    sockets[1]!.drop();
    expect(openTimers[1]!.cleared).toBe(true);
    timers[1]!.callback();
    live.stop();
    expect(openTimers[2]!.cleared).toBe(true);
  });

  it('hears nothing more from a socket it gave up, whether timed out or stopped', () => {
    const { live, sockets, timers, openTimers } = harness();
    const states: string[] = [];
    const fleet: unknown[] = [];
    live.onState((state) => states.push(state));
    live.watchFleet((frame) => fleet.push(frame));
    live.start();
    openTimers[0]!.callback(); // not open in time: given up, a reconnect scheduled
    sockets[0]!.open(); // a late open of the socket given up
    sockets[0]!.receive({ type: 'fleet', snapshot: true, servers: [], removed: [] });
    expect(states.at(-1)).toBe('reconnecting');
    expect(fleet).toEqual([]);
    timers[0]!.callback();
    sockets[1]!.drop();
    expect(timers[1]!.ms, 'the late open did not reset the backoff').toBe(1500);

    timers[1]!.callback();
    sockets[2]!.open();
    live.stop();
    sockets[2]!.receive({ type: 'fleet', snapshot: true, servers: [], removed: [] });
    expect(fleet).toEqual([]);
    expect(states.at(-1)).toBe('stopped');
  });

  it('starts afresh after a stop: connecting, not reconnecting, and the first backoff again', () => {
    const { live, sockets, timers } = harness();
    const states: string[] = [];
    live.onState((state) => states.push(state));
    live.start();
    // Refused (say the handshake of a page whose session turned out to be gone), then stopped.
    sockets[0]!.drop();
    timers[0]!.callback();
    sockets[1]!.drop();
    live.stop();
    states.length = 0;
    live.start();
    expect(states).toEqual(['connecting']);
    sockets[2]!.drop();
    expect(timers.at(-1)!.ms).toBe(750);
  });

  it('routes server frames to their watchers and unwatches the last one', () => {
    const { live, sockets } = harness();
    live.start();
    sockets[0]!.open();
    const a: unknown[] = [];
    const stop = live.watchServer('a', (frame) => a.push(frame));
    sockets[0]!.receive({ type: 'server', serverId: 'a', summary: {}, report: null });
    sockets[0]!.receive({ type: 'server', serverId: 'b', summary: {}, report: null });
    expect(a).toHaveLength(1);
    stop();
    expect(JSON.parse(sockets[0]!.sent.at(-1)!)).toEqual({ type: 'unwatch-server', serverId: 'a' });
  });

  it('stops and reports when the node ends the session', () => {
    let ended = false;
    const sockets: FakeSocket[] = [];
    const live = new LiveSocket('ws://x', {
      createSocket: () => { const s = new FakeSocket(); sockets.push(s); return s; },
      onSessionEnded: () => { ended = true; },
    });
    live.start();
    sockets[0]!.open();
    sockets[0]!.receive({ type: 'session-ended' });
    expect(ended).toBe(true);
    expect(live.connectionState).toBe('stopped');
  });
});

describe('LiveSocket inbox frames', () => {
  it('hands inbox items to their listeners without a watch, and not to fleet or server watchers', () => {
    const { live, sockets } = harness();
    live.start();
    sockets[0]!.open();
    const items: unknown[] = [];
    const fleet: unknown[] = [];
    const server: unknown[] = [];
    const stop = live.onInbox((item) => items.push(item));
    live.watchFleet((frame) => fleet.push(frame));
    live.watchServer('web-1', (frame) => server.push(frame));
    const item = { id: 1, at: '2026-11-23T10:00:00Z', serverId: 'web-1', serverName: 'web-1', severity: 'critical', kind: 'firing', text: 'CPU' };
    sockets[0]!.receive({ type: 'inbox', item });
    expect(items).toEqual([item]);
    expect(fleet).toHaveLength(0);
    expect(server).toHaveLength(0);
    stop();
    sockets[0]!.receive({ type: 'inbox', item: { ...item, id: 2 } });
    expect(items).toHaveLength(1);
  });
});

describe('LiveSocket services frames', () => {
  const frame = (serverId: string) => ({ type: 'services', serverId, checkedAt: '2026-11-29T10:00:00Z', services: [] });
  const sent = (socket: { sent: string[] }) => socket.sent.map((m) => JSON.parse(m) as object);

  it('routes services frames by server, to services listeners only', () => {
    const { live, sockets } = harness();
    live.start();
    sockets[0]!.open();
    const a: unknown[] = [];
    const b: unknown[] = [];
    const server: unknown[] = [];
    live.watchServices('a', (f) => a.push(f));
    live.watchServices('b', (f) => b.push(f));
    live.watchServer('a', (f) => server.push(f));
    sockets[0]!.receive(frame('a'));
    expect(a).toEqual([frame('a')]);
    expect(b).toHaveLength(0);
    expect(server).toHaveLength(0);
    sockets[0]!.receive({ type: 'server', serverId: 'a', summary: {}, report: null });
    expect(a).toHaveLength(1);
    expect(server).toHaveLength(1);
  });

  it('shares the server watch: asks once, re-asks after a reconnect, ends it with the last listener of either kind', () => {
    const { live, sockets, timers } = harness();
    live.start();
    sockets[0]!.open();
    const stopServices = live.watchServices('web-1', () => {});
    expect(sent(sockets[0]!)).toEqual([{ type: 'watch-server', serverId: 'web-1' }]);
    const stopSecond = live.watchServices('web-1', () => {});
    expect(sent(sockets[0]!)).toHaveLength(1);
    const stopServer = live.watchServer('web-1', () => {});
    expect(sent(sockets[0]!)).toHaveLength(2);

    sockets[0]!.drop();
    timers[0]!.callback();
    sockets[1]!.open();
    expect(sent(sockets[1]!)).toEqual([{ type: 'watch-server', serverId: 'web-1' }]);

    stopServer();
    stopServices();
    stopServices();
    expect(sent(sockets[1]!)).toHaveLength(1);
    stopSecond();
    expect(sent(sockets[1]!).at(-1)).toEqual({ type: 'unwatch-server', serverId: 'web-1' });

    // And the other way round: the server page leaving does not end the services' watch.
    const stop = live.watchServices('db-1', () => {});
    const stopPage = live.watchServer('db-1', () => {});
    stopPage();
    expect(sent(sockets[1]!).at(-1)).toEqual({ type: 'watch-server', serverId: 'db-1' });
    stop();
    expect(sent(sockets[1]!).at(-1)).toEqual({ type: 'unwatch-server', serverId: 'db-1' });
  });

  it('re-sends a services-only watch after reconnecting', () => {
    const { live, sockets, timers } = harness();
    live.start();
    live.watchServices('web-2', () => {});
    sockets[0]!.open();
    expect(sent(sockets[0]!)).toEqual([{ type: 'watch-server', serverId: 'web-2' }]);
    sockets[0]!.drop();
    timers[0]!.callback();
    sockets[1]!.open();
    expect(sent(sockets[1]!)).toEqual([{ type: 'watch-server', serverId: 'web-2' }]);
  });
});

describe('LiveSocket backup frames', () => {
  const sent = (socket: { sent: string[] }) => socket.sent.map((m) => JSON.parse(m) as object);
  const progress = { commandId: 'c-1', operation: 'run', phase: 'transferring', percent: 42, bytes: 1024, bytesPerSecond: 512,
    etaSeconds: 30, filesDone: 3, filesTotal: 10 };

  it('routes backups and backup-progress frames by server to backup listeners only', () => {
    const { live, sockets } = harness();
    live.start();
    sockets[0]!.open();
    const a: unknown[] = [];
    const services: unknown[] = [];
    const server: unknown[] = [];
    live.watchBackups('a', (f) => a.push(f));
    live.watchServices('a', (f) => services.push(f));
    live.watchServer('a', (f) => server.push(f));
    sockets[0]!.receive({ type: 'backups', serverId: 'a', jobs: [] });
    sockets[0]!.receive({ type: 'backup-progress', serverId: 'a', jobId: 'www-k3x9', progress });
    sockets[0]!.receive({ type: 'backups', serverId: 'b', jobs: [] });
    expect(a).toEqual([{ type: 'backups', serverId: 'a', jobs: [] }, { type: 'backup-progress', serverId: 'a', jobId: 'www-k3x9', progress }]);
    expect(services).toHaveLength(0);
    expect(server).toHaveLength(0);
  });

  it('shares the server watch with the other kinds of listeners, and re-asks it after a reconnect', () => {
    const { live, sockets, timers } = harness();
    live.start();
    sockets[0]!.open();
    const stopBackups = live.watchBackups('web-1', () => {});
    expect(sent(sockets[0]!)).toEqual([{ type: 'watch-server', serverId: 'web-1' }]);
    const stopServices = live.watchServices('web-1', () => {});
    expect(sent(sockets[0]!)).toHaveLength(1);

    sockets[0]!.drop();
    timers[0]!.callback();
    sockets[1]!.open();
    expect(sent(sockets[1]!)).toEqual([{ type: 'watch-server', serverId: 'web-1' }]);

    stopBackups();
    expect(sent(sockets[1]!)).toHaveLength(1);
    stopServices();
    expect(sent(sockets[1]!).at(-1)).toEqual({ type: 'unwatch-server', serverId: 'web-1' });

    // A backups-only watch is re-sent after a reconnect too.
    live.watchBackups('db-1', () => {});
    sockets[1]!.drop();
    timers[1]!.callback();
    sockets[2]!.open();
    expect(sent(sockets[2]!)).toEqual([{ type: 'watch-server', serverId: 'db-1' }]);
  });
});
