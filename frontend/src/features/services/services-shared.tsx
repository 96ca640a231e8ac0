// What the Services tab and the service page share: the live list, actions with their confirmation and results,
// the auto-restart switch, and the status and recovery cells.
import { memo, useCallback, useEffect, useState, type ReactNode } from 'react';
import type { Service, ServiceAction, ServiceList, ServiceRecovery } from '../../lib/wire';
import { useApp } from '../../lib/app-context';
import { useNow } from '../../lib/clock';
import { formatDateTime } from '../../lib/format';
import {
  ACTIONS, actionConsequence, failureResult, isNewer, OUTCOMES, recoveryText, recoveryTooltip, sinceText, statusTooltip, type Result,
} from './services';
// The alert pages' confirmation dialog (and their stylesheet: switch, row actions, section heads) fits as it is.
import { ConfirmDialog, errorText } from '../alerts/shared';
import './services.css';
import { listServices, requestServiceAction, setAutoRestart } from './api';

export interface LoadedServices {
  list: ServiceList | null;
  error: string | null;
  loading: boolean;
  reload: () => void;
  /** Puts one service's new state (from an answer) in place. */
  replace: (service: Service) => void;
}

/** The server's services: one GET on open and on reload, and every live frame in between (the node pushes them). */
/** What both service views need: the live list, actions with their results, auto-restart, and who may act. */
export function useServiceControls(serverId: string, serverName: string) {
  const { me } = useApp();
  const services = useServices(serverId);
  const actions = useServiceActions(serverId, serverName, services.reload);
  const autoRestart = useAutoRestart(serverId, services.replace);
  return { canAct: me.role === 'ADMIN', services, actions, autoRestart };
}

export function useServices(serverId: string): LoadedServices {
  const { http, live } = useApp();
  const [list, setList] = useState<ServiceList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [attempt, setAttempt] = useState(0);

  const accept = useCallback((next: ServiceList) => {
    setList((current) => (isNewer(next, current) ? next : current));
    setError(null);
  }, []);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    listServices(http, serverId).then((answer) => { if (!cancelled) accept(answer); },
      (failure: unknown) => { if (!cancelled) setError(errorText(failure)); })
      .finally(() => { if (!cancelled) setLoading(false); });
    return () => { cancelled = true; };
  }, [http, serverId, attempt, accept]);

  useEffect(() => live.watchServices(serverId, (frame) => accept({ checkedAt: frame.checkedAt, services: frame.services })),
    [live, serverId, accept]);

  const reload = useCallback(() => setAttempt((a) => a + 1), []);
  const replace = useCallback((service: Service) => setList((current) => current === null ? current
    : { ...current, services: current.services.map((s) => (s.name === service.name ? service : s)) }), []);
  return { list, error, loading, reload, replace };
}

export interface ActionRequest {
  service: string;
  action: ServiceAction;
}

/** An action under way (`result` null) or its answer; one per service, newest first. */
export interface ActionNote extends ActionRequest {
  result: Result | null;
}

export interface ServiceActions {
  ask: (request: ActionRequest) => void;
  notes: ActionNote[];
  dismiss: (service: string) => void;
  /** The confirmation, while one is asked. */
  dialog: ReactNode;
}

/**
 * Start, stop, restart: each confirmed first (naming service and server), then sent while the page goes on; the
 * answer stays on the page until dismissed, and the list is loaded again (`onSettled`) since the service changed.
 */
export function useServiceActions(serverId: string, serverName: string, onSettled: () => void): ServiceActions {
  const { http } = useApp();
  const [asking, setAsking] = useState<ActionRequest | null>(null);
  const [notes, setNotes] = useState<ActionNote[]>([]);
  const put = useCallback((note: ActionNote) => setNotes((list) => [note, ...list.filter((n) => n.service !== note.service)]), []);

  const run = useCallback((request: ActionRequest) => {
    put({ ...request, result: null });
    void requestServiceAction(http, serverId, request.service, request.action)
      .then((answer): Result => ({ outcome: 'done', message: answer.message }), failureResult)
      .then((result) => {
        put({ ...request, result });
        onSettled();
      });
  }, [http, serverId, put, onSettled]);

  const dismiss = useCallback((service: string) => setNotes((list) => list.filter((n) => n.service !== service)), []);
  const label = asking === null ? '' : ACTIONS.find((a) => a.action === asking.action)?.label ?? asking.action;
  const dialog = asking === null ? null : (
    <ConfirmDialog title={`${label} ${asking.service} on ${serverName}?`} confirmLabel={label} danger={asking.action !== 'start'}
      message={actionConsequence(asking.action, asking.service, serverName)}
      // The dialog closes at once: an agent may take up to 30 s, and the page shows the action under way.
      onConfirm={() => { run(asking); return Promise.resolve(); }}
      onClose={() => setAsking(null)} />
  );
  return { ask: setAsking, notes, dismiss, dialog };
}

export function isBusy(notes: ActionNote[], service: string): boolean {
  return notes.some((n) => n.service === service && n.result === null);
}

