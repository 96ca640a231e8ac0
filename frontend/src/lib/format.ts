// Numbers, times and names formatted for people. Bytes are 1024-based (KiB, MiB...), network rates in bits per second.
import type { ServerSummary } from './wire';

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
const BIT_UNITS = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s'];

function scaled(value: number, base: number, units: string[]): string {
  if (!Number.isFinite(value)) return '—';
  let unit = 0;
  let v = Math.abs(value);
  while (v >= base && unit < units.length - 1) {
    v /= base;
    unit++;
  }
  const digits = unit === 0 ? 0 : v < 10 ? 2 : v < 100 ? 1 : 0;
  return `${value < 0 ? '-' : ''}${v.toFixed(digits)} ${units[unit]}`;
}

export function formatBytes(bytes: number | null | undefined): string {
  return bytes == null ? '—' : scaled(bytes, 1024, BYTE_UNITS);
}

export function formatBytesPerSecond(bytesPerSecond: number | null | undefined): string {
  return bytesPerSecond == null ? '—' : `${scaled(bytesPerSecond, 1024, BYTE_UNITS)}/s`;
}

/** A network rate given in bytes per second, shown in bits per second (decimal, as links are sold). */
export function formatBits(bytesPerSecond: number | null | undefined): string {
  return bytesPerSecond == null ? '—' : scaled(bytesPerSecond * 8, 1000, BIT_UNITS);
}

export function formatPercent(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return '—';
  if (value > 0 && value < 0.1) return '<0.1 %';
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} %`;
}

export function formatNumber(value: number | null | undefined, digits = 2): string {
  return value == null || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

/** "123 ms", "8.4 ms", "1.24 s": latencies; a dash for none. */
export function formatMillis(millis: number | null | undefined): string {
  if (millis == null || !Number.isFinite(millis)) return '—';
  if (millis < 1000) return `${millis < 10 ? millis.toFixed(1) : Math.round(millis)} ms`;
  return `${(millis / 1000).toFixed(2)} s`;
}

/** "1,204": counts with thousands separators (the page's text is English, so always commas). */
const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatCount(value: number | null | undefined): string {
  return value == null || !Number.isFinite(value) ? '—' : COUNT.format(value);
}

/** "3 d 4 h", "4 h 12 min", "12 min", "45 s". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.floor(seconds);
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  if (minutes > 0) return `${minutes} min`;
  return `${s} s`;
}

/** "just now", "12 s ago", "5 min ago", "3 h ago", "2 d ago"; `now` in epoch millis. */
export function formatAgo(iso: string | null | undefined, now: number): string {
  if (iso == null) return 'never';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '—';
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 2) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

/** The browser's own time zone ("Europe/Berlin"), which new schedules start with; UTC if it cannot tell. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function formatDateTime(iso: string | number): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : date.toLocaleString();
}

/** Traffic-light level of a usage percentage: green below 70, amber below 90, red from 90. */
export function level(percent: number | null | undefined): 'ok' | 'warn' | 'crit' | 'none' {
  if (percent == null || !Number.isFinite(percent)) return 'none';
  if (percent >= 90) return 'crit';
  if (percent >= 70) return 'warn';
  return 'ok';
}

/** The server's name as people call it: its display name, else its hostname. */
export function serverName(server: Pick<ServerSummary, 'displayName' | 'hostname'>): string {
  return server.displayName && server.displayName.length > 0 ? server.displayName : server.hostname;
}

/**
 * A value a newer node sends that this page does not list yet, shown as the node words it. Typed `never`: a switch
 * that ends in it no longer compiles once the value's union gains a member the switch does not handle.
 */
export function unlisted(value: never): string {
  return String(value);
}

/** `record[key]` for a key the node sent, which may be one this page does not list (undefined then). */
export function known<K extends string, V>(record: Readonly<Record<K, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key as K] : undefined;
}
