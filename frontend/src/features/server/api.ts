// One server: its detail, metric history, audit events, processes, and editing or deleting it.
import { apiPath, type HttpClient } from '../../lib/http';
import type { Deleted, DetailsPatch, EventPage, ProcessList, SeriesAnswer, ServerDetail, ServerSummary } from '../../lib/wire';

export function serverDetail(http: HttpClient, id: string): Promise<ServerDetail> {
  return http.get(apiPath`/api/servers/${id}`);
}

export function metricSeries(http: HttpClient, id: string, name: string, from: Date, to: Date): Promise<SeriesAnswer> {
  const query = new URLSearchParams({ name, from: from.toISOString(), to: to.toISOString() });
  return http.get(`${apiPath`/api/servers/${id}/metrics`}?${query.toString()}`);
}

/** The file formats of `GET /api/servers/{id}/export`. */
export type ExportFormat = 'csv' | 'json';

/**
 * Where to download a server's metrics from `from` to `to` (every series, or the one `name`), at the resolution a
 * chart of that range uses; the rows are `time,series,value`.
 */
export function metricsExportUrl(id: string, format: ExportFormat, from: Date, to: Date, name?: string): string {
  const query = new URLSearchParams({ format, from: from.toISOString(), to: to.toISOString() });
  if (name !== undefined) query.set('name', name);
  return `${apiPath`/api/servers/${id}/export`}?${query.toString()}`;
}

/** The audit history, newest first, `limit` entries older than the sequence number `before` (null: the newest). */
export function serverEvents(http: HttpClient, id: string, before: number | null, limit = 50): Promise<EventPage> {
  const query = new URLSearchParams({ limit: String(limit) });
  if (before !== null) query.set('before', String(before));
  return http.get(`${apiPath`/api/servers/${id}/events`}?${query.toString()}`);
}

export function updateServerDetails(http: HttpClient, id: string, patch: DetailsPatch): Promise<ServerSummary> {
  return http.patch(apiPath`/api/servers/${id}`, patch);
}

export function deleteServer(http: HttpClient, id: string): Promise<Deleted> {
  return http.delete(apiPath`/api/servers/${id}`);
}

/** Every process on the server, asked from the agent now (reports carry only the heaviest 10). */
export function allProcesses(http: HttpClient, id: string): Promise<ProcessList> {
  return http.get(apiPath`/api/servers/${id}/processes`);
}
