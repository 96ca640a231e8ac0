import { describe, expect, it } from 'vitest';
import type { ClusterMember } from '../../lib/wire';
import { EVENT_KINDS, failoverMillis, formatOffset, hostedCount, lookOf, shortAddress, typeHeading } from './cluster-format';

describe('cluster format', () => {
  it('drops the system name every address shares', () => {
    expect(shortAddress('pekko://steward@10.0.0.2:25520')).toBe('10.0.0.2:25520');
    expect(shortAddress('10.0.0.2:25520')).toBe('10.0.0.2:25520');
  });

  it('times phases from the start of their failover, a handoff before it negative', () => {
    expect(formatOffset(0)).toBe('+0 s');
    expect(formatOffset(7250)).toBe('+7.3 s');
    expect(formatOffset(-1000)).toBe('−1.0 s');
    expect(formatOffset(64_000)).toBe('+1 min 04 s');
    expect(failoverMillis('2026-12-10T10:00:00Z', '2026-12-10T10:00:08Z')).toBe(8000);
    expect(failoverMillis('2026-12-10T10:00:00Z', null)).toBeNull();
  });

  it('shows an unknown count as a dash and a kind from a newer node as sent', () => {
    const member = { hosted: [{ type: 'server', shards: 1, entities: 3 }, { type: 'check', shards: null, entities: null }] } as ClusterMember;
    expect(hostedCount(member, 'server')).toEqual({ entities: '3', shards: '1 shard' });
    expect(hostedCount(member, 'check')).toEqual({ entities: '—', shards: 'unknown' });
    expect(hostedCount(member, 'job')).toEqual({ entities: '—', shards: 'unknown' });
    expect(lookOf(EVENT_KINDS, 'shards-moved', { label: '?', tone: 'idle' }).label).toBe('shards moved');
    expect(lookOf(EVENT_KINDS, 'teleported', { label: 'teleported', tone: 'idle' }).label).toBe('teleported');
    expect(typeHeading('server')).toBe('Servers');
  });
});
