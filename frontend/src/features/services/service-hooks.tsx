// What the Services tab and the service page both do: keep the live list, run actions after a confirmation and keep
// their answers, and switch automatic restarts.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useApp } from '../../lib/app-context';
import { errorMessage } from '../../lib/http';
import { useLoad, type Loaded } from '../../lib/use-load';
import type { ActionName, AutoRestartSet, Service, ServiceList } from '../../lib/wire';
import { ConfirmDialog } from '../../components/dialog';
import { listServices, requestServiceAction, setAutoRestart } from './api';
import { ACTIONS, actionConsequence, failureResult, isNewer, type Result } from './services';

/** What both service views need: the live list, actions with their results, auto-restart, and who may act. */
export interface Controls {
  canAct: boolean;
  services: LoadedServices;
  actions: ServiceActions;
  autoRestart: AutoRestart;
}

export function useServiceControls(serverId: string, serverName: string): Controls {
  const { me } = useApp();
  const services = useServices(serverId);
  const actions = useServiceActions(serverId, serverName, services.reload);
  const autoRestart = useAutoRestart(serverId, services.replace);
  return { canAct: me.role === 'ADMIN', services, actions, autoRestart };
}

export interface LoadedServices extends Loaded<ServiceList> {
  /** Puts one service's new state (from an answer) in place; an answer of only its auto-restart setting sets that. */
  replace: (answer: Service | AutoRestartSet) => void;
}

/** The server's services: one GET on open and on reload, and every live frame in between (the node pushes them). */
export function useServices(serverId: string): LoadedServices {
  const { http, live } = useApp();
  const loaded = useLoad(useCallback(() => listServices(http, serverId), [http, serverId]), isNewer);
  const { accept, setData } = loaded;
  useEffect(() => live.watchServices(serverId, (frame) => accept({ checkedAt: frame.checkedAt, services: frame.services })),
    [live, serverId, accept]);
  const replace = useCallback((answer: Service | AutoRestartSet) => setData((current) => current === null ? current
    : { ...current, services: current.services.map((s) => (s.name !== answer.name ? s
      : 'status' in answer ? answer : { ...s, autoRestart: answer.autoRestart })) }), [setData]);
  return { ...loaded, replace };
}

export interface ActionRequest {
  service: string;
  action: ActionName;
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

export interface AutoRestart {
  /** The service whose switch is being saved. */
  saving: string | null;
  error: string | null;
  toggle: (service: Service) => void;
}

/** Switches Steward's automatic restart of one service; the answer is the service's new state (or the setting). */
export function useAutoRestart(serverId: string, replace: (answer: Service | AutoRestartSet) => void): AutoRestart {
  const { http } = useApp();
  const [saving, setSaving] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const toggle = useCallback((service: Service) => {
    setSaving(service.name);
    setError(null);
    setAutoRestart(http, serverId, service.name, !service.autoRestart).then(replace, (failure: unknown) =>
      setError(`Could not switch auto-restart ${service.autoRestart ? 'off' : 'on'} for ${service.name}: ${errorMessage(failure)}`))
      .finally(() => setSaving(null));
  }, [http, serverId, replace]);
  return { saving, error, toggle };
}

