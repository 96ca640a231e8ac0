import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeNode, renderInApp, type Answer, type Call } from '../../test-support';
import { check, results } from './check-fixtures';
import CheckPage from './check-page';
import type { Check, CheckResults } from './types';

// uPlot needs a canvas, which jsdom has not: the chart shows what it was given instead.
vi.mock('../../charts/time-chart', () => ({
  PALETTE: ['#3b82f6', '#22a06b', '#e5a000'],
  TimeChart: ({ title, series, data, testId }: { title: string; series: { label: string; color: string }[]; data: number[][]; testId?: string }) => (
    <figure data-testid={testId} data-title={title} data-series={series.map((s) => `${s.label}=${s.color}`).join(',')}
      data-columns={data.length} data-rows={data[0]?.length ?? 0} />
  ),
}));

afterEach(() => {
  cleanup();
  window.history.replaceState(null, '', '/');
});

function node(current: () => Check | null, answers: (call: Call) => Answer | undefined = () => undefined, shown: CheckResults = results()) {
  return fakeNode((call) => {
    const answer = answers(call);
    if (answer !== undefined) return answer;
    if (call.method === 'GET' && call.path === '/api/checks/homepage-k3x9q2') {
      const value = current();
      return value === null ? { status: 404, body: { error: 'no check homepage-k3x9q2', code: 'not-found' } } : { body: value };
    }
    if (call.method === 'GET' && call.path.startsWith('/api/checks/homepage-k3x9q2/results?')) return { body: shown };
    if (call.method === 'GET' && call.path === '/api/servers') return { body: [] };
    return undefined;
  });
}

