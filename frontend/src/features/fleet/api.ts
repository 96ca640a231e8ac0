// The fleet: every server, and enrolling a new one (by token, or installed over SSH by the node).
import { apiPath, type HttpClient } from '../../lib/http';
import type {
  EnrollmentToken, EnrollmentTokenList, EnrollmentTokenRequest, IdentityChanged, ReEnrollmentList, ServerSummary,
  SshHostKey, SshHostKeyRequest, SshInstallJob, SshInstallRequest,
} from '../../lib/wire';

/** Where to download the fleet inventory (what `GET /api/servers` lists) as CSV or JSON. */
export function inventoryExportUrl(format: 'csv' | 'json'): string {
  return `/api/inventory/export?format=${format}`;
}

export function listServers(http: HttpClient): Promise<ServerSummary[]> {
  return http.get('/api/servers');
}

/** A token an agent exchanges for its own credential on first contact. */
export function createEnrollmentToken(http: HttpClient, ttl = 'PT24H', maxUses = 1): Promise<EnrollmentToken> {
  return http.post('/api/enrollment-tokens', { ttl, maxUses } satisfies EnrollmentTokenRequest);
}

/** Every enrollment token, newest first (never the token itself). */
export function listEnrollmentTokens(http: HttpClient): Promise<EnrollmentTokenList> {
  return http.get('/api/enrollment-tokens');
}

export function revokeEnrollmentToken(http: HttpClient, id: string): Promise<IdentityChanged> {
  return http.delete(`/api/enrollment-tokens/${encodeURIComponent(id)}`);
}

/** Known machines that enrolled again while their agent was reporting: each waits for an admin. */
export function listReEnrollments(http: HttpClient): Promise<ReEnrollmentList> {
  return http.get('/api/re-enrollments');
}

export function decideReEnrollment(http: HttpClient, requestId: string, approve: boolean): Promise<IdentityChanged> {
  return http.post(`/api/re-enrollments/${encodeURIComponent(requestId)}/${approve ? 'approve' : 'deny'}`);
}

/** The SSH host key `host` presents now, and whether it is new, the one pinned, or a changed one (admin). */
export function checkSshHostKey(http: HttpClient, host: string, port: number): Promise<SshHostKey> {
  return http.post('/api/ssh-installs/host-key', { host, port } satisfies SshHostKeyRequest);
}

/** Starts installing the agent over SSH with the confirmed fingerprint; the credential is used for this one connection. */
export function startSshInstall(http: HttpClient, request: SshInstallRequest): Promise<SshInstallJob> {
  return http.post('/api/ssh-installs', request);
}

/** An install with its log lines from line `from` on. */
export function sshInstall(http: HttpClient, id: string, from: number): Promise<SshInstallJob> {
  return http.get(`${apiPath`/api/ssh-installs/${id}`}?from=${from}`);
}

/** Where the node streams an install's log (`line`), its changes (`state`) and its end (`end`) as server-sent events. */
export function sshInstallEventsPath(id: string): string {
  return apiPath`/api/ssh-installs/${id}/events`;
}
