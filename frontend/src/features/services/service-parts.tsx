// The pieces of a service both views show: status, since, recovery, the auto-restart switch, the action buttons and
// the answers of actions.
import { memo } from 'react';
import { useNow } from '../../lib/clock';
import { formatDateTime } from '../../lib/format';
import { known } from '../../lib/format';
import type { Service, ServiceRecovery } from '../../lib/wire';
import { ErrorPanel } from '../../components/feedback';
import { Switch } from '../../components/switch';
import type { ActionNote, ActionRequest, Controls } from './service-hooks';
import { ACTIONS, OUTCOMES, RECOVERY_NOTES, recoveryText, recoveryTooltip, sinceText, statusTooltip } from './services';
import './services.css';

/** Over what is shown: a failed reload, the answers of actions, a switch that could not be saved. */
export function ServiceNotices({ controls: { services, actions, autoRestart }, reloadFailure }: { controls: Controls; reloadFailure: string }) {
  return (
    <>
      {services.error !== null && <ErrorPanel title={reloadFailure} message={services.error} onRetry={services.reload} />}
      <ActionNotes notes={actions.notes} onDismiss={actions.dismiss} />
      {autoRestart.error !== null && <div className="form-error" role="alert" data-testid="service-auto-restart-error">{autoRestart.error}</div>}
    </>
  );
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

export function AutoRestartSwitch({ service, canAct, saving, onToggle }: {
  service: Service; canAct: boolean; saving: boolean; onToggle: (service: Service) => void;
}) {
  const on = service.autoRestart;
  const title = !service.controllable ? 'Read-only service: Steward cannot restart it'
    : !canAct ? `${on ? 'On: Steward restarts it when it goes down' : 'Off: Steward only reports it going down'} (admins can change this)`
      : on ? 'On: Steward restarts it when it goes down. Click to switch off' : 'Off: click to have Steward restart it when it goes down';
  return (
    <Switch checked={on} disabled={!canAct || !service.controllable || saving} onChange={() => onToggle(service)} title={title}
      testId="service-auto-restart" label={`Auto-restart ${service.name}`} />
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

/** "restarting — attempt 2, next in 25 s", counting down; "held — stopped by a person"; "—" when there is nothing to recover. */
export const Recovery = memo(function Recovery({ recovery }: { recovery: ServiceRecovery }) {
  const now = useNow();
  const text = recoveryText(recovery, now);
  const note = known(RECOVERY_NOTES, recovery.state) ?? null;
  return (
    <span className={`recovery recovery-${recovery.state}`} title={recoveryTooltip(recovery)} data-testid="service-recovery">
      {text ?? '—'}{note !== null && <span className="recovery-note"> — {note}</span>}
    </span>
  );
});