describe('CheckPage', () => {
  it('shows the state, each vantage (an abstaining one greyed, with why) and the certificate', async () => {
    const mismatched = check({ state: 'partial', failingAddresses: ['2606:2800::1'],
      certificate: { ...check().certificate!, daysLeft: 2, mismatch: true, trusted: false } });
    renderInApp(<CheckPage id="homepage-k3x9q2" />, node(() => mismatched).http);
    const state = await screen.findByTestId('check-state');
    expect(state.textContent).toBe('partial');
    expect(state.getAttribute('data-state')).toBe('partial');
    expect(screen.getByTestId('check-title').textContent).toBe('Homepage');
    expect(screen.getByTestId('check-since').textContent).toBe('since 3 h ago');
    expect(screen.getByTestId('failing-addresses').textContent).toBe('2606:2800::1');

    const rows = screen.getAllByTestId('vantage-row');
    expect(rows.map((r) => r.getAttribute('data-state'))).toEqual(['up', 'up', 'abstained']);
    const abstained = within(rows[2]!).getByTestId('vantage-state');
    expect(abstained.getAttribute('title')).toBe('cannot reach its reference — not counted');
    expect(abstained.className).toContain('ck-tone-idle');
    expect(rows[2]!.textContent).toContain('db-01');
    expect(rows[2]!.textContent).toContain('dns');
    expect(rows[0]!.textContent).toContain('123 ms');
    expect(rows[0]!.textContent).toContain('93.184.216.34');

    expect(screen.getByTestId('certificate-days-left').getAttribute('data-tone')).toBe('bad');
    expect(screen.getByTestId('certificate-mismatch').textContent).toContain('Vantages or addresses are served different certificates');
    expect(screen.getByTestId('certificate-trusted').textContent).toContain('no');
    expect(screen.getByTestId('certificate-fingerprint').textContent).toBe('AB:CD:EF:01');
  });

  it('charts each vantage\'s latency of the chosen phase with the percentiles, over the chosen range', async () => {
    const fake = node(() => check());
    renderInApp(<CheckPage id="homepage-k3x9q2" />, fake.http);
    const chart = await screen.findByTestId('latency-chart');
    expect(chart.getAttribute('data-title')).toBe('Total latency per vantage');
    expect(chart.getAttribute('data-series')).toBe('web-01=#3b82f6,web-02=#22a06b');
    expect(chart.getAttribute('data-columns')).toBe('3');
    expect(chart.getAttribute('data-rows')).toBe('5');
    const stats = screen.getAllByTestId('latency-stats-row');
    expect(stats[0]!.textContent).toBe('web-01102 ms104 ms104 ms5');

    // Only the phases the results hold are offered (this one has no dns, tls or first byte).
    expect(screen.queryByTestId('phase-dns')).toBeNull();
    fireEvent.click(screen.getByTestId('phase-connect'));
    expect(screen.getByTestId('latency-chart').getAttribute('data-title')).toBe('Connect latency per vantage');
    expect(screen.getByTestId('latency-chart').getAttribute('data-series')).toBe('web-01=#3b82f6');

    const first = new URL(fake.calls.find((c) => c.path.includes('/results?'))!.path, 'http://node');
    expect(Date.parse(first.searchParams.get('to')!) - Date.parse(first.searchParams.get('from')!)).toBe(3600_000);
    fireEvent.click(screen.getByTestId('range-7d'));
    await waitFor(() => expect(fake.calls.filter((c) => c.path.includes('/results?'))).toHaveLength(2));
    const week = new URL(fake.calls.filter((c) => c.path.includes('/results?'))[1]!.path, 'http://node');
    expect(Date.parse(week.searchParams.get('to')!) - Date.parse(week.searchParams.get('from')!)).toBe(7 * 86400_000);
    expect(screen.getByTestId('range-7d').getAttribute('aria-pressed')).toBe('true');
  });

  it('lists the recent failures, the response excerpt folded and shown as text, never as HTML', async () => {
    const failing = results({ failures: [{ at: '2026-12-02T13:00:00Z', vantage: 'web-02-p2q7', reason: 'status', message: 'status 503, expected 200',
      statusCode: 503, address: '93.184.216.34', excerpt: '<h1>Down</h1><img src=x onerror="alert(1)">' }] });
    renderInApp(<CheckPage id="homepage-k3x9q2" />, node(() => check(), () => undefined, failing).http);
    const failure = await screen.findByTestId('check-failure');
    expect(failure.textContent).toContain('web-02');
    expect(failure.textContent).toContain('status 503, expected 200');
    expect(failure.textContent).toContain('503');
    expect(failure.getAttribute('data-reason')).toBe('status');
    const excerpt = within(failure).getByTestId('check-failure-excerpt');
    expect(excerpt.closest('details')?.open).toBe(false);
    expect(excerpt.textContent).toBe('<h1>Down</h1><img src=x onerror="alert(1)">');
    expect(excerpt.querySelector('h1, img')).toBeNull();
  });

  it('runs it now, naming the vantages asked', async () => {
    const fake = node(() => check(), (call) => (call.method === 'POST' && call.path === '/api/checks/homepage-k3x9q2/run'
      ? { status: 202, body: { requested: ['web-01-x7k2', 'web-02-p2q7'] } } : undefined));
    renderInApp(<CheckPage id="homepage-k3x9q2" />, fake.http);
    fireEvent.click(await screen.findByRole('button', { name: 'Run now' }));
    expect((await screen.findByTestId('run-check-result')).textContent).toBe('Asked web-01, web-02.');
  });

  it('deletes after confirmation and goes back to the list', async () => {
    window.history.replaceState(null, '', '/checks/homepage-k3x9q2');
    const fake = node(() => check(), (call) => (call.method === 'DELETE' ? { body: { deleted: 'homepage-k3x9q2' } } : undefined));
    renderInApp(<CheckPage id="homepage-k3x9q2" />, fake.http);
    fireEvent.click(await screen.findByTestId('delete-check'));
    expect(screen.getByTestId('delete-check-dialog').textContent).toContain('cannot be undone');
    expect(fake.calls.some((c) => c.method === 'DELETE')).toBe(false);
    fireEvent.click(screen.getByTestId('confirm-button'));
    await waitFor(() => expect(window.location.pathname).toBe('/checks'));
    expect(fake.calls.find((c) => c.method === 'DELETE')?.path).toBe('/api/checks/homepage-k3x9q2');
  });

  it('edits it and shows the saved check', async () => {
    const fake = node(() => check(), (call) => (call.method === 'PUT' ? { body: check({ name: 'Homepage (www)' }) } : undefined));
    renderInApp(<CheckPage id="homepage-k3x9q2" />, fake.http);
    fireEvent.click(await screen.findByTestId('edit-check'));
    fireEvent.change(screen.getByTestId('check-form-name'), { target: { value: 'Homepage (www)' } });
    fireEvent.click(screen.getByTestId('check-form-save'));
    await waitFor(() => expect(screen.getByTestId('check-title').textContent).toBe('Homepage (www)'));
    expect(screen.queryByTestId('check-form')).toBeNull();
  });

  it('says so for a check that does not exist, and hides the admin buttons from viewers', async () => {
    renderInApp(<CheckPage id="homepage-k3x9q2" />, node(() => null).http);
    expect((await screen.findByRole('alert')).textContent).toContain('No such check');
    cleanup();
    renderInApp(<CheckPage id="homepage-k3x9q2" />, node(() => check()).http, 'VIEWER');
    await screen.findByTestId('check-state');
    expect(screen.queryByTestId('run-check')).toBeNull();
    expect(screen.queryByTestId('edit-check')).toBeNull();
    expect(screen.queryByTestId('delete-check')).toBeNull();
  });
});
