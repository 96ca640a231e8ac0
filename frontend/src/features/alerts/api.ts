// Active alerts, acknowledging them, their history, and silences.
import { apiPath, type HttpClient } from '../../lib/http';
import type { AcknowledgeRequest, ActiveAlert, AlertEpisode, Severity, Silence, SilenceEnded, SilenceInput } from '../../lib/wire';

export interface HistoryQuery {
  server?: string;
  severity?: Severity;
  limit?: number;
}

export function activeAlerts(http: HttpClient): Promise<ActiveAlert[]> {
  return http.get('/api/alerts');
}

/** Answers the alert as its server now holds it (without the silence view, and without the server's name). */
export function acknowledgeAlert(http: HttpClient, serverId: string, key: string, comment?: string): Promise<ActiveAlert> {
  const request: AcknowledgeRequest = comment ? { serverId, key, comment } : { serverId, key };
  return http.post('/api/alerts/ack', request);
}

export function alertHistory(http: HttpClient, query: HistoryQuery = {}): Promise<AlertEpisode[]> {
  const params = new URLSearchParams({ limit: String(query.limit ?? 200) });
  if (query.server) params.set('server', query.server);
  if (query.severity) params.set('severity', query.severity);
  return http.get(`/api/alerts/history?${params.toString()}`);
}

/** Where to download the whole alert history, with the same filters, as CSV (newest first, no limit). */
export function alertHistoryExportUrl(query: Omit<HistoryQuery, 'limit'> = {}): string {
  const params = new URLSearchParams({ format: 'csv' });
  if (query.server) params.set('server', query.server);
  if (query.severity) params.set('severity', query.severity);
  return `/api/alerts/history/export?${params.toString()}`;
}

export function listSilences(http: HttpClient): Promise<Silence[]> {
  return http.get('/api/silences');
}

export function createSilence(http: HttpClient, silence: SilenceInput): Promise<Silence> {
  return http.post('/api/silences', silence);
}

export function endSilence(http: HttpClient, id: string): Promise<SilenceEnded> {
  return http.delete(apiPath`/api/silences/${id}`);
}
