// The fleet: every server, and enrolling a new one.
import type { HttpClient } from '../../lib/http';
import type {
  EnrollmentToken, EnrollmentTokenList, EnrollmentTokenRequest, IdentityChanged, ReEnrollmentList, ServerSummary,
} from '../../lib/wire';

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
