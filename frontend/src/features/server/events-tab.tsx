import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../../lib/http';
import type { ServerEvent } from '../../lib/wire';
import { useApp } from '../../lib/app-context';
import { formatDateTime, formatDuration } from '../../lib/format';
import { ErrorPanel, Skeleton } from '../../components/feedback';
import { serverEvents } from './api';

/** The server's audit trail (persisted events), newest first, as a timeline with "load more". */
export function EventsTab({ serverId }: { serverId: string }) {
  const { http } = useApp();
  const [events, setEvents] = useState<ServerEvent[]>([]);
  const [next, setNext] = useState<number | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback((before: number | null) => {
    setLoading(true);
    setError(null);
    serverEvents(http, serverId, before).then((page) => {
      setEvents((current) => (before === null ? page.events : [...current, ...page.events]));
      setNext(page.nextBefore);
    }, (failure: unknown) => setError(errorMessage(failure)))
      .finally(() => setLoading(false));
  }, [http, serverId]);

  useEffect(() => load(null), [load]);

  if (next === undefined && error === null) return <Skeleton className="card" lines={6} />;
  return (
    <section className="card pad">
      <ol className="timeline" data-testid="event-timeline">
        {events.map((event) => (
          <li key={event.sequence} className={`event event-${tone(event.type)}`}>
            <time title={formatDateTime(event.at)}>{formatDateTime(event.at)}</time>
            <span className="event-text">{describe(event)}</span>
          </li>
        ))}
      </ol>
      {events.length === 0 && error === null && <p className="muted">Nothing recorded yet.</p>}
      {error !== null && <ErrorPanel title="Could not load the history" message={error} onRetry={() => load(events.length === 0 ? null : next ?? null)} />}
      {next != null && error === null && (
        <button type="button" className="secondary" disabled={loading} onClick={() => load(next)} title="Older events">
          {loading ? 'Loading…' : 'Load more'}
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

function alertText(event: ServerEvent): string {
  const alert = field(event, 'alert') as { ruleName?: string; series?: string; condition?: string; severity?: string; value?: number } | undefined;
  if (alert === undefined) return '';
  return `${alert.ruleName ?? 'alert'} (${alert.condition ?? alert.series ?? ''}, ${(alert.severity ?? '').toLowerCase()})`;
}

/** One sentence per fact. */
export function describe(event: ServerEvent): string {
  const by = field(event, 'by');
  const who = typeof by === 'string' ? ` by ${by}` : '';
  switch (event.type) {
    case 'Registered': return `Registered as ${text(field(event, 'hostname'))} (agent ${text(field(event, 'agentVersion'))})`;
    case 'HostnameChanged': return `Hostname changed from ${text(field(event, 'from'))} to ${text(field(event, 'to'))}`;
    case 'AgentVersionChanged': return `Agent upgraded from ${text(field(event, 'from'))} to ${text(field(event, 'to'))}`;
    case 'SystemChanged': {
      const to = field(event, 'to') as { osName?: string; osVersion?: string; kernel?: string } | null;
      return `System ${field(event, 'from') == null ? 'detected' : 'changed'}: ${to?.osName ?? ''} ${to?.osVersion ?? ''}, kernel ${to?.kernel ?? '—'}`;
    }
    case 'Renamed': return field(event, 'displayName') == null ? `Display name cleared${who}` : `Renamed to "${text(field(event, 'displayName'))}"${who}`;
    case 'Regrouped': return field(event, 'group') == null ? `Removed from its group${who}` : `Moved to group ${text(field(event, 'group'))}${who}`;
    case 'Retagged': return `Tags set to ${((field(event, 'tags') as string[] | undefined) ?? []).join(', ') || 'none'}${who}`;
    case 'NotesChanged': return `Notes edited${who}`;
    case 'CameOnline': return `Came online (reporting every ${formatDuration(Number(field(event, 'intervalMillis')) / 1000)})`;
    case 'WentOffline': return `Went offline (last report ${formatDateTime(text(field(event, 'lastSeen')))})`;
    case 'ReportsDropped': return `The agent's spool overflowed: ${text(field(event, 'count'))} reports lost`;
    case 'AlertPending': return `Alert pending: ${alertText(event)}`;
    case 'AlertFired': return `Alert firing: ${alertText(event)}`;
    case 'AlertCancelled': return `Alert no longer pending: ${alertText(event)}`;
    case 'AlertResolved': return `Alert resolved (${text(field(event, 'reason'))}): ${alertText(event)}`;
    case 'Deleted': return `Deleted${who}`;
    case 'AlertAcknowledged': {
      const ack = field(event, 'acknowledgement') as { by?: string; comment?: string } | undefined;
      return `Alert acknowledged by ${ack?.by ?? 'someone'}${ack?.comment ? `: "${ack.comment}"` : ''}`;
    }
    case 'Silenced': return `Notifications silenced until ${formatDateTime(text(field(event, 'until')))}${who}`;
    case 'SilenceEnded': return `Silence ended${who}`;
    case 'ServiceWentDown': return `Service ${text(field(event, 'service'))} went down (${text(field(event, 'detail'))})`;
    case 'ServiceRecovered': {
      const attempts = Number(field(event, 'attempts'));
      return `Service ${text(field(event, 'service'))} running again${attempts > 0 ? ` after ${attempts} restart attempt${attempts === 1 ? '' : 's'}` : ''}`;
    }
    case 'ServiceRestartAttempted': return `Restarting service ${text(field(event, 'service'))} (attempt ${text(field(event, 'attempt'))})`;
    case 'ServiceRestartFailed': return `Restart ${text(field(event, 'attempt'))} of ${text(field(event, 'service'))} failed: ${text(field(event, 'reason'))}; next at ${formatDateTime(text(field(event, 'nextAttemptAt')))}`;
    case 'ServiceRecoveryGaveUp': return `Gave up restarting ${text(field(event, 'service'))} after ${text(field(event, 'attempts'))} attempts: ${text(field(event, 'reason'))}`;
    case 'ServiceFlapping': return `Service ${text(field(event, 'service'))} is flapping (${text(field(event, 'restartsInWindow'))} restarts recently): no longer restarted automatically`;
    case 'ServiceActionRequested': return `${text(field(event, 'action')).toLowerCase()} of ${text(field(event, 'service'))} requested${who}`;
    case 'ServiceActionCompleted': return `${text(field(event, 'action')).toLowerCase()} of ${text(field(event, 'service'))}: ${text(field(event, 'result'))}${field(event, 'message') ? ` (${text(field(event, 'message'))})` : ''}`;
    case 'AutoRestartChanged': return `Auto-restart of ${text(field(event, 'service'))} turned ${field(event, 'enabled') === true ? 'on' : 'off'}${who}`;
    default: return event.type;
  }
}

function tone(type: string): string {
  if (type === 'WentOffline' || type === 'AlertFired' || type === 'ReportsDropped' || type === 'ServiceWentDown'
    || type === 'ServiceRecoveryGaveUp' || type === 'ServiceFlapping' || type === 'ServiceRestartFailed') return 'bad';
  if (type === 'CameOnline' || type === 'AlertResolved' || type === 'Registered' || type === 'ServiceRecovered') return 'good';
  return 'neutral';
}
