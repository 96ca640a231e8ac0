import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { EnrollmentTokenInfo, PendingReEnrollment } from '../../lib/wire';
import { fakeNode, renderInApp } from '../../test-support';
import { AgentIdentityPanel } from './agent-identity-panel';

afterEach(cleanup);

const token = (id: string, extra: Partial<EnrollmentTokenInfo> = {}): EnrollmentTokenInfo => ({
  id, createdBy: 'admin', createdAt: '2027-01-10T09:00:00Z', expiresAt: '2027-01-11T09:00:00Z', maxUses: 1, uses: 0,
  revokedAt: null, revokedBy: null, state: 'active', ...extra,
});

const request: PendingReEnrollment = {
  requestId: 'ree-1', serverId: 'web-01-abc', hostname: 'web-01', remote: '203.0.113.7:5123', requestedAt: '2027-01-10T09:05:00Z',
};

describe('AgentIdentityPanel', () => {
  it('lists tokens and revokes an active one', async () => {
    let revoked = false;
    const node = fakeNode((call) => {
      if (call.path === '/api/re-enrollments') return { body: { requests: [] } };
      if (call.path === '/api/enrollment-tokens') {
        return { body: { tokens: [token('aaaa', revoked ? { state: 'revoked', revokedBy: 'admin' } : {}), token('bbbb', { state: 'used-up', uses: 1 })] } };
      }
      if (call.method === 'DELETE' && call.path === '/api/enrollment-tokens/aaaa') { revoked = true; return { body: { id: 'aaaa', change: 'revoked' } }; }
      return undefined;
    });
    renderInApp(<AgentIdentityPanel />, node.http);
    await waitFor(() => expect(screen.getAllByTestId('enrollment-token')).toHaveLength(2));
    const [active, usedUp] = screen.getAllByTestId('enrollment-token');
    expect(usedUp!.textContent).toContain('Used up');
    expect(usedUp!.querySelector('button')).toBeNull();
    expect(screen.queryByTestId('re-enrollment')).toBeNull();

    fireEvent.click(active!.querySelector('button')!);
    await waitFor(() => expect(screen.getAllByTestId('enrollment-token')[0]!.getAttribute('data-state')).toBe('revoked'));
    expect(screen.getAllByTestId('enrollment-token')[0]!.textContent).toContain('Revoked by admin');
    expect(node.calls.some((call) => call.method === 'DELETE' && call.path === '/api/enrollment-tokens/aaaa')).toBe(true);
  });

  it('approves or denies a re-enrollment waiting for an admin', async () => {
    let pending = [request];
    const node = fakeNode((call) => {
      if (call.path === '/api/enrollment-tokens') return { body: { tokens: [] } };
      if (call.path === '/api/re-enrollments') return { body: { requests: pending } };
      if (call.method === 'POST' && call.path === '/api/re-enrollments/ree-1/approve') {
        pending = [];
        return { body: { id: 'ree-1', change: 'approved' } };
      }
      return undefined;
    });
    renderInApp(<AgentIdentityPanel />, node.http);
    const line = await screen.findByTestId('re-enrollment');
    expect(line.textContent).toContain('web-01-abc');
    expect(line.textContent).toContain('203.0.113.7:5123');
    expect(line.querySelector('a')!.getAttribute('href')).toBe('/servers/web-01-abc');

    fireEvent.click(screen.getByText('Approve'));
    await waitFor(() => expect(screen.queryByTestId('re-enrollment')).toBeNull());
    expect(node.calls.filter((call) => call.method === 'POST').map((call) => call.path)).toEqual(['/api/re-enrollments/ree-1/approve']);
  });

  it('says why a decision failed', async () => {
    const node = fakeNode((call) => {
      if (call.path === '/api/enrollment-tokens') return { body: { tokens: [] } };
      if (call.path === '/api/re-enrollments') return { body: { requests: [request] } };
      if (call.path === '/api/re-enrollments/ree-1/deny') return { status: 404, body: { error: 'no re-enrollment waiting for approval with this id', code: 'not-found' } };
      return undefined;
    });
    renderInApp(<AgentIdentityPanel />, node.http);
    await screen.findByTestId('re-enrollment');
    fireEvent.click(screen.getByText('Deny'));
    expect((await screen.findByRole('alert')).textContent).toContain('no re-enrollment waiting');
  });
});
