// How the cluster page words and colours members, events and failovers. Pure: tested without rendering.
import { known } from '../../lib/format';
import type { ClusterEventKind, ClusterMember, FailoverOutcome, MemberState } from '../../lib/wire';

export type Tone = 'ok' | 'warn' | 'bad' | 'idle';

/** Up is green; on its way in or out is amber; down or gone is red. */
export const MEMBER_STATES: Readonly<Record<MemberState, { tone: Tone; tooltip: string }>> = {
  'up': { tone: 'ok', tooltip: 'A full member: hosts entities and singletons as the cluster decides' },
  'weakly-up': { tone: 'warn', tooltip: 'Joined while some member is unreachable; fully up once the cluster converges' },
  'joining': { tone: 'warn', tooltip: 'Asked to join; the leader has not moved it up yet' },
  'leaving': { tone: 'warn', tooltip: 'Stopping gracefully: handing its shards and singletons off' },
  'exiting': { tone: 'warn', tooltip: 'Handed its work off; about to be removed' },
  'preparing-for-shutdown': { tone: 'warn', tooltip: 'The whole cluster is preparing to shut down' },
  'ready-for-shutdown': { tone: 'warn', tooltip: 'Ready for the whole cluster to shut down' },
  'down': { tone: 'bad', tooltip: 'Declared down (by the split-brain resolver): its work moves to the others' },
  'removed': { tone: 'bad', tooltip: 'No longer part of the cluster' },
};

export const EVENT_KINDS: Readonly<Record<ClusterEventKind, { label: string; tone: Tone }>> = {
  'up': { label: 'up', tone: 'ok' },
  'unreachable': { label: 'unreachable', tone: 'bad' },
  'reachable': { label: 'reachable again', tone: 'ok' },
  'left': { label: 'left', tone: 'warn' },
  'exited': { label: 'exited', tone: 'warn' },
  'downed': { label: 'downed', tone: 'bad' },
  'removed': { label: 'removed', tone: 'warn' },
  'leader': { label: 'became leader', tone: 'idle' },
  'shards-moved': { label: 'shards moved', tone: 'warn' },
  'entities-recovered': { label: 'entities recovered', tone: 'ok' },
};

export const OUTCOMES: Readonly<Record<FailoverOutcome, { label: string; tone: Tone }>> = {
  'in-progress': { label: 'in progress', tone: 'bad' },
  'reachable-again': { label: 'reachable again', tone: 'ok' },
  'failed-over': { label: 'failed over', tone: 'warn' },
  'left': { label: 'left', tone: 'idle' },
};

/** A state, kind or outcome this page does not list yet (a newer node): shown as sent, grey. */
export function lookOf<K extends string, V>(table: Readonly<Record<K, V>>, key: string, fallback: V): V {
  return known(table, key) ?? fallback;
}

/** "10.0.0.2:25520" from "pekko://steward@10.0.0.2:25520": the system name is the same for every member. */
export function shortAddress(address: string): string {
  const at = address.indexOf('@');
  return at >= 0 ? address.slice(at + 1) : address;
}

/** "+0 s", "+7.2 s", "+1 min 04 s", "−1.0 s" (a handoff before the leave): how long after a failover began. */
export function formatOffset(millis: number): string {
  const sign = millis < 0 ? '−' : '+';
  const abs = Math.abs(millis);
  if (abs < 60_000) return `${sign}${abs === 0 ? '0' : (abs / 1000).toFixed(1)} s`;
  const minutes = Math.floor(abs / 60_000);
  const seconds = Math.floor((abs % 60_000) / 1000);
  return `${sign}${minutes} min ${String(seconds).padStart(2, '0')} s`;
}

/** How long a failover took, start to end (or so far); null for one without an end. */
export function failoverMillis(startedAt: string, endedAt: string | null): number | null {
  return endedAt === null ? null : Date.parse(endedAt) - Date.parse(startedAt);
}

/** A member's count of one entity type as shown: "12", or "—" when unknown (its region did not answer). */
export function hostedCount(member: ClusterMember, type: string): { entities: string; shards: string } {
  const hosted = member.hosted.find((h) => h.type === type);
  if (hosted === undefined || hosted.entities === null || hosted.shards === null) return { entities: '—', shards: 'unknown' };
  return { entities: String(hosted.entities), shards: `${hosted.shards} shard${hosted.shards === 1 ? '' : 's'}` };
}

/** "server" becomes "Servers": the column heading of an entity type. */
export function typeHeading(type: string): string {
  return type.length === 0 ? type : `${type[0].toUpperCase()}${type.slice(1)}s`;
}
