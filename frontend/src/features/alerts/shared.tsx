// What the alert pages share: their tab row, severity badges, dialogs, and loading a request into state.
import { useCallback, useEffect, useRef, useState, type Dispatch, type ReactNode, type SetStateAction } from 'react';
import { ApiError } from '../../lib/http';
import type { AlertRule, ServerSummary, Severity } from '../../lib/wire';
import { serverName } from '../../lib/format';
import { useApp } from '../../lib/app-context';
import { ALERT_HISTORY_PATH, ALERT_RULES_PATH, ALERTS_PATH, CHANNELS_PATH, onLinkClick } from '../../lib/router';
import './alerts.css';
import { listServers } from '../fleet/api';
import { listAlertRules } from '../rules/api';

export type AlertSection = 'active' | 'history' | 'rules' | 'channels';

const SECTIONS: { section: AlertSection; path: string; label: string; tooltip: string }[] = [
  { section: 'active', path: ALERTS_PATH, label: 'Active', tooltip: 'Alerts pending or firing now, and silences' },
  { section: 'history', path: ALERT_HISTORY_PATH, label: 'History', tooltip: 'Past and current firing episodes' },
  { section: 'rules', path: ALERT_RULES_PATH, label: 'Rules', tooltip: 'What fires an alert' },
  { section: 'channels', path: CHANNELS_PATH, label: 'Channels', tooltip: 'Where notifications go, and their deliveries' },
];

/** Heading and tab row of the alert pages (Active and History are tabs of one page; Rules and Channels pages). */
export function AlertsHeader({ section, children }: { section: AlertSection; children?: ReactNode }) {
  return (
    <>
      <div className="page-head"><h1>Alerts</h1>{children}</div>
      <nav className="tabs" role="tablist">
        {SECTIONS.map((s) => (
          <a key={s.section} role="tab" aria-selected={section === s.section} className={section === s.section ? 'active' : ''}
            href={s.path} onClick={onLinkClick} title={s.tooltip} data-testid={`alerts-tab-${s.section}`}>{s.label}</a>
        ))}
      </nav>
    </>
  );
}

export function SeverityBadge({ severity }: { severity: Severity | null }) {
  if (severity === null) return <span className="muted">—</span>;
  return (
    <span className={`badge ${severity === 'critical' ? 'badge-crit' : 'badge-warn'}`} data-testid="severity"
      title={severity === 'critical' ? 'Critical: needs attention now' : 'Warning: needs attention soon'}>{severity}</span>
  );
}

export function errorText(failure: unknown): string {
  return failure instanceof ApiError || failure instanceof Error ? failure.message : String(failure);
}

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload: () => void;
  setData: Dispatch<SetStateAction<T | null>>;
}

/** Runs `load` (re-run when it changes or on reload) and keeps the last answer while a reload is out. */
export function useLoad<T>(load: () => Promise<T>): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    load().then((answer) => {
      if (cancelled) return;
      setData(answer);
      setError(null);
    }, (failure: unknown) => {
      if (!cancelled) setError(errorText(failure));
    }).finally(() => { if (!cancelled) setLoading(false); });
    return () => { cancelled = true; };
  }, [load, attempt]);
  const reload = useCallback(() => setAttempt((a) => a + 1), []);
  return { data, error, loading, reload, setData };
}

export interface Directory {
  servers: ServerSummary[];
  rules: AlertRule[];
  serverNames: ReadonlyMap<string, string>;
  ruleNames: ReadonlyMap<string, string>;
}

/** Servers and rules by id, to name what silences and scopes refer to; best effort (ids shown if it fails). */
export function useDirectory(): Directory {
  const { http } = useApp();
  const [directory, setDirectory] = useState<Directory>({ servers: [], rules: [], serverNames: new Map(), ruleNames: new Map() });
  useEffect(() => {
    let cancelled = false;
    void Promise.all([listServers(http).catch(() => []), listAlertRules(http).catch(() => [])]).then(([servers, rules]) => {
      if (cancelled) return;
      setDirectory({
        servers: [...servers].sort((a, b) => serverName(a).localeCompare(serverName(b))),
        rules,
        serverNames: new Map(servers.map((s) => [s.id, serverName(s)])),
        ruleNames: new Map(rules.map((r) => [r.id, r.name])),
      });
    });
    return () => { cancelled = true; };
  }, [http]);
  return directory;
}

/**
 * A modal dialog that is open while mounted; Escape or the Cancel button unmount it through `onClose`.
 * Removing an open modal <dialog> from the page closes it.
 */
export function Modal({ title, onClose, children, testId, wide = false }: {
  title: string; onClose: () => void; children: ReactNode; testId?: string; wide?: boolean;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element !== null && !element.open) element.showModal();
  }, []);
  return (
    <dialog ref={dialog} className={wide ? 'dialog' : 'dialog dialog-narrow'} onClose={onClose} data-testid={testId}
      aria-label={title}>
      <h2>{title}</h2>
      {children}
    </dialog>
  );
}

/** "Delete X?" with the consequence spelled out; the action's error stays in the dialog. Red unless `danger` is false. */
export function ConfirmDialog({ title, message, confirmLabel, onConfirm, onClose, danger = true }: {
  title: string; message: string; confirmLabel: string; onConfirm: () => Promise<unknown>; onClose: () => void; danger?: boolean;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = () => {
    setBusy(true);
    setError(null);
    onConfirm().then(onClose, (failure: unknown) => {
      setError(errorText(failure));
      setBusy(false);
    });
  };
  return (
    <Modal title={title} onClose={onClose} testId="confirm-dialog">
      <p>{message}</p>
      {error !== null && <div className="form-error" role="alert">{error}</div>}
      <div className="dialog-actions">
        <button type="button" className="secondary" onClick={onClose} title="Keep it">Cancel</button>
        <button type="button" className={danger ? 'danger' : ''} disabled={busy} onClick={confirm} data-testid="confirm-button"
          title={confirmLabel}>{busy ? 'Working…' : confirmLabel}</button>
      </div>
    </Modal>
  );
}
