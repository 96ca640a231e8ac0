import { memo, useCallback, useEffect, useMemo, useState } from 'react';
import { useApp } from '../../lib/app-context';
import { useNow } from '../../lib/clock';
import { formatDateTime, known } from '../../lib/format';
import { errorMessage } from '../../lib/http';
import { useLoad } from '../../lib/use-load';
import type { ActiveAlert, AlertPhase, InboxKind, Silence, SilenceInput } from '../../lib/wire';
import { Ago } from '../../components/ago';
import { FormDialog } from '../../components/dialog';
import { LoadStatus } from '../../components/feedback';
import { SeverityBadge } from '../../components/severity-badge';
import { formatAlertValue, formatUntil, MAX_SILENCE_MINUTES, SILENCE_CHOICES } from './alert-format';
import { AlertSubjectCells } from './alert-subject-cells';
import { acknowledgeAlert, activeAlerts, createSilence, endSilence, listSilences } from './api';
import { useDirectory, type Directory } from './directory';

/** Alerts have no live frame of their own: reload when the inbox says one fired or resolved, and now and then. */
const REFRESH_MS = 30_000;

/** Whether an inbox item of this kind means the active alerts changed (a failing channel changes none). */
const CHANGES_ALERTS: Record<InboxKind, boolean> = {
  firing: true,
  resolved: true,
  'channel-failing': false,
  'certificate-expiring': false,
  'notifier-error': true,
  're-enrollment': false,
};

/** Active alerts (pending and firing) with acknowledge and silence, and the silences in force. */
export function ActiveTab() {
  const { http, live, me } = useApp();
  const canAct = me.role === 'ADMIN';
  const alerts = useLoad(useCallback(() => activeAlerts(http), [http]));
  const silences = useLoad(useCallback(() => listSilences(http), [http]));
  const loadedDirectory = useDirectory();
  // Active alerts name their servers and rules too: silences can be named before (or without) the directory.
  const directory = useMemo(() => withAlertNames(loadedDirectory, alerts.data ?? []), [loadedDirectory, alerts.data]);
  const [acking, setAcking] = useState<ActiveAlert | null>(null);
  const [silencing, setSilencing] = useState<{ alert: ActiveAlert | null } | null>(null);
  const { reload: reloadAlerts } = alerts;
  const silence = useCallback((alert: ActiveAlert) => setSilencing({ alert }), []);

  useEffect(() => {
    let pending: ReturnType<typeof setTimeout> | null = null;
    // A burst of items (a whole group going down) costs one reload.
    const stop = live.onInbox((item) => {
      if (!(known(CHANGES_ALERTS, item.kind) ?? true) || pending !== null) return;
      pending = setTimeout(() => { pending = null; reloadAlerts(); }, 500);
    });
    const timer = setInterval(() => { if (document.visibilityState !== 'hidden') reloadAlerts(); }, REFRESH_MS);
    return () => {
      stop();
      clearInterval(timer);
      if (pending !== null) clearTimeout(pending);
    };
  }, [live, reloadAlerts]);

  // Merge rather than replace: the acknowledge answer comes from the server's entity, which has no silence view.
  const replace = (updated: ActiveAlert) => alerts.setData((list) => (list ?? []).map((a) =>
    (a.serverId === updated.serverId && a.key === updated.key ? { ...a, ...updated, serverName: a.serverName, silencedUntil: a.silencedUntil } : a)));

  return (
    <>
      <section className="alerts-section">
        <div className="section-head">
          <h2>Active alerts {alerts.data !== null && <span className="muted">{alerts.data.length}</span>}</h2>
          <button type="button" className="secondary" onClick={alerts.reload} disabled={alerts.loading}
            title="Load the active alerts again">{alerts.loading && alerts.data !== null ? 'Refreshing…' : 'Refresh'}</button>
        </div>
        <LoadStatus loaded={alerts} failure="Could not load the active alerts" lines={4} />
        {alerts.data !== null && alerts.data.length === 0 && (
          <div className="empty card" data-testid="alerts-empty">
            <h2>No active alerts — all clear</h2>
            <p className="muted">No rule is pending or firing on any server.</p>
          </div>
        )}
        {alerts.data !== null && alerts.data.length > 0 && (
          <ActiveAlertsTable alerts={alerts.data} canAct={canAct} onAck={setAcking} onSilence={silence} />
        )}
      </section>
      <section className="alerts-section">
        <div className="section-head">
          <h2>Silences {silences.data !== null && <span className="muted">{silences.data.length}</span>}</h2>
          {canAct && <button type="button" className="secondary" onClick={() => setSilencing({ alert: null })}
            title="Stop notifications for a server or a rule for a while (maintenance)" data-testid="new-silence">New silence</button>}
        </div>
        <p className="muted small">While a silence is in force no notification is sent for what it covers; the alerts still show here.</p>
        <LoadStatus loaded={silences} failure="Could not load the silences" lines={2} />
        {silences.data !== null && silences.data.length === 0 && <p className="muted card pad">No active silences — every alert notifies.</p>}
        {silences.data !== null && silences.data.length > 0 && (
          <SilencesTable silences={silences.data} directory={directory} canAct={canAct}
            onEnded={(id) => silences.setData((list) => (list ?? []).filter((s) => s.id !== id))} />
        )}
      </section>
      {acking !== null && <AckDialog alert={acking} onClose={() => setAcking(null)} onDone={replace} />}
      {silencing !== null && (
        <SilenceDialog alert={silencing.alert} directory={directory} onClose={() => setSilencing(null)}
          onCreated={(silence) => { silences.setData((list) => [...(list ?? []), silence]); alerts.reload(); }} />
      )}
    </>
  );
}

