// The fleet: every server, and enrolling a new one.
import type { HttpClient } from '../../lib/http';
import type { EnrollmentToken, EnrollmentTokenRequest, ServerSummary } from '../../lib/wire';

export function listServers(http: HttpClient): Promise<ServerSummary[]> {
  return http.get('/api/servers');
}

/** A token an agent exchanges for its own credential on first contact. */
export function createEnrollmentToken(http: HttpClient, ttl = 'PT24H', maxUses = 1): Promise<EnrollmentToken> {
  return http.post('/api/enrollment-tokens', { ttl, maxUses } satisfies EnrollmentTokenRequest);
}
