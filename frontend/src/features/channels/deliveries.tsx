import { Fragment, useCallback, useEffect, useState } from 'react';
import { useApp } from '../../lib/app-context';
import { useNow } from '../../lib/clock';
import { formatDateTime, known } from '../../lib/format';
import { onLinkClick, serverPath } from '../../lib/router';
import { useLoad } from '../../lib/use-load';
import type { Channel, DeliveryKind, DeliveryState } from '../../lib/wire';
import { Ago } from '../../components/ago';
import { ErrorPanel, LoadStatus, Skeleton } from '../../components/feedback';
import { SeverityBadge } from '../../components/severity-badge';
import { formatUntil } from '../alerts/alert-format';
import { deliveryAttempts, listDeliveries } from './api';

const KIND_HINTS: Record<DeliveryKind, string> = {
  firing: 'An alert started firing',
  resolved: 'A firing alert ended',
  reminder: 'An alert still firing, not acknowledged',
  test: 'A test message sent from this page',
};

const STATE_HINTS: Record<DeliveryState, string> = {
  pending: 'Waiting to be sent, or to be retried',
  delivered: 'The channel accepted it',
  failed: 'Given up after the last retry',
};

/** The outbox, newest first; a row opens its attempts. `version` bumps (a test sent) reload it. */
export function Deliveries({ channels, version }: { channels: Channel[]; version: number }) {
  const { http } = useApp();
  const [channel, setChannel] = useState<string>('');
  const [open, setOpen] = useState<number | null>(null);
  const deliveries = useLoad(useCallback(() => listDeliveries(http, channel === '' ? null : channel, 100), [http, channel]));
  const { reload } = deliveries;
  useEffect(() => { if (version > 0) reload(); }, [version, reload]);

  return (
    <section className="alerts-section">
      <div className="section-head">
        <h2>Recent deliveries</h2>
        <div className="toolbar">
          <select value={channel} onChange={(e) => { setChannel(e.target.value); setOpen(null); }} aria-label="Channel"
            title="Only the deliveries of one channel">
            <option value="">All channels</option>
            {channels.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
          <button type="button" className="secondary" onClick={reload} disabled={deliveries.loading} title="Load the deliveries again">Refresh</button>
        </div>
      </div>
      <LoadStatus loaded={deliveries} failure="Could not load the deliveries" lines={4} />
      {deliveries.data !== null && deliveries.data.length === 0 && (
        <p className="muted card pad">Nothing sent yet — notifications appear here when alerts fire or resolve, or when you send a test.</p>
      )}
      {deliveries.data !== null && deliveries.data.length > 0 && (
        <div className="card table-card">
          <table className="data-table deliveries-table" data-testid="deliveries-table">
            <thead>
              <tr><th><span className="sr-only">Expand</span></th><th>Created</th><th>Channel</th><th>Server</th><th>What</th>
                <th>State</th><th className="num">Attempts</th><th>Next attempt</th><th>Last error</th></tr>
            </thead>
            <tbody>
              {deliveries.data.map((delivery) => {
                const expanded = open === delivery.id;
                const toggle = () => setOpen(expanded ? null : delivery.id);
                return (
                  <Fragment key={delivery.id}>
                    <tr className="clickable" onClick={toggle} data-testid="delivery-row" aria-expanded={expanded}>
                      <td>
                        <button type="button" className="th-button" title={expanded ? 'Hide the attempts' : 'Show every attempt'}
                          aria-label={expanded ? 'Hide attempts' : 'Show attempts'}
                          onClick={(event) => { event.stopPropagation(); toggle(); }}>{expanded ? '▾' : '▸'}</button>
                      </td>
                      <td><Ago iso={delivery.createdAt} /></td>
                      <td>{delivery.channelName ?? delivery.channelId}</td>
                      <td>{delivery.serverId !== null
                        ? <a href={serverPath(delivery.serverId)} onClick={(e) => { e.stopPropagation(); onLinkClick(e); }}
                          title={`Open ${delivery.serverName ?? delivery.serverId}`}>{delivery.serverName ?? delivery.serverId}</a>
                        : <span className="muted">—</span>}</td>
                      <td>
                        <div className="delivery-what"><SeverityBadge severity={delivery.severity} /> <span className="muted small"
                          title={known(KIND_HINTS, delivery.kind) ?? delivery.kind}>{delivery.kind}</span></div>
                        <div className="small">{delivery.subject}</div>
                      </td>
                      <td><span className={`state state-${delivery.state}`} title={delivery.deliveredAt
                        ? `Delivered ${formatDateTime(delivery.deliveredAt)}` : STATE_HINTS[delivery.state]}>{delivery.state}</span></td>
                      <td className="num">{delivery.attempts}</td>
                      <td>{delivery.state === 'pending' && delivery.nextAttemptAt !== null
                        ? <NextAttempt iso={delivery.nextAttemptAt} />
                        : <span className="muted">—</span>}</td>
                      <td className="error-text" title={delivery.lastError ?? ''}>{delivery.lastError ?? <span className="muted">—</span>}</td>
                    </tr>
                    {expanded && (
                      <tr className="expand-row"><td colSpan={9}><Attempts id={delivery.id} /></td></tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Only pending rows tick with the clock. */
function NextAttempt({ iso }: { iso: string }) {
  const text = formatUntil(iso, useNow());
  return <time title={formatDateTime(iso)}>{text === 'ended' ? 'due now' : text}</time>;
}

function Attempts({ id }: { id: number }) {
  const { http } = useApp();
  const { data: attempts, error, reload } = useLoad(useCallback(() => deliveryAttempts(http, id), [http, id]));
  if (error !== null) return <ErrorPanel title="Could not load the attempts" message={error} onRetry={reload} />;
  if (attempts === null) return <Skeleton lines={2} />;
  if (attempts.length === 0) return <p className="muted small">Not tried yet.</p>;
  return (
    <ol className="attempts" data-testid="delivery-attempts">
      {attempts.map((a, index) => (
        <li key={`${a.at}-${index}`} className={a.ok ? 'attempt-ok' : 'attempt-failed'}>
          <time title={formatDateTime(a.at)}>{formatDateTime(a.at)}</time>
          <span className={`state ${a.ok ? 'state-delivered' : 'state-failed'}`}>{a.ok ? 'ok' : 'failed'}</span>
          <span className="muted small">{a.millis} ms</span>
          {a.error !== null && <span className="error-text">{a.error}</span>}
        </li>
      ))}
    </ol>
  );
}
