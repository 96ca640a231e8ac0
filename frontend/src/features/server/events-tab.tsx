import { useCallback, useEffect, useState } from 'react';
import { useApp } from '../../lib/app-context';
import { formatDateTime, formatDuration, known } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import type { ServerEvent, ServerEventType } from '../../lib/wire';
import { ErrorPanel, Skeleton } from '../../components/feedback';
import { serverEvents } from './api';

/** The server's audit trail (persisted events), newest first, as a timeline with "load more". */
export function EventsTab({ serverId }: { serverId: string }) {
  const { http } = useApp();
  const [events, setEvents] = useState<ServerEvent[]>([]);
  const [next, setNext] = useState<number | null | undefined>(undefined);
  const page = useAction();
  const { run } = page;

  const load = useCallback((before: number | null) => run(() => serverEvents(http, serverId, before), (answer) => {
    setEvents((current) => (before === null ? answer.events : [...current, ...answer.events]));
    setNext(answer.nextBefore);
  }), [run, http, serverId]);

  useEffect(() => load(null), [load]);

  if (next === undefined && page.error === null) return <Skeleton className="card" lines={6} />;
  return (
    <section className="card pad">
      <ol className="timeline" data-testid="event-timeline">
        {events.map((event) => (
          <li key={event.sequence} className={`event event-${tone(event)}`} data-type={event.type}>
            <time title={formatDateTime(event.at)}>{formatDateTime(event.at)}</time>
            <span className="event-text">{describe(event)}</span>
          </li>
        ))}
      </ol>
      {events.length === 0 && page.error === null && <p className="muted">Nothing recorded yet.</p>}
      {page.error !== null && <ErrorPanel title="Could not load the history" message={page.error} onRetry={() => load(events.length === 0 ? null : next ?? null)} />}
      {next != null && page.error === null && (
        <button type="button" className="secondary" disabled={page.busy} onClick={() => load(next)} title="Older events">
          {page.busy ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value == null ? '—' : JSON.stringify(value);
}

function field(event: ServerEvent, name: string): unknown {
  return event.details[name];
}

/** " by alice" when a person did it. */
function byWhom(event: ServerEvent): string {
  return typeof event.by === 'string' ? ` by ${event.by}` : '';
}

function alertText(event: ServerEvent): string {
  const alert = field(event, 'alert') as { ruleName?: string; series?: string; condition?: string; severity?: string; value?: number } | undefined;
  if (alert === undefined) return '';
  return `${alert.ruleName ?? 'alert'} (${alert.condition ?? alert.series ?? ''}, ${(alert.severity ?? '').toLowerCase()})`;
}

/** One sentence per fact; `who` is " by alice", or empty. */
const SENTENCES: Record<ServerEventType, (event: ServerEvent, who: string) => string> = {
  registered: (e) => `Registered as ${text(field(e, 'hostname'))} (agent ${text(field(e, 'agentVersion'))})`,
  'hostname-changed': (e) => `Hostname changed from ${text(field(e, 'from'))} to ${text(field(e, 'to'))}`,
  'agent-version-changed': (e) => `Agent upgraded from ${text(field(e, 'from'))} to ${text(field(e, 'to'))}`,
  'system-changed': (e) => {
    const to = field(e, 'to') as { osName?: string; osVersion?: string; kernel?: string } | null;
    return `System ${field(e, 'from') == null ? 'detected' : 'changed'}: ${to?.osName ?? ''} ${to?.osVersion ?? ''}, kernel ${to?.kernel ?? '—'}`;
  },
  renamed: (e, who) => (field(e, 'displayName') == null ? `Display name cleared${who}` : `Renamed to "${text(field(e, 'displayName'))}"${who}`),
  regrouped: (e, who) => (field(e, 'group') == null ? `Removed from its group${who}` : `Moved to group ${text(field(e, 'group'))}${who}`),
  retagged: (e, who) => `Tags set to ${((field(e, 'tags') as string[] | undefined) ?? []).join(', ') || 'none'}${who}`,
  'notes-changed': (_, who) => `Notes edited${who}`,
  'came-online': (e) => `Came online (reporting every ${formatDuration(Number(field(e, 'intervalMillis')) / 1000)})`,
  'went-offline': (e) => `Went offline (last report ${formatDateTime(text(field(e, 'lastSeen')))})`,
  'reports-dropped': (e) => `The agent's spool overflowed: ${text(field(e, 'count'))} reports lost`,
  deleted: (_, who) => `Deleted${who}`,
  'alert-pending': (e) => `Alert pending: ${alertText(e)}`,
  'alert-fired': (e) => `Alert firing: ${alertText(e)}`,
  'alert-cancelled': (e) => `Alert no longer pending: ${alertText(e)}`,
  'alert-resolved': (e) => `Alert resolved (${text(field(e, 'reason'))}): ${alertText(e)}`,
  'alert-acknowledged': (e) => {
    const ack = field(e, 'acknowledgement') as { by?: string; comment?: string } | undefined;
    return `Alert acknowledged by ${e.by ?? ack?.by ?? 'someone'}${ack?.comment ? `: "${ack.comment}"` : ''}`;
  },
  silenced: (e, who) => `Notifications silenced until ${formatDateTime(text(field(e, 'until')))}${who}`,
  'silence-ended': (_, who) => `Silence ended${who}`,
  'service-went-down': (e) => `Service ${text(field(e, 'service'))} went down (${text(field(e, 'detail'))})`,
  'service-recovered': (e) => {
    const attempts = Number(field(e, 'attempts'));
    return `Service ${text(field(e, 'service'))} running again${attempts > 0 ? ` after ${attempts} restart attempt${attempts === 1 ? '' : 's'}` : ''}`;
  },
  'service-restart-attempted': (e) => `Restarting service ${text(field(e, 'service'))} (attempt ${text(field(e, 'attempt'))})`,
  'service-restart-failed': (e) => `Restart ${text(field(e, 'attempt'))} of ${text(field(e, 'service'))} failed: ${text(field(e, 'reason'))}; next at ${formatDateTime(text(field(e, 'nextAttemptAt')))}`,
  'service-recovery-gave-up': (e) => `Gave up restarting ${text(field(e, 'service'))} after ${text(field(e, 'attempts'))} attempts: ${text(field(e, 'reason'))}`,
  'service-flapping': (e) => `Service ${text(field(e, 'service'))} is flapping (${text(field(e, 'restartsInWindow'))} restarts recently): no longer restarted automatically`,
  'service-action-requested': (e, who) => `${text(field(e, 'action')).toLowerCase()} of ${text(field(e, 'service'))} requested${who}`,
  'service-action-completed': (e) => `${text(field(e, 'action')).toLowerCase()} of ${text(field(e, 'service'))}: ${text(field(e, 'result'))}${field(e, 'message') ? ` (${text(field(e, 'message'))})` : ''}`,
  'auto-restart-changed': (e, who) => `Auto-restart of ${text(field(e, 'service'))} turned ${field(e, 'enabled') === true ? 'on' : 'off'}${who}`,
};

/** One sentence per fact; an event this page does not know yet (from a newer node) by its type. */
export function describe(event: ServerEvent): string {
  return known(SENTENCES, event.type)?.(event, byWhom(event)) ?? event.type;
}

type Tone = 'good' | 'bad' | 'neutral';

/** The colour of the event's dot on the timeline. */
const TONES: Record<ServerEventType, Tone> = {
  registered: 'good',
  'hostname-changed': 'neutral',
  'agent-version-changed': 'neutral',
  'system-changed': 'neutral',
  renamed: 'neutral',
  regrouped: 'neutral',
  retagged: 'neutral',
  'notes-changed': 'neutral',
  'came-online': 'good',
  'reports-dropped': 'bad',
  'went-offline': 'bad',
  deleted: 'neutral',
  'alert-pending': 'neutral',
  'alert-fired': 'bad',
  'alert-cancelled': 'neutral',
  'alert-resolved': 'good',
  'alert-acknowledged': 'neutral',
  silenced: 'neutral',
  'silence-ended': 'neutral',
  'service-went-down': 'bad',
  'service-recovered': 'good',
  'service-restart-attempted': 'neutral',
  'service-restart-failed': 'bad',
  'service-recovery-gave-up': 'bad',
  'service-flapping': 'bad',
  'service-action-requested': 'neutral',
  'service-action-completed': 'neutral',
  'auto-restart-changed': 'neutral',
};

function tone(event: ServerEvent): Tone {
  return known(TONES, event.type) ?? 'neutral';
}
