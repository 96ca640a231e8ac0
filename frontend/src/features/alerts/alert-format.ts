// Pure helpers of the alert pages: durations as the API writes them, values as people read them.
import { formatBits, formatBytes, formatBytesPerSecond, formatDuration, formatNumber, formatPercent } from '../../lib/format';
import type { AlertEpisode, Comparison, RuleScope } from '../../lib/wire';

/** Suggestions for a rule's metric; any series name the node knows is accepted. */
export const COMMON_METRICS: { name: string; hint: string }[] = [
  { name: 'cpu.percent', hint: 'CPU busy, %' },
  { name: 'memory.percent', hint: 'Memory in use, %' },
  { name: 'swap.percent', hint: 'Swap in use, %' },
  { name: 'load.1', hint: 'Load average, 1 min' },
  { name: 'load.5', hint: 'Load average, 5 min' },
  { name: 'load.15', hint: 'Load average, 15 min' },
  { name: 'disk.percent{mount=/}', hint: 'Root filesystem full, % (no label: every filesystem)' },
  { name: 'inodes.percent', hint: 'Inodes used, % (every filesystem; add {mount=/} for one)' },
  { name: 'net.rx.bytes', hint: 'Network received, bytes/s (every interface; add {iface=eth0} for one)' },
  { name: 'net.tx.bytes', hint: 'Network sent, bytes/s' },
  { name: 'disk.read.bytes', hint: 'Disk read, bytes/s (every disk; add {disk=sda} for one)' },
  { name: 'disk.write.bytes', hint: 'Disk written, bytes/s' },
  { name: 'server.offline', hint: '1 while the server is offline (use: above 0.5)' },
  { name: 'service.down', hint: '1 while a service is down (every service; add {service=nginx} for one)' },
  { name: 'service.recovery_failed', hint: '1 once Steward gave up restarting a service, or it is flapping' },
];

/** The side the value must be back on for a rule's alert to resolve: below a threshold it fired above, and so on. */
export const RECOVERS: Record<Comparison, string> = {
  above: 'below',
  below: 'above',
};

/** Minutes from the rule form as an ISO-8601 duration: 5 → "PT5M", 0 → "PT0S", 1.5 → "PT90S". */
export function minutesToIsoDuration(minutes: number): string {
  if (!Number.isFinite(minutes) || minutes <= 0) return 'PT0S';
  if (Number.isInteger(minutes)) return `PT${minutes}M`;
  return `PT${Math.round(minutes * 60)}S`;
}

const ISO_DURATION = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Seconds of an ISO-8601 duration as Java writes them ("PT5M", "PT1H30M", "PT24H", "PT0S"); null if not one. */
export function isoDurationSeconds(iso: string | null | undefined): number | null {
  if (iso == null) return null;
  const text = iso.trim().toUpperCase();
  const match = ISO_DURATION.exec(text);
  // Every part is optional in the pattern, but "P" and "PT" alone are not durations.
  if (match === null || text === 'P' || text.endsWith('T')) return null;
  const [days, hours, minutes, seconds] = match.slice(1).map((part) => (part === undefined ? 0 : Number(part)));
  return (days ?? 0) * 86400 + (hours ?? 0) * 3600 + (minutes ?? 0) * 60 + (seconds ?? 0);
}

/** The minutes the rule form shows for an API duration ("PT1H30M" → 90); null if unreadable. */
export function isoDurationToMinutes(iso: string | null | undefined): number | null {
  const seconds = isoDurationSeconds(iso);
  return seconds === null ? null : Math.round((seconds / 60) * 1000) / 1000;
}

/** "at once" for zero, else "5 min", "1 h 30 min". */
export function formatFor(iso: string): string {
  const seconds = isoDurationSeconds(iso);
  if (seconds === null) return iso;
  return seconds === 0 ? 'at once' : formatDuration(seconds);
}

/** A value of a series in its unit: percentages, disk rates in bytes/s, network rates in bits/s, online/offline. */
export function formatAlertValue(series: string, value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return '—';
  const metric = series.replace(/\{.*$/, '');
  if (metric === 'server.offline') return value >= 0.5 ? 'offline' : 'online';
  if (metric.endsWith('.percent')) return formatPercent(value);
  if (/^net\.(rx|tx)\.bytes/.test(metric)) return formatBits(value);
  if (/^disk\.(read|write)\.bytes/.test(metric)) return formatBytesPerSecond(value);
  if (metric.endsWith('.bytes')) return formatBytes(value);
  return formatNumber(value, Number.isInteger(value) ? 0 : 2);
}

/** "All servers", "Group web", "Tag nginx", "Server web-1" (by name when known). */
export function describeScope(scope: RuleScope | null | undefined, serverNames: ReadonlyMap<string, string> = new Map()): string {
  if (scope == null || scope.kind === 'global') return 'All servers';
  const value = scope.value ?? '';
  switch (scope.kind) {
    case 'group': return `Group ${value}`;
    case 'tag': return `Tag ${value}`;
    case 'server': return `Server ${serverNames.get(value) ?? value}`;
  }
}

/** How long an episode lasted, or has lasted so far; `now` in epoch millis. */
export function episodeSeconds(episode: Pick<AlertEpisode, 'firedAt' | 'resolvedAt'>, now: number): number | null {
  const fired = Date.parse(episode.firedAt);
  const end = episode.resolvedAt === null ? now : Date.parse(episode.resolvedAt);
  if (Number.isNaN(fired) || Number.isNaN(end)) return null;
  return Math.max(0, (end - fired) / 1000);
}

/** "in 3 h 5 min" until a future time; "ended" once past; `now` in epoch millis. */
export function formatUntil(iso: string, now: number): string {
  const until = Date.parse(iso);
  if (Number.isNaN(until)) return '—';
  const seconds = (until - now) / 1000;
  return seconds <= 0 ? 'ended' : `in ${formatDuration(Math.max(seconds, 1))}`;
}

/** Silence lengths offered in the dialog, in minutes; "custom" takes any 1..43200. */
export const SILENCE_CHOICES: { minutes: number; label: string }[] = [
  { minutes: 30, label: '30 min' },
  { minutes: 60, label: '1 h' },
  { minutes: 240, label: '4 h' },
  { minutes: 1440, label: '24 h' },
];
export const MAX_SILENCE_MINUTES = 43200;

/** Comma or space separated list → trimmed, non-empty, distinct entries. */
export function splitList(text: string): string[] {
  return [...new Set(text.split(/[,\s]+/).map((part) => part.trim()).filter((part) => part.length > 0))];
}
