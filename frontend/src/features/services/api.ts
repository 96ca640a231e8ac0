// The services of a server: the list, start/stop/restart through the agent, logs, and automatic restarts.
import { apiPath, type HttpClient } from '../../lib/http';
import type {
  ActionName, AutoRestartRequest, AutoRestartSet, LogLines, Service, ServiceActionAnswer, ServiceActionRequest, ServiceList,
} from '../../lib/wire';
import type { LogLineCount } from './services';

export function listServices(http: HttpClient, serverId: string): Promise<ServiceList> {
  return http.get(apiPath`/api/servers/${serverId}/services`);
}

/**
 * Runs through the agent: an ApiError with code refused (409, nothing ran), upstream-failed (502, ran and failed),
 * not-connected (503) or timed-out (504, no answer).
 */
export function requestServiceAction(http: HttpClient, serverId: string, name: string, action: ActionName): Promise<ServiceActionAnswer> {
  return http.post(apiPath`/api/servers/${serverId}/services/${name}/actions`, { action } satisfies ServiceActionRequest);
}

/** The service's newest log lines, oldest first. */
export function serviceLogs(http: HttpClient, serverId: string, name: string, lines: LogLineCount): Promise<LogLines> {
  return http.get(`${apiPath`/api/servers/${serverId}/services/${name}/logs`}?lines=${lines}`);
}

/**
 * Answers the service's new state; or only the setting, for a service the agent's latest check did not list (the
 * node keeps the setting for when it does).
 */
export function setAutoRestart(http: HttpClient, serverId: string, name: string, enabled: boolean): Promise<Service | AutoRestartSet> {
  return http.put(apiPath`/api/servers/${serverId}/services/${name}/auto-restart`, { enabled } satisfies AutoRestartRequest);
}
