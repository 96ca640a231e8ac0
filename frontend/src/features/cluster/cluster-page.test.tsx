import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TopBar } from '../../components/top-bar';
import { parseRoute } from '../../lib/router';
import type { ClusterView } from '../../lib/wire';
import { fakeNode, renderInApp } from '../../test-support';
import ClusterPage from './cluster-page';
import { clusterAfterAFailover, NODE_1 } from './cluster-fixtures';

afterEach(cleanup);

function node(view: ClusterView | { status: number; body: unknown }) {
  return fakeNode((call) => {
    if (call.method === 'GET' && call.path === '/api/cluster') return 'status' in view ? view : { body: view };
    return undefined;
  });
}

describe('ClusterPage', () => {
  it('shows each member with its state, marks and what it hosts', async () => {
    renderInApp(<ClusterPage />, node(clusterAfterAFailover()).http);
    const first = await screen.findByTestId('member-10.0.0.1:25520');
    expect(first.textContent).toContain('(this node)');
    expect(within(first).getByTestId('member-state').textContent).toBe('up');
    expect(within(first).getByTestId('leader-mark')).toBeTruthy();
    expect(within(first).queryByTestId('oldest-mark')).toBeNull();
    expect(within(first).getByTestId('hosted-server').textContent).toBe('140');
    expect(within(first).getByTestId('hosted-server').getAttribute('title')).toBe('51 shards');
    expect(within(first).getByTestId('hosted-check').textContent).toBe('12');
    expect(first.textContent).toContain('entities, ingest');

    const second = screen.getByTestId('member-10.0.0.2:25520');
    expect(within(second).getByTestId('unreachable-mark')).toBeTruthy();
    expect(within(second).getByTestId('oldest-mark')).toBeTruthy();
    expect(within(second).getByTestId('hosted-server').textContent).toBe('—');
    expect(second.textContent).toContain('not recorded');

    expect(screen.getByRole('columnheader', { name: 'Servers' })).toBeTruthy();
    expect(screen.getByTestId('cluster-summary').textContent)
      .toBe('1 of 2 members up and reachable · leader 10.0.0.1:25520 · singletons on 10.0.0.2:25520');
    expect(screen.getByTestId('hosting-problem').textContent).toContain('did not answer');
  });

  it('shows a failover as a timeline of phases, timed from its start', async () => {
    renderInApp(<ClusterPage />, node(clusterAfterAFailover()).http);
    const failover = await screen.findByTestId('failover');
    expect(within(failover).getByTestId('failover-outcome').textContent).toBe('failed over');
    expect(failover.textContent).toContain('ended after 8.0 s');
    const phases = within(failover).getAllByTestId('failover-phase');
    expect(phases.map((phase) => phase.getAttribute('data-kind')))
      .toEqual(['unreachable', 'downed', 'removed', 'shards-moved', 'entities-recovered']);
    expect(phases[0].textContent).toMatch(/^\+0 s/);
    expect(phases[4].textContent).toContain('+11.4 s');
    expect(phases[4].textContent).toContain('entities recovered on 10.0.0.1:25520 — 90 server entities');
    expect(phases[1].textContent).toContain('seen by 10.0.0.2:25520');
    expect(phases[0].textContent).not.toContain(' on ');

    expect(screen.getAllByTestId('cluster-event').map((event) => event.getAttribute('data-kind')))
      .toEqual(['entities-recovered', 'removed', 'unreachable', 'up']);
  });

  it('says when nothing has failed over yet, and a refusal is shown with a retry', async () => {
    const calm: ClusterView = { ...clusterAfterAFailover(), failovers: [], hostingProblem: null };
    renderInApp(<ClusterPage />, node(calm).http);
    expect((await screen.findByTestId('no-failovers')).textContent).toContain('No member has been lost');
    expect(screen.queryByTestId('hosting-problem')).toBeNull();
    cleanup();

    renderInApp(<ClusterPage />, node({ status: 403, body: { error: 'this action needs the admin role', code: 'forbidden' } }).http, 'VIEWER');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Could not load the cluster'));
    expect(screen.getByRole('alert').textContent).toContain('admin role');
    expect(screen.queryByTestId('members-table')).toBeNull();
  });

  it('asks the node again every few seconds', async () => {
    const fake = node(clusterAfterAFailover());
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      renderInApp(<ClusterPage />, fake.http);
      await screen.findByTestId(`member-${NODE_1.slice(NODE_1.indexOf('@') + 1)}`);
      const before = fake.calls.length;
      await vi.advanceTimersByTimeAsync(5000);
      expect(fake.calls.length).toBeGreaterThan(before);
    } finally {
      vi.useRealTimers();
    }
  });

  it('is in the navigation for admins only, at /cluster', () => {
    expect(parseRoute('/cluster')).toEqual({ page: 'cluster' });
    expect(parseRoute('/cluster/')).toEqual({ page: 'cluster' });
    renderInApp(<TopBar route={{ page: 'cluster' }} notifications={null} />, node(clusterAfterAFailover()).http);
    expect(screen.getByTestId('nav-cluster').getAttribute('href')).toBe('/cluster');
    expect(screen.getByTestId('nav-cluster').className).toBe('active');
    cleanup();
    renderInApp(<TopBar route={{ page: 'overview' }} notifications={null} />, node(clusterAfterAFailover()).http, 'VIEWER');
    expect(screen.queryByTestId('nav-cluster')).toBeNull();
  });
});
