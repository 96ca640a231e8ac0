import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { useApp } from '../../lib/app-context';
import { formatDuration, serverName } from '../../lib/format';
import { ApiError } from '../../lib/http';
import { LiveWindow } from '../../lib/live-window';
import { navigate, onLinkClick, serverPath, type ServerTab } from '../../lib/router';
import type { MetricsReport, ServerDetail, ServerSummary } from '../../lib/wire';
import { Ago } from '../../components/ago';
import { ErrorPanel, Skeleton } from '../../components/feedback';
import { ServiceView } from '../services/service-view';
import { ServicesTab } from '../services/services-tab';
import { serverDetail } from './api';
import { EventsTab } from './events-tab';
import { HistoryTab } from './history-tab';
import { LiveTab } from './live-tab';
import { ProcessesTab } from './processes-tab';
import { livePointOfReport, livePointOfWindow } from './series';
import { SettingsTab } from './settings-tab';

// Backups are visited rarely next to the live values: their code stays out of the server page's download.
const BackupsSection = lazy(() => import('../backups/backups-section'));
const ServerChecks = lazy(() => import('../checks/server-checks'));

/** Points kept for the live charts: 10 minutes at a 1 s interval. */
const LIVE_POINTS = 600;

export interface LiveState {
  summary: ServerSummary;
  report: MetricsReport | null;
  window: LiveWindow;
  /** Bumped on every appended point, so charts know to redraw. */
  version: number;
}

const TABS: { tab: ServerTab; label: string; tooltip: string; adminOnly?: boolean }[] = [
  { tab: 'overview', label: 'Overview', tooltip: 'Live values and charts' },
  { tab: 'history', label: 'History', tooltip: 'Charts over 1 hour to 30 days' },
  { tab: 'processes', label: 'Processes', tooltip: 'Heaviest processes by CPU and memory' },
  { tab: 'services', label: 'Services', tooltip: 'Services the agent watches: status, auto-restart, start/stop, logs' },
  { tab: 'backups', label: 'Backups', tooltip: 'Backup jobs of this server: status, runs, host keys, snapshots and restores' },
  { tab: 'checks', label: 'Checks', tooltip: 'URL, TCP, TLS and DNS checks this server runs as a vantage, and what it sees' },
  { tab: 'events', label: 'Events', tooltip: 'Everything that happened to this server' },
  { tab: 'settings', label: 'Settings', tooltip: 'Name, group, tags, notes; delete', adminOnly: true },
];

/**
 * `service`: one service's page, shown under the Services tab; `backupJob`: one backup job's page, under the Backups
 * tab (null for the tabs themselves).
 */
