// The checks API: checks and their results, running one now, the checks of a server, maintenance windows, public
// status pages and importing from other tools. Reading is for everyone (the status page for anyone, signed in or
// not); writing is for admins (the node answers 403 otherwise).
import { apiPath, type HttpClient } from '../../lib/http';
import type {
  Check, CheckDefinition, CheckDeleted, CheckList, CheckResults, ImportAnswer, ImportRequest, MaintenanceList,
  MaintenanceWindow, MaintenanceWindowInput, PublicStatus, RunRequested, StatusPageList, StatusPageSetting,
  StatusPageUpdate,
} from './types';

export function listChecks(http: HttpClient): Promise<CheckList> {
  return http.get('/api/checks');
}

export function getCheck(http: HttpClient, id: string): Promise<Check> {
  return http.get(apiPath`/api/checks/${id}`);
}

/** 201 the check; 400 `{"error": "interval: …"}` naming the field. */
export function createCheck(http: HttpClient, definition: CheckDefinition): Promise<Check> {
  return http.post('/api/checks', definition);
}

/** A full replacement: every field as for a new check. */
export function updateCheck(http: HttpClient, id: string, definition: CheckDefinition): Promise<Check> {
  return http.put(apiPath`/api/checks/${id}`, definition);
}

export function deleteCheck(http: HttpClient, id: string): Promise<CheckDeleted> {
  return http.delete(apiPath`/api/checks/${id}`);
}

/** Latency per vantage and phase, up/down, percentiles and the newest failures between `from` and `to`. */
export function checkResults(http: HttpClient, id: string, from: Date, to: Date): Promise<CheckResults> {
  const query = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
  return http.get(`${apiPath`/api/checks/${id}/results`}?${query.toString()}`);
}

/** Asks the connected vantages to run the check now (202); the answer names them. */
export function runCheck(http: HttpClient, id: string): Promise<RunRequested> {
  return http.post(apiPath`/api/checks/${id}/run`);
}

/** The checks this server is a vantage of. */
export function serverChecks(http: HttpClient, serverId: string): Promise<CheckList> {
  return http.get(apiPath`/api/servers/${serverId}/checks`);
}

export function listMaintenance(http: HttpClient): Promise<MaintenanceList> {
  return http.get('/api/maintenance');
}

export function createMaintenance(http: HttpClient, window: MaintenanceWindowInput): Promise<MaintenanceWindow> {
  return http.post('/api/maintenance', window);
}

export function updateMaintenance(http: HttpClient, id: string, window: MaintenanceWindowInput): Promise<MaintenanceWindow> {
  return http.put(apiPath`/api/maintenance/${id}`, window);
}

export function deleteMaintenance(http: HttpClient, id: string): Promise<unknown> {
  return http.delete(apiPath`/api/maintenance/${id}`);
}

/** Every group's status page setting (admin). */
export function listStatusPages(http: HttpClient): Promise<StatusPageList> {
  return http.get('/api/status-pages');
}

export function updateStatusPage(http: HttpClient, group: string, update: StatusPageUpdate): Promise<StatusPageSetting> {
  return http.put(apiPath`/api/status-pages/${group}`, update);
}

/** A group's public status; 404 unless its page is enabled. Needs no session. */
export function publicStatus(http: HttpClient, group: string): Promise<PublicStatus> {
  return http.get(apiPath`/api/status/${group}`);
}

/** Checks from another tool's export; with `dryRun` nothing is created and the answer says what would be. */
export function importChecks(http: HttpClient, request: ImportRequest): Promise<ImportAnswer> {
  return http.post('/api/checks/import', request);
}
