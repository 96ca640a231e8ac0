import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useApp } from '../../lib/app-context';
import { formatBytes, formatDateTime, formatPercent } from '../../lib/format';
import { onLinkClick, serverPath } from '../../lib/router';
import { useAction } from '../../lib/use-action';
import { useLoad } from '../../lib/use-load';
import type { AlertRule, Service } from '../../lib/wire';
import { Ago } from '../../components/ago';
import { ErrorPanel, LoadStatus, Skeleton } from '../../components/feedback';
import { createAlertRule, deleteAlertRule, listAlertRules } from '../rules/api';
import { serviceLogs } from './api';
import { isBusy, useServiceControls } from './service-hooks';
import { AutoRestartSwitch, Recovery, ServiceControls, ServiceNotices, Since, StatusLabel } from './service-parts';
import { failureResult, LOG_LINE_CHOICES, OUTCOMES, type LogLineCount, type Result } from './services';

/** Live tail: how often the logs are loaded again while the page is visible. */
const TAIL_MS = 2000;

/** One service: status, properties, actions and its logs. Shown by the server page under its Services tab. */
export function ServiceView({ serverId, serverName, name }: { serverId: string; serverName: string; name: string }) {
  const controls = useServiceControls(serverId, serverName);
  const { canAct, services, actions, autoRestart } = controls;
  const list = services.data;
  const service = list?.services.find((s) => s.name === name) ?? null;
  const back = serverPath(serverId, 'services');

  let head;
  if (list === null) {
    head = <LoadStatus loaded={services} failure="Could not load the service" lines={4} />;
  } else if (service === null) {
    head = (
      <div className="empty card" data-testid="service-missing">
        <h2>{serverName} reports no service named {name}</h2>
        <p className="muted">It may have been removed from the agent's configuration. <a href={back} onClick={onLinkClick}
          title="All services of this server">See the services it reports</a>.</p>
      </div>
    );
  } else {
    head = (
      <>
        <header className="card pad service-head">
          <div className="server-title">
            <h2 data-testid="service-title">{service.name}</h2>
            <StatusLabel service={service} badge />
            <SubscribeToggle serverId={serverId} name={service.name} />
          </div>
          {service.description && <p className="muted service-description">{service.description}</p>}
          <div className="service-controls">
            <ServiceControls service={service} serverName={serverName} canAct={canAct} busy={isBusy(actions.notes, service.name)}
              onAsk={actions.ask} />
          </div>
        </header>
        <ServiceNotices controls={controls} reloadFailure="Could not reload the service" />
        <Properties service={service} checkedAt={list.checkedAt} canAct={canAct} saving={autoRestart.saving === service.name}
          onToggle={autoRestart.toggle} />
      </>
    );
  }

  return (
    <div className="service-view">
      <nav className="crumbs"><a href={back} onClick={onLinkClick} title="All services of this server">Services</a> / {name}</nav>
      {head}
      {service !== null && <ServiceLogs serverId={serverId} name={name} />}
      {actions.dialog}
    </div>
  );
}

function Properties({ service, checkedAt, canAct, saving, onToggle }: {
  service: Service; checkedAt: string | null; canAct: boolean; saving: boolean; onToggle: (service: Service) => void;
}) {
  return (
    <section className="card pad">
      <h2>Properties</h2>
      <dl className="facts" data-testid="service-properties">
        <div><dt>Kind</dt><dd>{service.kind}</dd></div>
        <div><dt>Main PID</dt><dd>{service.mainPid ?? '—'}</dd></div>
        <div><dt>Memory</dt><dd>{formatBytes(service.memoryBytes)}</dd></div>
        <div><dt>CPU</dt><dd>{formatPercent(service.cpuPercent)}</dd></div>
        <div><dt title="Counted by the service manager (systemd NRestarts)">Restarts</dt><dd>{service.restarts ?? '—'}</dd></div>
        <div><dt>Since</dt><dd><Since status={service.status} since={service.since} />
          {service.since !== null && <div className="muted small">{formatDateTime(service.since)}</div>}</dd></div>
        <div><dt>Detail</dt><dd className="mono">{service.detail ?? '—'}</dd></div>
        <div><dt>Auto-restart</dt><dd><AutoRestartSwitch service={service} canAct={canAct} saving={saving} onToggle={onToggle} /></dd></div>
        <div><dt>Recovery</dt><dd><Recovery recovery={service.recovery} />
          {service.recovery.lastResult !== null && <div className="muted small" title="The last automatic restart's result">{service.recovery.lastResult}</div>}</dd></div>
        <div><dt>Last checked</dt><dd><Ago iso={checkedAt} /></dd></div>
      </dl>
    </section>
  );
}

/**
 * "Notify me": a rule on this one service of this one server (`service.down{service=…}`, no delay), so the channels
 * hear the moment it goes down — sooner than the default rule's minute. On = the rule exists; off deletes it.
 */