export default function ServerPage({ id, tab, service = null, backupJob = null }: {
  id: string; tab: ServerTab; service?: string | null; backupJob?: string | null;
}) {
  const { http, live, me } = useApp();
  const [detail, setDetail] = useState<ServerDetail | null>(null);
  const [state, setState] = useState<LiveState | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [removed, setRemoved] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const liveWindow = useRef(new LiveWindow(LIVE_POINTS));

  useEffect(() => {
    let cancelled = false;
    setError(null);
    setDetail(null);
    setState(null);
    liveWindow.current = new LiveWindow(LIVE_POINTS);
    serverDetail(http, id).then((loaded) => {
      if (cancelled) return;
      // Live frames may have arrived first: merge the history in rather than appending it.
      liveWindow.current.merge(loaded.recent.map(livePointOfWindow));
      setDetail(loaded);
      setState((current) => current === null
        ? { summary: loaded, report: loaded.latest, window: liveWindow.current, version: 0 }
        : { ...current, version: current.version + 1 });
    }, (failure: unknown) => {
      if (!cancelled) setError(failure instanceof ApiError ? failure : new ApiError(0, String(failure)));
    });
    const stop = live.watchServer(id, (frame) => {
      if (cancelled) return;
      if (frame.type === 'removed') {
        setRemoved(true);
        return;
      }
      if (frame.report !== null) liveWindow.current.push(livePointOfReport(frame.report));
      setState((current) => ({
        summary: frame.summary,
        report: frame.report ?? current?.report ?? null,
        window: liveWindow.current,
        version: (current?.version ?? 0) + 1,
      }));
    });
    return () => {
      cancelled = true;
      stop();
    };
  }, [http, live, id, attempt]);

  const retry = useCallback(() => setAttempt((a) => a + 1), []);

  if (removed) {
    return <main className="page"><ErrorPanel title="This server was deleted" message="It no longer exists on this node."
      onRetry={() => navigate('/')} /></main>;
  }
  if (error !== null) {
    return (
      <main className="page">
        <ErrorPanel title={error.status === 404 ? 'No such server' : 'Could not load this server'}
          message={error.message} onRetry={error.status === 404 ? undefined : retry} />
        <p><a href="/" onClick={onLinkClick}>Back to all servers</a></p>
      </main>
    );
  }
  if (detail === null || state === null) {
    return <main className="page"><Skeleton lines={2} /><div className="grid">{[0, 1, 2].map((i) => <Skeleton key={i} className="card" lines={4} />)}</div></main>;
  }
  const summary = state.summary;
  const host = state.report?.host;
  const system = detail.system;
  return (
    <main className="page">
      <nav className="crumbs"><a href="/" onClick={onLinkClick} title="Back to all servers">Servers</a> / {serverName(summary)}</nav>
      <header className="server-head card">
        <div className="server-title">
          <span className={`dot dot-large ${summary.online ? 'dot-online' : 'dot-offline'}`} />
          <h1 data-testid="server-title">{serverName(summary)}</h1>
          <span className={`status ${summary.online ? 'status-online' : 'status-offline'}`} data-testid="server-status"
            title={summary.online ? 'Reporting' : 'No report for 3 intervals'}>
            {summary.online ? 'Online' : 'Offline'}
          </span>
          <span className="muted">last seen <Ago iso={summary.lastSeen} /></span>
        </div>
        <dl className="facts">
          <div><dt>Hostname</dt><dd>{summary.hostname}</dd></div>
          <div><dt>IP addresses</dt><dd>{summary.addresses.join(', ') || '—'}</dd></div>
          <div><dt>OS</dt><dd>{[system?.osName ?? host?.osName, system?.osVersion ?? host?.osVersion].filter(Boolean).join(' ') || '—'}</dd></div>
          <div><dt>Kernel</dt><dd>{system?.kernel ?? host?.kernel ?? '—'}</dd></div>
          <div><dt>CPU</dt><dd>{system?.cpuModel ?? '—'}{system ? ` · ${system.logicalCpus} threads` : ''}</dd></div>
          <div><dt>Uptime</dt><dd>{formatDuration(host?.uptimeSeconds ?? summary.uptimeSeconds)}</dd></div>
          <div><dt>Agent</dt><dd>{summary.agentVersion ?? '—'}</dd></div>
          {summary.group && <div><dt>Group</dt><dd>{summary.group}</dd></div>}
        </dl>
        {summary.tags.length > 0 && <div className="tags">{summary.tags.map((t) => <span key={t} className="tag">{t}</span>)}</div>}
      </header>
      <nav className="tabs" role="tablist">
        {TABS.filter((t) => !t.adminOnly || me.role === 'ADMIN').map((t) => (
          <a key={t.tab} role="tab" aria-selected={tab === t.tab} className={tab === t.tab ? 'active' : ''}
            href={serverPath(id, t.tab)} onClick={onLinkClick} title={t.tooltip} data-testid={`tab-${t.tab}`}>{t.label}</a>
        ))}
      </nav>
      {tab === 'overview' && <LiveTab state={state} />}
      {tab === 'history' && <HistoryTab serverId={id} report={state.report} />}
      {tab === 'processes' && <ProcessesTab serverId={id} report={state.report} />}
      {tab === 'services' && service === null && <ServicesTab serverId={id} serverName={serverName(summary)} />}
      {tab === 'services' && service !== null && <ServiceView key={service} serverId={id} serverName={serverName(summary)} name={service} />}
      {tab === 'backups' && (
        <Suspense fallback={<Skeleton className="card" lines={5} />}>
          <BackupsSection serverId={id} serverName={serverName(summary)} online={summary.online} jobId={backupJob} />
        </Suspense>
      )}
      {tab === 'checks' && (
        <Suspense fallback={<Skeleton className="card" lines={4} />}>
          <ServerChecks serverId={id} serverName={serverName(summary)} />
        </Suspense>
      )}
      {tab === 'events' && <EventsTab serverId={id} />}
      {tab === 'settings' && me.role === 'ADMIN' && <SettingsTab summary={summary} />}
    </main>
  );
}
