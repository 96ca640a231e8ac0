// A maintenance window as the form holds it, turning it into what the node takes, and describing one in words.
import { isoDurationSeconds } from '../alerts/alert-format';
import { browserTimeZone, formatDateTime, formatDuration } from '../../lib/format';
import type { MaintenanceWindow, MaintenanceWindowInput, WindowSpec } from './types';

export type WindowScope = 'all' | 'group' | 'checks';

export interface WindowDraft {
  name: string;
  kind: WindowSpec['kind'];
  /** datetime-local values ("2026-12-02T13:00"), in the browser's zone. */
  start: string;
  end: string;
  cron: string;
  timeZone: string;
  durationMinutes: string;
  scope: WindowScope;
  group: string;
  checks: string[];
}

/** A datetime-local value of an instant, in the browser's zone. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The instant of a datetime-local value (read in the browser's zone) as ISO-8601; null if it is not one. */
export function localInputToIso(local: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(local)) return null;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? null : date.toISOString().replace('.000Z', 'Z');
}

/** Minutes as an ISO-8601 duration: 120 → "PT2H", 90 → "PT90M". */
export function minutesToIso(minutes: number): string {
  return minutes % 60 === 0 ? `PT${minutes / 60}H` : `PT${minutes}M`;
}

/** A new window: the next full hour for an hour, or Sundays at 02:00 for two hours in the browser's zone. */
export function windowDraftOf(window: MaintenanceWindow | null, now: Date = new Date(), timeZone: string = browserTimeZone()): WindowDraft {
  const start = new Date(now);
  start.setMinutes(0, 0, 0);
  start.setHours(start.getHours() + 1);
  const blank: WindowDraft = {
    name: '', kind: 'once', start: toLocalInput(start), end: toLocalInput(new Date(start.getTime() + 3600_000)), cron: '0 2 * * 0',
    timeZone, durationMinutes: '120', scope: 'all', group: '', checks: [],
  };
  if (window === null) return blank;
  const spec = window.window;
  const scope: WindowScope = window.checks.length > 0 ? 'checks' : window.group ? 'group' : 'all';
  const common = { ...blank, name: window.name, scope, group: window.group ?? '', checks: window.checks };
  if (spec.kind === 'once') return { ...common, kind: 'once', start: toLocalInput(new Date(spec.start)), end: toLocalInput(new Date(spec.end)) };
  const seconds = isoDurationSeconds(spec.duration);
  return { ...common, kind: 'recurring', cron: spec.cron, timeZone: spec.timeZone, durationMinutes: seconds === null ? '' : String(seconds / 60) };
}

/** The window to send, or what to fix first (worded "field: problem", as the node words its 400s). */
export function windowInputOf(draft: WindowDraft): { input: MaintenanceWindowInput } | { error: string } {
  const name = draft.name.trim();
  if (name === '') return { error: 'name: is required' };
  let window: WindowSpec;
  if (draft.kind === 'once') {
    const start = localInputToIso(draft.start);
    const end = localInputToIso(draft.end);
    if (start === null) return { error: 'start: enter a date and time' };
    if (end === null) return { error: 'end: enter a date and time' };
    if (Date.parse(end) <= Date.parse(start)) return { error: 'end: must be after the start' };
    window = { kind: 'once', start, end };
  } else {
    const cron = draft.cron.trim().replace(/\s+/g, ' ');
    if (cron.split(' ').length !== 5) return { error: 'cron: must have five fields (minute hour day month weekday)' };
    if (draft.timeZone.trim() === '') return { error: 'timeZone: is required' };
    const minutes = Number(draft.durationMinutes.trim());
    if (draft.durationMinutes.trim() === '' || !Number.isInteger(minutes) || minutes < 1) return { error: 'duration: must be a whole number of minutes, at least 1' };
    window = { kind: 'recurring', cron, timeZone: draft.timeZone.trim(), duration: minutesToIso(minutes) };
  }
  if (draft.scope === 'group' && draft.group.trim() === '') return { error: 'group: choose the group' };
  if (draft.scope === 'checks' && draft.checks.length === 0) return { error: 'checks: choose at least one check' };
  const input: MaintenanceWindowInput = { name, window, checks: draft.scope === 'checks' ? draft.checks : [] };
  if (draft.scope === 'group') input.group = draft.group.trim();
  return { input };
}

/** "2 Dec 13:00 → 14:00" style (the browser's locale), or "0 2 * * 0 (Europe/Berlin) for 2 h". */
export function describeWindow(spec: WindowSpec): string {
  if (spec.kind === 'once') return `${formatDateTime(spec.start)} → ${formatDateTime(spec.end)}`;
  return `${spec.cron} (${spec.timeZone}) for ${formatDuration(isoDurationSeconds(spec.duration))}`;
}

/** "every check", "group Public site", "Homepage, API". */
export function describeWindowScope(window: Pick<MaintenanceWindow, 'checks' | 'group'>, checkNames: ReadonlyMap<string, string>): string {
  if (window.checks.length > 0) return window.checks.map((id) => checkNames.get(id) ?? id).join(', ');
  if (window.group) return `group ${window.group}`;
  return 'every check';
}