/** Actions under way and their answers: done, refused, failed, timed out, not connected. */
export function ActionNotes({ notes, onDismiss }: { notes: ActionNote[]; onDismiss: (service: string) => void }) {
  if (notes.length === 0) return null;
  return (
    <div className="action-notes">
      {notes.map((note) => {
        const action = ACTIONS.find((a) => a.action === note.action);
        if (note.result === null) {
          return (
            <div key={note.service} className="action-note outcome-pending" role="status" data-testid="service-action-pending"
              data-service={note.service} title="Waiting for the agent's answer (up to 30 s)">
              {action?.busy ?? note.action} {note.service}…
            </div>
          );
        }
        const outcome = OUTCOMES[note.result.outcome];
        return (
          <div key={note.service} className={`action-note outcome-${note.result.outcome}`} role={note.result.outcome === 'done' ? 'status' : 'alert'}
            data-testid="service-action-result" data-service={note.service} data-outcome={note.result.outcome} title={outcome.tooltip}>
            <span><strong>{outcome.label}</strong> — {note.action} {note.service}: {note.result.message}</span>
            <button type="button" className="icon-button small-button" onClick={() => onDismiss(note.service)}
              title="Dismiss this message" aria-label="Dismiss">×</button>
          </div>
        );
      })}
    </div>
  );
}

/** Restart, start and stop for an admin and a controllable service; "read-only" for a discovered one. */
export function ServiceControls({ service, serverName, canAct, busy, onAsk }: {
  service: Service; serverName: string; canAct: boolean; busy: boolean; onAsk: (request: ActionRequest) => void;
}) {
  if (!service.controllable) {
    return (
      <span className="muted" data-testid="service-read-only"
        title="Discovered on the server, not in the agent's service list: Steward shows it but cannot start, stop or restart it">read-only</span>
    );
  }
  if (!canAct) return <span className="muted" title="Only admins can start, stop or restart services">—</span>;
  return (
    <>
      {ACTIONS.map((a) => (
        <button key={a.action} type="button" className={`secondary small-button${a.action === 'stop' ? ' danger-text' : ''}`}
          disabled={busy} onClick={() => onAsk({ service: service.name, action: a.action })} data-testid={`service-${a.action}`}
          title={busy ? `An action on ${service.name} is under way` : `${a.label} ${service.name} on ${serverName} (asks first)`}>
          {a.label}
        </button>
      ))}
    </>
  );
}

export interface AutoRestart {
  /** The service whose switch is being saved. */
  saving: string | null;
  error: string | null;
  toggle: (service: Service) => void;
}

/** Switches Steward's automatic restart of one service; the answer is the service's new state. */
export function useAutoRestart(serverId: string, replace: (service: Service) => void): AutoRestart {
  const { http } = useApp();
  const [saving, setSaving] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const toggle = useCallback((service: Service) => {
    setSaving(service.name);
    setError(null);
    setAutoRestart(http, serverId, service.name, !service.autoRestart).then(replace, (failure: unknown) =>
      setError(`Could not switch auto-restart ${service.autoRestart ? 'off' : 'on'} for ${service.name}: ${errorText(failure)}`))
      .finally(() => setSaving(null));
  }, [http, serverId, replace]);
  return { saving, error, toggle };
}

export function AutoRestartSwitch({ service, canAct, saving, onToggle }: {
  service: Service; canAct: boolean; saving: boolean; onToggle: (service: Service) => void;
}) {
  const on = service.autoRestart;
  const title = !service.controllable ? 'Read-only service: Steward cannot restart it'
    : !canAct ? `${on ? 'On: Steward restarts it when it goes down' : 'Off: Steward only reports it going down'} (admins can change this)`
      : on ? 'On: Steward restarts it when it goes down. Click to switch off' : 'Off: click to have Steward restart it when it goes down';
  return (
    <label className="switch" title={title}>
      <input type="checkbox" checked={on} disabled={!canAct || !service.controllable || saving} onChange={() => onToggle(service)}
        data-testid="service-auto-restart" aria-label={`Auto-restart ${service.name}`} />
      <span className="switch-track" aria-hidden="true" />
    </label>
  );
}

/** A coloured dot and the status word; the agent's detail ("active/running") in the tooltip. */
export function StatusLabel({ service, badge = false }: { service: Pick<Service, 'status' | 'detail'>; badge?: boolean }) {
  const title = `${statusTooltip(service.status)}${service.detail ? ` (${service.detail})` : ''}`;
  return (
    <span className={`svc-status svc-${service.status}${badge ? ' status' : ''}`} title={title} data-testid="service-status">
      <span className="dot" />{service.status}
    </span>
  );
}

/** "up 3 h", "down for 5 min", ticking with the page's clock. */
export const Since = memo(function Since({ status, since }: Pick<Service, 'status' | 'since'>) {
  const now = useNow();
  const title = since === null ? 'Not reported' : `${status === 'running' ? 'Running' : 'Not running'} since ${formatDateTime(since)}`;
  return <span title={title}>{sinceText({ status, since }, now)}</span>;
});

/** "restarting — attempt 2, next in 25 s", counting down; "—" when there is nothing to recover. */
export const Recovery = memo(function Recovery({ recovery }: { recovery: ServiceRecovery }) {
  const now = useNow();
  const text = recoveryText(recovery, now);
  return (
    <span className={`recovery recovery-${recovery.state}`} title={recoveryTooltip(recovery)} data-testid="service-recovery">
      {text ?? '—'}
    </span>
  );
});
