import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeNode, renderInApp } from '../../test-support';
import { check, vantage } from './check-fixtures';
import ServerChecks from './server-checks';

afterEach(cleanup);

describe('a server\'s Checks tab', () => {
  it('lists the checks the server is a vantage of, with what this server sees', async () => {
    const tcp = check({ id: 'db-a1b2', name: 'Database', kind: 'tcp', url: undefined, host: 'db.example.com', port: 5432, state: 'partial',
      vantages: [vantage({ serverId: 'web-02-p2q7', serverName: 'web-02', state: 'down', reason: 'connect-refused', message: 'connection refused', latencyMillis: null }),
        vantage()] });
    const fake = fakeNode((call) => (call.path === '/api/servers/web-02-p2q7/checks' ? { body: { checks: [check(), tcp] } } : undefined));
    renderInApp(<ServerChecks serverId="web-02-p2q7" serverName="web-02" />, fake.http);
    await screen.findByTestId('server-checks-table');
    const rows = screen.getAllByTestId('server-check-row');
    expect(rows.map((r) => r.getAttribute('data-vantage-state'))).toEqual(['up', 'down']);
    expect(within(rows[0]!).getByRole('link', { name: 'Homepage' }).getAttribute('href')).toBe('/checks/homepage-k3x9q2');
    expect(rows[0]!.textContent).toContain('150 ms');
    expect(within(rows[1]!).getByTestId('check-state-badge').textContent).toBe('partial');
    expect(within(rows[1]!).getByTestId('vantage-state').textContent).toBe('down');
    expect(rows[1]!.textContent).toContain('connect-refused');
    expect(rows[1]!.textContent).toContain('db.example.com:5432');
  });

  it('says when the server runs no checks', async () => {
    const fake = fakeNode(() => ({ body: { checks: [] } }));
    renderInApp(<ServerChecks serverId="web-02-p2q7" serverName="web-02" />, fake.http);
    expect((await screen.findByTestId('server-checks-empty')).textContent).toContain('web-02 runs no checks');
  });
});
