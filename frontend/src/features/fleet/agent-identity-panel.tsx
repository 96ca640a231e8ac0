import { useCallback } from 'react';
import { useApp } from '../../lib/app-context';
import { formatDateTime } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { useLoad } from '../../lib/use-load';
import type { EnrollmentTokenState } from '../../lib/wire';
import { ErrorPanel } from '../../components/feedback';
import { decideReEnrollment, listEnrollmentTokens, listReEnrollments, revokeEnrollmentToken } from './api';

const STATE_LABELS: Record<EnrollmentTokenState, string> = {
  active: 'Active', 'used-up': 'Used up', expired: 'Expired', revoked: 'Revoked',
};

/**
 * Who may enroll (admins): machines that enrolled again while their agent was reporting (approve: the old agent is
 * locked out; deny: it keeps its credential), and the enrollment tokens, each revocable while it still works.
 */
export function AgentIdentityPanel() {
  const { http } = useApp();
  const tokens = useLoad(useCallback(() => listEnrollmentTokens(http), [http]));
  const requests = useLoad(useCallback(() => listReEnrollments(http), [http]));
  const action = useAction();

  const decide = (requestId: string, approve: boolean) => action.run(() => decideReEnrollment(http, requestId, approve),
    () => { requests.reload(); });
  const revoke = (id: string) => action.run(() => revokeEnrollmentToken(http, id), () => { tokens.reload(); });

  return (
    <section data-testid="agent-identity">
      {action.error !== null && <p className="error" role="alert">{action.error}</p>}
      {requests.error !== null && <ErrorPanel title="Could not load re-enrollments" message={requests.error} onRetry={requests.reload} />}
      {requests.data !== null && requests.data.requests.length > 0 && (
        <>
          <h3>Waiting for approval</h3>
          <p className="muted small">These machines enrolled again while their agent was still reporting. Approving
            revokes the old credential; deny unless you re-installed the machine.</p>
          <ul className="plain-list">
            {requests.data.requests.map((request) => (
              <li key={request.requestId} data-testid="re-enrollment">
                <span><a href={`/servers/${encodeURIComponent(request.serverId)}`}>{request.serverId}</a> as {request.hostname} from{' '}
                  {request.remote}, {formatDateTime(request.requestedAt)}</span>{' '}
                <button type="button" disabled={action.busy} onClick={() => decide(request.requestId, true)}
                  title="Give the server's identity to the new agent; the old one is locked out">Approve</button>{' '}
                <button type="button" disabled={action.busy} onClick={() => decide(request.requestId, false)}
                  title="Keep the old agent; the new one stays refused">Deny</button>
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>Enrollment tokens</h3>
      {tokens.error !== null && <ErrorPanel title="Could not load tokens" message={tokens.error} onRetry={tokens.reload} />}
      {tokens.data !== null && (
        <table className="table small">
          <thead><tr><th>Created</th><th>By</th><th>Uses</th><th>Expires</th><th>State</th><th /></tr></thead>
          <tbody>
            {tokens.data.tokens.map((token) => (
              <tr key={token.id} data-testid="enrollment-token" data-state={token.state}>
                <td>{formatDateTime(token.createdAt)}</td>
                <td>{token.createdBy}</td>
                <td>{token.uses} / {token.maxUses}</td>
                <td>{formatDateTime(token.expiresAt)}</td>
                <td>{STATE_LABELS[token.state] ?? token.state}{token.revokedBy !== null ? ` by ${token.revokedBy}` : ''}</td>
                <td>{token.state === 'active' && (
                  <button type="button" disabled={action.busy} onClick={() => revoke(token.id)}
                    title="No agent can enroll with this token any more">Revoke</button>
                )}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
