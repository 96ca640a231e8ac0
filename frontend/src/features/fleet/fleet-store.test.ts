import { describe, expect, it } from 'vitest';
import type { ServerSummary } from '../../lib/wire';
import { applyFleetFrame, countFleet, groupServers, matches, sortServers } from './fleet-store';

function server(id: string, extra: Partial<ServerSummary> = {}): ServerSummary {
  return {
    id, hostname: id, displayName: null, group: null, tags: [], notes: null, online: true,
    lastSeen: '2026-11-23T10:00:00Z', agentVersion: '0.1.0', registeredAt: '2026-11-01T00:00:00Z', osName: 'Debian',
    addresses: [], cpuPercent: 10, memoryPercent: 20, diskPercent: 30, load1: 0.5, uptimeSeconds: 3600, criticalAlerts: 0,
    warningAlerts: 0, ...extra,
  };
}

describe('fleet store', () => {
  it('applies a snapshot, then changes and removals', () => {
    let fleet = applyFleetFrame(new Map(), { type: 'fleet', snapshot: true, servers: [server('a'), server('b')], removed: [] });
    expect([...fleet.keys()]).toEqual(['a', 'b']);
    const untouched = fleet.get('b');
    fleet = applyFleetFrame(fleet, { type: 'fleet', snapshot: false, servers: [server('a', { cpuPercent: 99 })], removed: ['b'] });
    expect(fleet.get('a')?.cpuPercent).toBe(99);
    expect(fleet.has('b')).toBe(false);
    fleet = applyFleetFrame(fleet, { type: 'fleet', snapshot: false, servers: [server('c')], removed: [] });
    expect(fleet.size).toBe(2);
    // A new snapshot replaces everything (after a reconnect).
    fleet = applyFleetFrame(fleet, { type: 'fleet', snapshot: true, servers: [server('z')], removed: [] });
    expect([...fleet.keys()]).toEqual(['z']);
    expect(untouched?.id).toBe('b');
  });

  it('keeps unchanged servers as the same objects so memoised cards skip rendering', () => {
    const a = server('a');
    const fleet = applyFleetFrame(new Map([['a', a]]), { type: 'fleet', snapshot: false, servers: [server('b')], removed: [] });
    expect(fleet.get('a')).toBe(a);
  });

  it('searches name, hostname, IP, tag and group, and filters by group and status', () => {
    const web = server('web-1', { displayName: 'Shop front', addresses: ['192.0.2.7', 'fd00::7'], tags: ['nginx'], group: 'prod' });
    const q = (search: string) => matches(web, { search, group: null, status: 'all' });
    expect(q('shop')).toBe(true);
    expect(q('WEB-1')).toBe(true);
    expect(q('192.0.2')).toBe(true);
    expect(q('fd00::7')).toBe(true);
    expect(q('nginx')).toBe(true);
    expect(q('prod')).toBe(true);
    expect(q('postgres')).toBe(false);
    expect(matches(web, { search: '', group: 'staging', status: 'all' })).toBe(false);
    expect(matches(web, { search: '', group: 'prod', status: 'offline' })).toBe(false);
    expect(matches(server('x', { online: false }), { search: '', group: null, status: 'offline' })).toBe(true);
  });

  it('sorts by a column, unknown values last when descending', () => {
    const list = [server('a', { cpuPercent: 50 }), server('b', { cpuPercent: null }), server('c', { cpuPercent: 90 })];
    expect(sortServers(list, 'cpu', true).map((s) => s.id)).toEqual(['c', 'a', 'b']);
    expect(sortServers(list, 'name', false).map((s) => s.id)).toEqual(['a', 'b', 'c']);
  });

  it('groups with ungrouped last and counts status and alerts', () => {
    const list = [server('a', { group: 'web' }), server('b'), server('c', { group: 'db', online: false, criticalAlerts: 2 })];
    expect(groupServers(list).map(([name]) => name)).toEqual(['db', 'web', null]);
    expect(countFleet(list)).toEqual({ total: 3, online: 2, offline: 1, criticalAlerts: 2, warningAlerts: 0 });
  });
});