function SubscribeToggle({ serverId, name }: { serverId: string; name: string }) {
  const { http, me } = useApp();
  const metric = `service.down{service=${name}}`;
  // Rules unreadable: the toggle stays off and disabled.
  const subscription = useLoad(useCallback(() => listAlertRules(http).then((rules) => ({
    rule: rules.find((r) => r.metric === metric && r.scope.kind === 'server' && r.scope.value === serverId) ?? null,
  })), [http, metric, serverId]));
  const change = useAction();
  const rule = subscription.data?.rule;
  const toggle = (on: boolean) => {
    change.run((): Promise<AlertRule | null> => (on
      ? createAlertRule(http, { name: `${name} down (subscribed)`, metric, comparison: 'above', threshold: 0.5, for: 'PT0S',
        severity: 'warning', scope: { kind: 'server', value: serverId } })
      : rule ? deleteAlertRule(http, rule.id).then(() => null) : Promise.resolve(null)), (next) => subscription.setData({ rule: next }));
  };
  return (
    <label className="check subscribe" title={me.role === 'ADMIN'
      ? 'Notify me about this service: an alert rule for this service on this server, sent to the notification channels as soon as it goes down'
      : 'Only an admin can change which services notify'}>
      <input type="checkbox" checked={rule != null} disabled={rule === undefined || me.role !== 'ADMIN'} data-testid="service-subscribe"
        onChange={(e) => toggle(e.target.checked)} />
      Notify me
      {change.error !== null && <span className="error-text small" data-testid="subscribe-error"> {change.error}</span>}
    </label>
  );
}

/** Within this many pixels of the end counts as "at the bottom": new lines keep it there. */
const BOTTOM_SLACK_PX = 24;

function atBottom(element: HTMLElement | null): boolean {
  return element === null || element.scrollHeight - element.scrollTop - element.clientHeight <= BOTTOM_SLACK_PX;
}

/** The newest log lines, on demand or tailed every 2 s while the page is visible. */
export function ServiceLogs({ serverId, name }: { serverId: string; name: string }) {
  const { http } = useApp();
  const [lines, setLines] = useState<LogLineCount>(100);
  const [log, setLog] = useState<string[] | null>(null);
  const [error, setError] = useState<Result | null>(null);
  const [loading, setLoading] = useState(false);
  const [tail, setTail] = useState(false);
  const view = useRef<HTMLPreElement>(null);
  const stick = useRef(true);
  // Only the newest request may show its answer: a slow one must not replace a later one (or another line count).
  const request = useRef(0);

  const load = useCallback((): Promise<void> => {
    const id = ++request.current;
    setLoading(true);
    return serviceLogs(http, serverId, name, lines).then((answer) => {
      if (id !== request.current) return;
      stick.current = atBottom(view.current);
      setLog(answer.lines);
      setError(null);
    }, (failure: unknown) => {
      if (id === request.current) setError(failureResult(failure));
    }).finally(() => { if (id === request.current) setLoading(false); });
  }, [http, serverId, name, lines]);

  useEffect(() => {
    void load();
    return () => { request.current++; };
  }, [load]);

  // Newest lines are last: follow them if the reader was at the bottom, leave them alone if they scrolled up.
  useLayoutEffect(() => {
    const element = view.current;
    if (element !== null && stick.current) element.scrollTop = element.scrollHeight;
  }, [log]);

  useEffect(() => {
    if (!tail) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let inFlight = false;
    let ended = false;
    const tick = () => {
      timer = null;
      // A hidden tab asks nothing; becoming visible again resumes at once.
      if (ended || inFlight || document.visibilityState === 'hidden') return;
      inFlight = true;
      void load().finally(() => {
        inFlight = false;
        if (!ended) timer = setTimeout(tick, TAIL_MS);
      });
    };
    const visibility = () => { if (document.visibilityState !== 'hidden' && timer === null) tick(); };
    timer = setTimeout(tick, TAIL_MS);
    document.addEventListener('visibilitychange', visibility);
    return () => {
      ended = true;
      if (timer !== null) clearTimeout(timer);
      document.removeEventListener('visibilitychange', visibility);
    };
  }, [tail, load]);

  const failure = error === null ? null
    : error.outcome === 'error' ? 'Could not load the logs' : `Could not load the logs — ${OUTCOMES[error.outcome].label.toLowerCase()}`;
  return (
    <section className="card pad service-logs">
      <div className="section-head">
        <h2>Logs</h2>
        <div className="toolbar">
          <label className="inline" title="How many of the newest lines to show">Lines
            <select value={lines} onChange={(e) => setLines(Number(e.target.value) as LogLineCount)} data-testid="service-log-lines">
              {LOG_LINE_CHOICES.map((n) => <option key={n} value={n}>{n}</option>)}
            </select>
          </label>
          <button type="button" className="secondary" onClick={() => void load()} disabled={loading && !tail}
            title="Load the newest lines now" data-testid="service-log-refresh">{loading && !tail ? 'Loading…' : 'Refresh'}</button>
          <label className="check" title="Load the newest lines every 2 s while this page is visible (stays at the bottom if you are there)">
            <input type="checkbox" checked={tail} data-testid="service-live-tail"
              onChange={(e) => { setTail(e.target.checked); if (e.target.checked) void load(); }} />
            Live tail
          </label>
        </div>
      </div>
      {error !== null && failure !== null && <ErrorPanel title={failure} message={error.message} onRetry={() => void load()} />}
      {log === null && error === null && <Skeleton lines={6} />}
      {log !== null && (
        <pre ref={view} className="log-view" data-testid="service-logs" tabIndex={0} aria-label={`Logs of ${name}`}>
          {log.length === 0 ? <span className="muted">No log lines.</span> : log.join('\n')}
        </pre>
      )}
    </section>
  );
}
