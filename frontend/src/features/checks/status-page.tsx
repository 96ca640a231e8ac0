// A group's public status page (/status/{group}): shown to anyone, signed in or not, once an admin published it.
// The overall state, then each check's state and 90 days of uptime as bars. Refreshed every minute.
import { useCallback, useMemo } from 'react';
import { known } from '../../lib/format';
import { ApiError, HttpClient } from '../../lib/http';
import { useEvery } from '../../lib/use-every';
import { useLoad } from '../../lib/use-load';
import { Ago } from '../../components/ago';
import { ErrorPanel, Skeleton } from '../../components/feedback';
import { publicStatus } from './api';
import { CHECK_STATES, formatUptime, uptimeTone } from './check-format';
import { CheckStateBadge } from './state-badge';
import type { CheckState, PublicCheckStatus, StatusDay } from './types';
import './status-page.css';

const HEADLINES: Record<CheckState, string> = {
  up: 'All systems operational',
  partial: 'Partial outage',
  down: 'Major outage',
  maintenance: 'Under maintenance',
  pending: 'Waiting for the first results',
};

const NOT_PUBLISHED = 'not-published' as const;

/** The mean of the days with data (each day weighs the same); null without any. */
export function averageUptime(days: StatusDay[]): number | null {
  const known = days.map((d) => d.uptime).filter((u): u is number => u !== null);
  return known.length === 0 ? null : known.reduce((sum, u) => sum + u, 0) / known.length;
}

/** `http` is for tests; the page makes its own client otherwise (it needs no session). */
export default function StatusPage({ group, http: given }: { group: string; http?: HttpClient }) {
  const http = useMemo(() => given ?? new HttpClient(), [given]);
  const status = useLoad(useCallback(() => publicStatus(http, group).catch((failure: unknown): typeof NOT_PUBLISHED => {
    if (failure instanceof ApiError && failure.status === 404) return NOT_PUBLISHED;
    throw failure;
  }), [http, group]));
  useEvery(60_000, status.reload);

  if (status.data === NOT_PUBLISHED) {
    return (
      <main className="page st-page" data-testid="status-page">
        <div className="empty card" data-testid="status-not-published"><h1>This status page is not published</h1>
          <p className="muted">Check the address, or ask whoever gave it to you.</p></div>
      </main>
    );
  }
  if (status.data === null) {
    return (
      <main className="page st-page" data-testid="status-page">
        {status.error !== null ? <ErrorPanel title="Could not load the status" message={status.error} onRetry={status.reload} /> : <Skeleton lines={6} />}
      </main>
    );
  }
  const page = status.data;
  return (
    <main className="page st-page" data-testid="status-page">
      <header className="st-head">
        <h1 data-testid="status-title">{page.title}</h1>
        <div className={`st-overall card ck-tone-${known(CHECK_STATES, page.state)?.tone ?? 'idle'}`}
          data-testid="status-overall" data-state={page.state}>
          <CheckStateBadge state={page.state} testId="status-state" />
          <strong>{known(HEADLINES, page.state) ?? page.state}</strong>
        </div>
      </header>
      {status.error !== null && <p className="muted small" role="status">Could not refresh: {status.error}</p>}
      <ul className="st-checks">
        {page.checks.map((check, i) => <StatusCheck key={`${check.name}-${i}`} check={check} />)}
      </ul>
      {page.checks.length === 0 && <p className="muted">No checks in this group.</p>}
      <footer className="muted small st-foot">Uptime per day; time in maintenance is not counted.</footer>
    </main>
  );
}

function StatusCheck({ check }: { check: PublicCheckStatus }) {
  const average = averageUptime(check.days);
  return (
    <li className="card pad st-check" data-testid="status-check" data-state={check.state}>
      <div className="st-check-head">
        <strong>{check.name}</strong>
        <CheckStateBadge state={check.state} />
        {check.since && <span className="muted small">since <Ago iso={check.since} /></span>}
        <span className="st-average muted small" title="Average of the days with data">{formatUptime(average)} over {check.days.length} days</span>
      </div>
      <div className="st-days" role="list" aria-label={`${check.name}: uptime per day, oldest first`}>
        {check.days.map((day) => {
          const label = `${day.day}: ${day.uptime === null ? 'no data' : formatUptime(day.uptime)}`;
          return <span key={day.day} role="listitem" className={`st-day ck-tone-${uptimeTone(day.uptime)}`} title={label} aria-label={label}
            data-testid="status-day" data-uptime={day.uptime ?? ''} />;
        })}
      </div>
      <div className="st-axis muted small"><span>{check.days.length} days ago</span><span>today</span></div>
    </li>
  );
}
