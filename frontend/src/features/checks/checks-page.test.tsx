import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeNode, renderInApp, type Answer, type Call } from '../../test-support';
import { check, results } from './check-fixtures';
import ChecksPage from './checks-page';
import type { Check, StatusPageSetting } from './types';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  window.history.replaceState(null, '', '/');
});

const expiring = check({ id: 'api-p2q7', name: 'API', url: 'https://api.example.com/', group: undefined, state: 'partial',
  certificate: { ...check().certificate!, daysLeft: 12, mismatch: true }, uptime: { day: 0.98, week: null, month: null } });
const database = check({ id: 'db-a1b2', name: 'Database', kind: 'tcp', url: undefined, host: 'db.example.com', port: 5432,
  state: 'down', certificate: null, uptime: null, latencyMillis: null, vantages: [] });

function node(checks: () => Check[], pages: StatusPageSetting[] = [], extra: (call: Call) => Answer | undefined = () => undefined) {
  return fakeNode((call) => {
    const answer = extra(call);
    if (answer !== undefined) return answer;
    if (call.method === 'GET' && call.path === '/api/checks') return { body: { checks: checks() } };
    if (call.method === 'GET' && call.path === '/api/status-pages') return { body: { pages } };
    if (call.method === 'GET' && call.path.startsWith('/api/checks/homepage-k3x9q2/results')) return { body: results() };
    if (call.method === 'GET' && call.path === '/api/servers') return { body: [] };
    return undefined;
  });
}

const row = (id: string) => document.querySelector(`[data-testid="check-row"][data-check-id="${id}"]`) as HTMLElement;

describe('ChecksPage', () => {
  it('lists each check: state, target, group, uptimes, latency line, certificate and vantages', async () => {
    const fake = node(() => [check(), expiring, database]);
    renderInApp(<ChecksPage />, fake.http);
    await screen.findByTestId('checks-table');

    const homepage = row('homepage-k3x9q2');
    expect(homepage.getAttribute('data-state')).toBe('up');
    expect(within(homepage).getByTestId('check-state-badge').textContent).toBe('up');
    expect(within(homepage).getByTestId('check-state-badge').className).toContain('ck-tone-ok');
    expect(within(homepage).getByTestId('check-link').getAttribute('href')).toBe('/checks/homepage-k3x9q2');
    expect(within(homepage).getByTestId('check-target').textContent).toBe('https://example.com/health');
    expect(homepage.textContent).toContain('Public site');
    expect(within(homepage).getByTestId('uptime-day').textContent).toBe('99.93 %');
    expect(within(homepage).getByTestId('uptime-day').className).toContain('ck-text-ok');
    expect(within(homepage).getByTestId('uptime-month').textContent).toBe('95.00 %');
    expect(within(homepage).getByTestId('uptime-month').className).toContain('ck-text-bad');
    expect(within(homepage).getByTestId('certificate-days').textContent).toBe('45 days');
    expect(within(homepage).getByTestId('check-vantages').textContent).toBe('3 vantages, 1 abstained');
    await waitFor(() => expect(within(homepage).getByTestId('latency-sparkline').getAttribute('data-points')).not.toBe('0'));
    expect(within(homepage).getByTestId('latency-sparkline').querySelector('polyline')).not.toBeNull();
    expect(homepage.textContent).toContain('137 ms');

    const api = row('api-p2q7');
    expect(within(api).getByTestId('check-state-badge').className).toContain('ck-tone-warn');
    expect(within(api).getByTestId('certificate-days').getAttribute('data-tone')).toBe('warn');
    expect(within(api).getByTestId('certificate-days').textContent).toContain('12 days');
    expect(within(api).getByTestId('uptime-week').textContent).toBe('—');

    const db = row('db-a1b2');
    expect(within(db).getByTestId('check-state-badge').textContent).toBe('down');
    expect(within(db).getByTestId('check-target').textContent).toBe('db.example.com:5432');
    expect(within(db).getByTestId('check-vantages').textContent).toBe('0 vantages');
    expect(within(db).queryByTestId('certificate-days')).toBeNull();
  });

  it('asks again every 10 seconds', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let state: Check['state'] = 'up';
    const fake = node(() => [check({ state })]);
    renderInApp(<ChecksPage />, fake.http);
    await screen.findByTestId('checks-table');
    state = 'down';
    act(() => { vi.advanceTimersByTime(10_000); });
    await waitFor(() => expect(row('homepage-k3x9q2').getAttribute('data-state')).toBe('down'));
    expect(fake.calls.filter((c) => c.path === '/api/checks')).toHaveLength(2);
  });

  it('creates a check from "New check" and opens its page', async () => {
    const created = check({ id: 'shop-z9y8', name: 'Shop', url: 'https://shop.example.com/', state: 'pending' });
    const fake = node(() => [], [], (call) => (call.method === 'POST' && call.path === '/api/checks' ? { status: 201, body: created } : undefined));
    renderInApp(<ChecksPage />, fake.http);
    await screen.findByTestId('checks-empty');
    fireEvent.click(screen.getByRole('button', { name: 'New check' }));
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Shop' } });
    fireEvent.change(screen.getByLabelText('URL'), { target: { value: 'https://shop.example.com/' } });
    fireEvent.click(screen.getByTestId('check-form-save'));
    await waitFor(() => expect(window.location.pathname).toBe('/checks/shop-z9y8'));
    expect(fake.calls.find((c) => c.method === 'POST')?.body).toMatchObject({ name: 'Shop', url: 'https://shop.example.com/', interval: 'PT60S' });
  });

  it('shows viewers the list without the admin buttons or the status page settings', async () => {
    const fake = node(() => [check()]);
    renderInApp(<ChecksPage />, fake.http, 'VIEWER');
    await screen.findByTestId('checks-table');
    expect(screen.queryByTestId('new-check')).toBeNull();
    expect(screen.queryByTestId('import-checks')).toBeNull();
    expect(screen.queryByTestId('status-pages')).toBeNull();
    expect(screen.getByTestId('maintenance-link').getAttribute('href')).toBe('/maintenance');
    expect(fake.calls.some((c) => c.path === '/api/status-pages')).toBe(false);
  });

  it('publishes a group\'s status page and links to it', async () => {
    const fake = node(() => [check()], [{ group: 'Internal', title: 'Internal tools', enabled: true }], (call) => (call.method === 'PUT'
      ? { body: { group: 'Public site', ...(call.body as object) } } : undefined));
    renderInApp(<ChecksPage />, fake.http);
    const pages = await screen.findByTestId('status-pages');
    await waitFor(() => expect(within(pages).getAllByTestId('status-page-row')).toHaveLength(2));
    const internal = pages.querySelector('[data-group="Internal"]') as HTMLElement;
    expect(within(internal).getByTestId('status-page-link').getAttribute('href')).toBe('/status/Internal');
    // A group the checks name but the node has no setting for yet: offered, unpublished.
    const site = pages.querySelector('[data-group="Public site"]') as HTMLElement;
    expect(within(site).queryByTestId('status-page-link')).toBeNull();
    fireEvent.change(within(site).getByLabelText('Title of the Public site status page'), { target: { value: 'Example status' } });
    fireEvent.click(within(site).getByLabelText('Publish the Public site status page'));
    await waitFor(() => expect(within(pages.querySelector('[data-group="Public site"]') as HTMLElement).getByTestId('status-page-link')
      .getAttribute('href')).toBe('/status/Public%20site'));
    expect(fake.calls.find((c) => c.method === 'PUT')).toEqual({ method: 'PUT', path: '/api/status-pages/Public%20site',
      body: { title: 'Example status', enabled: true } });
  });
});
