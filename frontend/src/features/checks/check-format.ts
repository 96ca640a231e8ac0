// Pure helpers of the checks pages: states as words and tones, targets, uptimes, latencies, certificates, vantages.
import { isoDurationSeconds } from '../alerts/alert-format';
import type { Check, CheckDefinition, CheckState, Phase, VantageSelection, VantageState, VantageStatus } from './types';

/** The colour family of a badge (classes ck-tone-<tone> in checks.css). */
export type Tone = 'ok' | 'warn' | 'bad' | 'idle' | 'maint';

export const CHECK_STATES: Record<CheckState, { tone: Tone; tooltip: string }> = {
  up: { tone: 'ok', tooltip: 'Up: every vantage that judges it reaches it' },
  partial: { tone: 'warn', tooltip: 'Partial: some vantages reach it, some do not' },
  down: { tone: 'bad', tooltip: 'Down: the quorum of vantages cannot reach it' },
  pending: { tone: 'idle', tooltip: 'Pending: no judgement yet' },
  maintenance: { tone: 'maint', tooltip: 'In a maintenance window: failures are not alerted nor counted' },
};

export const VANTAGE_STATES: Record<VantageState, { tone: Tone; tooltip: string }> = {
  up: { tone: 'ok', tooltip: 'Reaches it' },
  retrying: { tone: 'warn', tooltip: 'Failed and is retrying before calling it down' },
  down: { tone: 'bad', tooltip: 'Cannot reach it' },
  abstained: { tone: 'idle', tooltip: 'cannot reach its reference — not counted' },
  pending: { tone: 'idle', tooltip: 'No result yet' },
};

export const PHASES: { phase: Phase; label: string }[] = [
  { phase: 'total', label: 'Total' },
  { phase: 'dns', label: 'DNS' },
  { phase: 'connect', label: 'Connect' },
  { phase: 'tls', label: 'TLS' },
  { phase: 'firstByte', label: 'First byte' },
];

export const KIND_LABELS: Record<CheckDefinition['kind'], string> = {
  http: 'HTTP',
  tcp: 'TCP',
  tls: 'TLS',
  dns: 'DNS',
};

/** "host:port", with an IPv6 address in brackets. */
export function hostPort(host: string | undefined, port: number | undefined): string {
  const shown = host ?? '';
  const bracketed = shown.includes(':') && !shown.startsWith('[') ? `[${shown}]` : shown;
  return port === undefined ? bracketed : `${bracketed}:${port}`;
}

/** What the check probes: the url (http), host:port (tcp, tls), or the name and record type (dns). */
export function checkTarget(check: Pick<CheckDefinition, 'kind' | 'url' | 'host' | 'port' | 'recordType'>): string {
  switch (check.kind) {
    case 'http': return check.url ?? '';
    case 'tcp': return hostPort(check.host, check.port);
    case 'tls': return hostPort(check.host, check.port ?? 443);
    case 'dns': return `${check.host ?? ''} (${check.recordType ?? 'A'})`;
  }
}

/** "99.93 %" of a fraction; "100 %" when nothing was down; a dash without data. */
export function formatUptime(fraction: number | null | undefined): string {
  if (fraction == null || !Number.isFinite(fraction)) return '—';
  if (fraction >= 1) return '100 %';
  // Never round 99.996 % up to "100.00 %": that would hide the downtime.
  return `${(Math.floor(fraction * 10000) / 100).toFixed(2)} %`;
}

/** Green at 99.9 % and above, amber from 99 %, red below, grey without data (status page day bars, uptime cells). */
export function uptimeTone(fraction: number | null | undefined): Tone {
  if (fraction == null || !Number.isFinite(fraction)) return 'idle';
  if (fraction >= 0.999) return 'ok';
  if (fraction >= 0.99) return 'warn';
  return 'bad';
}

/** Critical at 3 days or fewer, warning at 14 or fewer. */
export function certificateTone(daysLeft: number | null | undefined): Tone {
  if (daysLeft == null) return 'idle';
  if (daysLeft <= 3) return 'bad';
  if (daysLeft <= 14) return 'warn';
  return 'ok';
}

/** "12 days", "1 day", "expired 2 days ago". */
export function formatDaysLeft(daysLeft: number): string {
  if (daysLeft < 0) return `expired ${-daysLeft} day${daysLeft === -1 ? '' : 's'} ago`;
  return `${daysLeft} day${daysLeft === 1 ? '' : 's'}`;
}

/** "3 vantages, 1 down, 1 abstained": how many run it, and how many of them are not up. */
export function vantagesSummary(vantages: VantageStatus[]): string {
  const parts = [`${vantages.length} vantage${vantages.length === 1 ? '' : 's'}`];
  for (const state of ['down', 'retrying', 'abstained', 'pending'] as const) {
    const count = vantages.filter((v) => v.state === state).length;
    if (count > 0) parts.push(`${count} ${state}`);
  }
  return parts.join(', ');
}

/** The vantage's name as people call it: the server's name when the node sent one, else its id. */
export function vantageName(vantage: Pick<VantageStatus, 'serverId' | 'serverName'>): string {
  return vantage.serverName && vantage.serverName.length > 0 ? vantage.serverName : vantage.serverId;
}

/** "every server", "web-01, web-02", "group web", "tag edge", "the node itself". */
export function describeSelection(selection: VantageSelection | undefined, names: ReadonlyMap<string, string> = new Map()): string {
  if (selection === undefined) return '—';
  const values = selection.values ?? [];
  switch (selection.kind) {
    case 'all': return 'every server';
    case 'servers': return values.map((id) => names.get(id) ?? id).join(', ') || 'no server';
    case 'group': return `group ${values.join(', ')}`;
    case 'tag': return `tag ${values.join(', ')}`;
    case 'local': return 'the node itself';
  }
}

/** Whole seconds as an ISO-8601 duration: 60 → "PT60S". */
export function secondsToIso(seconds: number): string {
  return `PT${seconds}S`;
}

/** The seconds of an ISO duration the node wrote ("PT1M30S" → 90), as the form shows them; empty if unreadable. */
export function isoToSecondsText(iso: string | undefined): string {
  const seconds = isoDurationSeconds(iso);
  return seconds === null ? '' : String(seconds);
}

/** "every 60 s", "every 5 min". */
export function formatInterval(iso: string | undefined): string {
  const seconds = isoDurationSeconds(iso);
  if (seconds === null) return iso ?? '—';
  if (seconds % 3600 === 0) return `every ${seconds / 3600} h`;
  if (seconds % 60 === 0 && seconds >= 120) return `every ${seconds / 60} min`;
  return `every ${seconds} s`;
}

/** True when the check's certificate is watched: tls, and http with an https url. */
export function watchesCertificate(check: Pick<CheckDefinition, 'kind' | 'url'>): boolean {
  return check.kind === 'tls' || (check.kind === 'http' && (check.url ?? '').toLowerCase().startsWith('https://'));
}

/** Groups named by any check, sorted. */
export function checkGroups(checks: Pick<Check, 'group'>[]): string[] {
  return [...new Set(checks.map((c) => c.group).filter((g): g is string => typeof g === 'string' && g.length > 0))].sort();
}