const PHASE_TOOLTIPS: Record<AlertPhase, string> = {
  firing: 'Firing: the condition held for the rule\'s "for" time',
  pending: 'Pending: the condition holds, not yet for long enough',
};

interface TableProps {
  alerts: ActiveAlert[];
  canAct: boolean;
  onAck: (alert: ActiveAlert) => void;
  onSilence: (alert: ActiveAlert) => void;
}

export function ActiveAlertsTable({ alerts, canAct, onAck, onSilence }: TableProps) {
  return (
    <div className="card table-card">
      <table className="data-table alerts-table" data-testid="alerts-active-table">
        <thead>
          <tr>
            <th>Severity</th><th>Server</th><th>Condition</th><th className="num">Value</th><th>Since</th>
            <th>State</th><th>Acknowledged</th>{canAct && <th><span className="sr-only">Actions</span></th>}
          </tr>
        </thead>
        <tbody>
          {alerts.map((alert) => (
            <AlertRow key={`${alert.serverId}\u0000${alert.key}`} alert={alert} canAct={canAct} onAck={onAck} onSilence={onSilence} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

const AlertRow = memo(function AlertRow({ alert, canAct, onAck, onSilence }: { alert: ActiveAlert } & Omit<TableProps, 'alerts'>) {
  const ack = alert.acknowledged;
  return (
    <tr data-testid="alert-row" data-server-id={alert.serverId} data-phase={alert.phase}
      className={ack !== null ? 'is-acked' : ''}>
      <td><SeverityBadge severity={alert.severity} /></td>
      <AlertSubjectCells alert={alert} />
      <td className="num" title={alert.value === null ? 'No value yet' : `Last value: ${alert.value}`}>{formatAlertValue(alert.series, alert.value)}</td>
      <td><Ago iso={alert.since} /></td>
      <td>
        <span className={`phase phase-${alert.phase}`} title={known(PHASE_TOOLTIPS, alert.phase) ?? alert.phase}>{alert.phase}</span>
        {alert.silencedUntil !== null && (
          <div className="muted small" title={`No notifications until ${formatDateTime(alert.silencedUntil)}`}>silenced</div>
        )}
      </td>
      <td>
        {ack !== null ? (
          <span className="acked" data-testid="alert-acked"
            title={`Acknowledged by ${ack.by} at ${formatDateTime(ack.at)}${ack.comment ? `: ${ack.comment}` : ''}`}>
            ✓ {ack.by}{ack.comment ? <span className="muted small ack-comment"> — {ack.comment}</span> : null}
          </span>
        ) : <span className="muted" title="Nobody has acknowledged this alert yet">no</span>}
      </td>
      {canAct && (
        <td className="row-actions">
          {ack === null && (
            <button type="button" className="secondary small-button" onClick={() => onAck(alert)} data-testid="ack-button"
              title="Say you are on it (stops reminders); with an optional comment">Acknowledge</button>
          )}
          <button type="button" className="secondary small-button" onClick={() => onSilence(alert)} data-testid="silence-button"
            title="Stop notifications for this server or this rule for a while">Silence</button>
        </td>
      )}
    </tr>
  );
});

/** Acknowledge with an optional comment; the node answers the updated alert. */
export function AckDialog({ alert, onClose, onDone }: { alert: ActiveAlert; onClose: () => void; onDone: (alert: ActiveAlert) => void }) {
  const { http } = useApp();
  const [comment, setComment] = useState('');
  return (
    <FormDialog title="Acknowledge alert" testId="ack-dialog" onClose={onClose} errorTestId="ack-error"
      onSubmit={() => acknowledgeAlert(http, alert.serverId, alert.key, comment.trim() === '' ? undefined : comment.trim()).then(onDone)}
      cancelTitle="Close without acknowledging"
      submit={{ label: 'Acknowledge', busyLabel: 'Acknowledging…', title: 'Acknowledge this alert', testId: 'ack-confirm' }}>
      <p><strong>{alert.condition ?? alert.series}</strong> on <strong>{alert.serverName ?? alert.serverId}</strong></p>
      <label>Comment <span className="muted small">(optional)</span>
        <textarea value={comment} rows={3} maxLength={500} onChange={(e) => setComment(e.target.value)} autoFocus
          data-testid="ack-comment" title="What you are doing about it, for the others" placeholder="Looking into it" />
      </label>
    </FormDialog>
  );
}

type SilenceTarget = 'server' | 'rule' | 'both';

const SILENCE_TARGETS: { target: SilenceTarget; label: string; title: string }[] = [
  { target: 'server', label: 'A server', title: 'Every alert of one server (e.g. during its maintenance)' },
  { target: 'rule', label: 'A rule', title: 'One rule on every server' },
  { target: 'both', label: 'A rule on one server', title: 'One rule on one server only' },
];

/** A silence for a server, a rule, or a rule on one server; prefilled from an alert when opened from its row. */
export function SilenceDialog({ alert, directory, onClose, onCreated }: {
  alert: ActiveAlert | null; directory: Directory; onClose: () => void; onCreated: (silence: Silence) => void;
}) {
  const { http } = useApp();
  const [target, setTarget] = useState<SilenceTarget>('server');
  const [serverId, setServerId] = useState(alert?.serverId ?? '');
  const [ruleId, setRuleId] = useState(alert?.ruleId ?? '');
  const [choice, setChoice] = useState<number | 'custom'>(60);
  const [custom, setCustom] = useState('90');
  const [comment, setComment] = useState('');

  // The alert's own server and rule are offered even before (or without) the directory.
  const servers = directory.servers.map((s) => ({ id: s.id, name: directory.serverNames.get(s.id) ?? s.id }));
  if (alert !== null && !servers.some((s) => s.id === alert.serverId)) servers.unshift({ id: alert.serverId, name: alert.serverName ?? alert.serverId });
  const rules = directory.rules.map((r) => ({ id: r.id, name: r.name }));
  if (alert !== null && !rules.some((r) => r.id === alert.ruleId)) rules.unshift({ id: alert.ruleId, name: alert.ruleName ?? alert.ruleId });

  /** The silence to create, or what to fix first. */
  const submit = (): string | Promise<unknown> => {
    const minutes = choice === 'custom' ? Number(custom) : choice;
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_SILENCE_MINUTES) {
      return `Enter whole minutes from 1 to ${MAX_SILENCE_MINUTES} (30 days).`;
    }
    const input: SilenceInput = { minutes };
    if (target !== 'rule') {
      if (serverId === '') return 'Choose a server.';
      input.serverId = serverId;
    }
    if (target !== 'server') {
      if (ruleId === '') return 'Choose a rule.';
      input.ruleId = ruleId;
    }
    if (comment.trim() !== '') input.comment = comment.trim();
    return createSilence(http, input).then(onCreated);
  };

  return (
    <FormDialog title="Silence notifications" testId="silence-dialog" onClose={onClose} onSubmit={submit}
      cancelTitle="Close without silencing"
      submit={{ label: 'Silence', busyLabel: 'Silencing…', title: 'Start the silence now', testId: 'silence-confirm' }}>
      <fieldset className="choices">
        <legend>Silence</legend>
        {SILENCE_TARGETS.map((t) => (
          <label key={t.target} className="check" title={t.title}>
            <input type="radio" name="target" checked={target === t.target} onChange={() => setTarget(t.target)} /> {t.label}
          </label>
        ))}
      </fieldset>
      {target !== 'rule' && (
        <ChooseOne label="Server" value={serverId} onChange={setServerId} options={servers} title="The server to silence" testId="silence-server" />
      )}
      {target !== 'server' && (
        <ChooseOne label="Rule" value={ruleId} onChange={setRuleId} options={rules} title="The rule to silence" testId="silence-rule" />
      )}
      <div className="field">
        <span className="field-label">For</span>
        <div className="segmented" role="group" aria-label="Duration">
          {SILENCE_CHOICES.map((c) => (
            <button key={c.minutes} type="button" className={choice === c.minutes ? 'active' : ''}
              onClick={() => setChoice(c.minutes)} title={`Silence for ${c.label}`}>{c.label}</button>
          ))}
          <button type="button" className={choice === 'custom' ? 'active' : ''} onClick={() => setChoice('custom')}
            title="Any number of minutes, up to 30 days">Custom</button>
        </div>
        {choice === 'custom' && (
          <label className="inline">
            <input type="number" min={1} max={MAX_SILENCE_MINUTES} step={1} value={custom} onChange={(e) => setCustom(e.target.value)}
              aria-label="Minutes" title={`Minutes, 1 to ${MAX_SILENCE_MINUTES}`} data-testid="silence-minutes" /> minutes
          </label>
        )}
      </div>
      <label>Comment <span className="muted small">(optional)</span>
        <textarea value={comment} rows={2} maxLength={500} onChange={(e) => setComment(e.target.value)}
          title="Why, e.g. the maintenance being done" placeholder="Kernel upgrade and reboot" />
      </label>
    </FormDialog>
  );
}

/** "Choose a server…", then the servers (or rules) by name. */
function ChooseOne({ label, value, onChange, options, title, testId }: {
  label: string; value: string; onChange: (id: string) => void; options: { id: string; name: string }[]; title: string; testId: string;
}) {
  return (
    <label>{label}
      <select value={value} onChange={(e) => onChange(e.target.value)} title={title} data-testid={testId}>
        <option value="">Choose a {label.toLowerCase()}…</option>
        {options.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
      </select>
    </label>
  );
}

function withAlertNames(directory: Directory, alerts: ActiveAlert[]): Directory {
  if (alerts.length === 0) return directory;
  const serverNames = new Map(directory.serverNames);
  const ruleNames = new Map(directory.ruleNames);
  for (const alert of alerts) {
    if (!serverNames.has(alert.serverId) && alert.serverName !== null) serverNames.set(alert.serverId, alert.serverName);
    if (!ruleNames.has(alert.ruleId) && alert.ruleName !== null) ruleNames.set(alert.ruleId, alert.ruleName);
  }
  return { ...directory, serverNames, ruleNames };
}

function silenceTarget(silence: Silence, directory: Directory): string {
  const server = silence.serverId === null ? null : directory.serverNames.get(silence.serverId) ?? silence.serverId;
  const rule = silence.ruleId === null ? null : directory.ruleNames.get(silence.ruleId) ?? silence.ruleId;
  if (server !== null && rule !== null) return `Rule ${rule} on ${server}`;
  if (server !== null) return `Server ${server}`;
  return `Rule ${rule ?? '—'} (every server)`;
}

function SilencesTable({ silences, directory, canAct, onEnded }: {
  silences: Silence[]; directory: Directory; canAct: boolean; onEnded: (id: string) => void;
}) {
  const { http } = useApp();
  const now = useNow();
  const [error, setError] = useState<string | null>(null);
  const [ending, setEnding] = useState<string | null>(null);
  const end = (id: string) => {
    setEnding(id);
    setError(null);
    endSilence(http, id).then(() => onEnded(id), (failure: unknown) => setError(errorMessage(failure))).finally(() => setEnding(null));
  };
  const sorted = [...silences].sort((a, b) => Date.parse(a.until) - Date.parse(b.until));
  return (
    <div className="card table-card">
      {error !== null && <div className="form-error" role="alert">Could not end the silence: {error}</div>}
      <table className="data-table" data-testid="silences-table">
        <thead><tr><th>Silenced</th><th>Ends</th><th>Comment</th><th>By</th>{canAct && <th><span className="sr-only">Actions</span></th>}</tr></thead>
        <tbody>
          {sorted.map((silence) => (
            <tr key={silence.id} data-testid="silence-row">
              <td>{silenceTarget(silence, directory)}</td>
              <td title={formatDateTime(silence.until)}>{formatUntil(silence.until, now)}</td>
              <td>{silence.comment || <span className="muted">—</span>}</td>
              <td title={`Created ${formatDateTime(silence.createdAt)}`}>{silence.by}</td>
              {canAct && (
                <td className="row-actions">
                  <button type="button" className="secondary small-button" disabled={ending === silence.id}
                    onClick={() => end(silence.id)} title="End this silence now: notifications resume" data-testid="end-silence">End now</button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
