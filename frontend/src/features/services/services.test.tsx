import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AutoRestartSet, ErrorBody, Service, ServiceList } from '../../lib/wire';
import { ServiceView } from './service-view';
import { ServicesTab } from './services-tab';
import { fakeNode, renderInApp, type Answer, type Call } from '../../test-support';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  localStorage.clear();
});

const IDLE = { state: 'idle', attempts: 0, nextAttemptAt: null, lastResult: null } as const;

function service(name: string, extra: Partial<Service> = {}): Service {
  return {
    name, kind: 'systemd', status: 'running', detail: 'active/running', description: `The ${name} service`, mainPid: 1234,
    memoryBytes: 50 * 1024 * 1024, cpuPercent: 1.5, restarts: 0, since: new Date(Date.now() - 3 * 3600_000 - 60_000).toISOString(),
    controllable: true, autoRestart: true, recovery: IDLE, ...extra,
  };
}

function fleet(): ServiceList {
  return {
    checkedAt: new Date(Date.now() - 5000).toISOString(),
    services: [
      service('nginx'),
      service('app', {
        kind: 'process', status: 'down', detail: 'pid gone; port 8080 refused', since: new Date(Date.now() - 90_000).toISOString(),
        restarts: 4, recovery: { state: 'restarting', attempts: 2, nextAttemptAt: new Date(Date.now() + 25_000).toISOString(), lastResult: 'exit 1' },
      }),
      service('worker', { status: 'down', recovery: { state: 'gave-up', attempts: 5, nextAttemptAt: null, lastResult: 'exit 1' } }),
      service('sshd', { controllable: false, autoRestart: false }),
    ],
  };
}

/** A node with the fleet above; `extra` answers anything else first. */
function node(extra: (call: Call) => Answer | undefined = () => undefined) {
  return fakeNode((call) => extra(call) ?? (call.method === 'GET' && call.path === '/api/servers/web-1/services' ? { body: fleet() } : undefined));
}

const row = (name: string) => screen.getAllByTestId('service-row').find((r) => r.getAttribute('data-service') === name)!;
const posts = (calls: Call[]) => calls.filter((c) => c.method !== 'GET');

describe('ServicesTab', () => {
  it('shows status, kind, since, usage and recovery; buttons only for controllable services', async () => {
    renderInApp(<ServicesTab serverId="web-1" serverName="web-1" />, node().http);
    await screen.findByTestId('services-table');
    const rows = screen.getAllByTestId('service-row');
    expect(rows.map((r) => [r.getAttribute('data-service'), r.getAttribute('data-status')])).toEqual([
      ['nginx', 'running'], ['app', 'down'], ['worker', 'down'], ['sshd', 'running']]);

    const nginx = row('nginx');
    expect(within(nginx).getByTestId('service-status').textContent).toBe('running');
    expect(within(nginx).getByTestId('service-status').getAttribute('title')).toContain('active/running');
    expect(nginx.textContent).toContain('up 3 h 1 min');
    expect(nginx.textContent).toContain('50.0 MiB');
    expect(nginx.textContent).toContain('1.5 %');
    expect(within(nginx).getByRole('link', { name: 'nginx' }).getAttribute('href')).toBe('/servers/web-1/services/nginx');
    expect(within(nginx).getByTestId('service-recovery').textContent).toBe('—');
    for (const id of ['service-restart', 'service-start', 'service-stop']) expect(within(nginx).getByTestId(id)).toBeTruthy();

    const app = row('app');
    expect(within(app).getByTestId('service-status').textContent).toBe('down');
    expect(app.textContent).toContain('down for 1 min');
    expect(within(app).getByTestId('service-recovery').textContent).toBe('restarting — attempt 2, next in 25 s');
    expect(within(app).getByTestId('service-recovery').getAttribute('title')).toContain('exit 1');
    expect(within(row('worker')).getByTestId('service-recovery').textContent).toBe('gave up');

    const sshd = row('sshd');
    expect(within(sshd).getByTestId('service-read-only').textContent).toBe('read-only');
    expect(within(sshd).getByTestId('service-read-only').getAttribute('title')).toContain('cannot start, stop or restart');
    expect(within(sshd).queryByRole('button')).toBeNull();
    expect((within(sshd).getByTestId('service-auto-restart') as HTMLInputElement).disabled).toBe(true);
    expect((within(nginx).getByTestId('service-auto-restart') as HTMLInputElement).disabled).toBe(false);
  });

  it('shows a service a person stopped as held, not as failing to recover', async () => {
    const held = service('nginx', { status: 'stopped', since: new Date().toISOString(),
      recovery: { state: 'held', attempts: 0, nextAttemptAt: null, lastResult: 'stopped by alice' } });
    renderInApp(<ServicesTab serverId="web-1" serverName="web-1" />,
      fakeNode(() => ({ body: { checkedAt: new Date().toISOString(), services: [held] } })).http);
    await screen.findByTestId('services-table');
    const cell = within(row('nginx')).getByTestId('service-recovery');
    expect(cell.textContent).toBe('held — stopped by a person');
    expect(cell.className).toContain('recovery-held');
    expect(cell.getAttribute('title')).toContain('stopped by alice');
  });

  it('offers viewers no actions and no switches', async () => {
    renderInApp(<ServicesTab serverId="web-1" serverName="web-1" />, node().http, 'VIEWER');
    await screen.findByTestId('services-table');
    expect(screen.getAllByTestId('service-row')).toHaveLength(4);
    for (const id of ['service-restart', 'service-start', 'service-stop']) expect(screen.queryAllByTestId(id)).toHaveLength(0);
    expect(screen.getAllByTestId('service-auto-restart').every((s) => (s as HTMLInputElement).disabled)).toBe(true);
    expect(within(row('sshd')).getByTestId('service-read-only')).toBeTruthy();
  });

  it('asks before restarting, POSTs the action and shows a 409 as refused', async () => {
    const fake = node((call) => (call.method === 'POST'
      ? { status: 409, body: { error: "nginx is not in this agent's service list", code: 'refused' } satisfies ErrorBody } : undefined));
    renderInApp(<ServicesTab serverId="web-1" serverName="Shop front" />, fake.http);
    await screen.findByTestId('services-table');
    fireEvent.click(within(row('nginx')).getByTestId('service-restart'));

    const dialog = screen.getByTestId('confirm-dialog');
    expect(dialog.textContent).toContain('Restart nginx on Shop front?');
    expect(posts(fake.calls)).toHaveLength(0);
    fireEvent.click(within(dialog).getByTestId('confirm-button'));

    const result = await screen.findByTestId('service-action-result');
    expect(result.getAttribute('data-outcome')).toBe('refused');
    expect(result.getAttribute('data-service')).toBe('nginx');
    expect(result.textContent).toContain('Refused');
    expect(result.textContent).toContain("nginx is not in this agent's service list");
    expect(posts(fake.calls)).toEqual([{ method: 'POST', path: '/api/servers/web-1/services/nginx/actions', body: { action: 'restart' } }]);
    expect(screen.queryByTestId('confirm-dialog')).toBeNull();
    // The list is loaded again after the action.
    await waitFor(() => expect(fake.calls.filter((c) => c.path === '/api/servers/web-1/services')).toHaveLength(2));
  });

  it('sends nothing when the confirmation is cancelled', async () => {
    const fake = node();
    renderInApp(<ServicesTab serverId="web-1" serverName="web-1" />, fake.http);
    await screen.findByTestId('services-table');
    fireEvent.click(within(row('nginx')).getByTestId('service-stop'));
    fireEvent.click(within(screen.getByTestId('confirm-dialog')).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByTestId('confirm-dialog')).toBeNull();
    expect(posts(fake.calls)).toHaveLength(0);
  });

  it.each([
    [200, { ok: true, message: 'started app' }, 'done', 'Done', 'started app'],
    [502, { error: 'start command failed: exit 1' }, 'failed', 'Failed', 'start command failed: exit 1'],
    [503, { error: 'the agent is not connected' }, 'not-connected', 'Not connected', 'the agent is not connected'],
    [504, { error: 'no answer from the agent within 30 s' }, 'timed-out', 'Timed out', 'no answer from the agent within 30 s'],
  ])('shows a %i answer to start as %s', async (status, body, outcome, label, message) => {
    const fake = node((call) => (call.method === 'POST' ? { status, body } : undefined));
    renderInApp(<ServicesTab serverId="web-1" serverName="web-1" />, fake.http);
    await screen.findByTestId('services-table');
    fireEvent.click(within(row('app')).getByTestId('service-start'));
    fireEvent.click(screen.getByTestId('confirm-button'));
    const result = await screen.findByTestId('service-action-result');
    expect(result.getAttribute('data-outcome')).toBe(outcome);
    expect(result.textContent).toContain(label);
    expect(result.textContent).toContain(message);
    expect(posts(fake.calls)[0]!.body).toEqual({ action: 'start' });
  });

  it('switches auto-restart with a PUT and shows the answer', async () => {
    const fake = node((call) => (call.method === 'PUT' ? { body: service('nginx', { autoRestart: false }) } : undefined));
    renderInApp(<ServicesTab serverId="web-1" serverName="web-1" />, fake.http);
    await screen.findByTestId('services-table');
    const toggle = within(row('nginx')).getByTestId('service-auto-restart') as HTMLInputElement;
    expect(toggle.checked).toBe(true);
    fireEvent.click(toggle);
    await waitFor(() => expect((within(row('nginx')).getByTestId('service-auto-restart') as HTMLInputElement).checked).toBe(false));
    expect(posts(fake.calls)).toEqual([{ method: 'PUT', path: '/api/servers/web-1/services/nginx/auto-restart', body: { enabled: false } }]);
  });

  it('takes an answer of only the setting (a service the node\'s view does not list yet) for the switch alone', async () => {
    const fake = node((call) => (call.method === 'PUT' ? { body: { name: 'app', autoRestart: false } satisfies AutoRestartSet } : undefined));
    renderInApp(<ServicesTab serverId="web-1" serverName="web-1" />, fake.http);
    await screen.findByTestId('services-table');
    fireEvent.click(within(row('app')).getByTestId('service-auto-restart'));
    await waitFor(() => expect((within(row('app')).getByTestId('service-auto-restart') as HTMLInputElement).checked).toBe(false));
    expect(within(row('app')).getByTestId('service-status').textContent).toBe('down');
    expect(within(row('app')).getByTestId('service-recovery').textContent).toContain('restarting');
  });

  it('updates rows from live services frames of its server only, never with older news', async () => {
    const { context, sockets } = renderInApp(<ServicesTab serverId="web-1" serverName="web-1" />, node().http);
    await screen.findByTestId('services-table');
    context.live.start();
    sockets[0]!.open();
    expect(sockets[0]!.sent.map((m) => JSON.parse(m) as unknown)).toContainEqual({ type: 'watch-server', serverId: 'web-1' });

    const later = new Date(Date.now() + 1000).toISOString();
    const downNginx = { ...service('nginx'), status: 'down', since: new Date().toISOString(),
      recovery: { state: 'restarting', attempts: 1, nextAttemptAt: new Date(Date.now() + 10_000).toISOString(), lastResult: null } };
    act(() => sockets[0]!.receive({ type: 'services', serverId: 'web-2', checkedAt: later, services: [] }));
    expect(screen.getAllByTestId('service-row')).toHaveLength(4);

    act(() => sockets[0]!.receive({ type: 'services', serverId: 'web-1', checkedAt: later, services: [downNginx, service('app')] }));
    expect(screen.getAllByTestId('service-row')).toHaveLength(2);
    expect(row('nginx').getAttribute('data-status')).toBe('down');
    expect(within(row('nginx')).getByTestId('service-status').textContent).toBe('down');
    // The page's clock ticks each second, so an already shown row may count from up to 1 s ago.
    expect(within(row('nginx')).getByTestId('service-recovery').textContent).toMatch(/^restarting — attempt 1, next in (10|11) s$/);

    act(() => sockets[0]!.receive({ type: 'services', serverId: 'web-1', checkedAt: new Date(Date.now() - 60_000).toISOString(), services: [] }));
    expect(row('nginx').getAttribute('data-status')).toBe('down');
  });

  it('says how to get services when none are reported', async () => {
    const fake = fakeNode((call) => (call.method === 'GET' ? { body: { checkedAt: null, services: [] } } : undefined));
    renderInApp(<ServicesTab serverId="web-1" serverName="web-1" />, fake.http);
    expect((await screen.findByTestId('services-empty')).textContent)
      .toContain('No services reported — configure services in the agent (see README)');
    expect(screen.queryByTestId('services-table')).toBeNull();
  });

  it('shows a failed load with a retry', async () => {
    let fail = true;
    const fake = node((call) => (fail && call.method === 'GET' ? { status: 500, body: { error: 'database unavailable' } } : undefined));
    renderInApp(<ServicesTab serverId="web-1" serverName="web-1" />, fake.http);
    expect((await screen.findByRole('alert')).textContent).toContain('database unavailable');
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByTestId('services-table')).toBeTruthy();
  });
});

describe('ServiceView', () => {
  const logs = (lines: number) => Array.from({ length: 3 }, (_, i) => `2026-11-29T10:00:0${i}+0000 web-1 nginx[12]: line ${i} of ${lines}`);
  const logNode = (extra: (call: Call) => Answer | undefined = () => undefined) => node((call) => {
    const answer = extra(call);
    if (answer !== undefined) return answer;
    const match = /^\/api\/servers\/web-1\/services\/nginx\/logs\?lines=(\d+)$/.exec(call.path);
    return match === null ? undefined : { body: { lines: logs(Number(match[1])) } };
  });
  const logCalls = (calls: Call[]) => calls.filter((c) => c.path.includes('/logs')).map((c) => c.path.replace(/^.*\/logs/, ''));

  it('shows the header, properties and actions of the service', async () => {
    renderInApp(<ServiceView serverId="web-1" serverName="web-1" name="app" />, node().http);
    expect((await screen.findByTestId('service-title')).textContent).toBe('app');
    expect(screen.getByTestId('service-status').textContent).toBe('down');
    expect(screen.getByText('The app service')).toBeTruthy();
    const properties = screen.getByTestId('service-properties');
    expect(properties.textContent).toContain('process');
    expect(properties.textContent).toContain('1234');
    expect(properties.textContent).toContain('pid gone; port 8080 refused');
    expect(within(properties).getByTestId('service-recovery').textContent).toBe('restarting — attempt 2, next in 25 s');
    expect(screen.getByTestId('service-restart')).toBeTruthy();
  });

  it('asks the chosen number of log lines', async () => {
    const fake = logNode();
    renderInApp(<ServiceView serverId="web-1" serverName="web-1" name="nginx" />, fake.http);
    expect((await screen.findByTestId('service-logs')).textContent).toContain('line 2 of 100');
    fireEvent.change(screen.getByTestId('service-log-lines'), { target: { value: '500' } });
    await waitFor(() => expect(screen.getByTestId('service-logs').textContent).toContain('line 2 of 500'));
    expect(logCalls(fake.calls)).toEqual(['?lines=100', '?lines=500']);
    fireEvent.click(screen.getByTestId('service-log-refresh'));
    await waitFor(() => expect(logCalls(fake.calls)).toEqual(['?lines=100', '?lines=500', '?lines=500']));
  });

  it('shows a log failure inline with a retry', async () => {
    let fail = true;
    const fake = logNode((call) => (fail && call.path.includes('/logs') ? { status: 503, body: { error: 'the agent is not connected', code: 'not-connected' } satisfies ErrorBody } : undefined));
    renderInApp(<ServiceView serverId="web-1" serverName="web-1" name="nginx" />, fake.http);
    const panel = await screen.findByRole('alert');
    expect(panel.textContent).toContain('Could not load the logs — not connected');
    expect(panel.textContent).toContain('the agent is not connected');
    fail = false;
    fireEvent.click(within(panel).getByRole('button', { name: 'Retry' }));
    expect((await screen.findByTestId('service-logs')).textContent).toContain('line 0 of 100');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('tails the logs every 2 s while the page is visible', async () => {
    const fake = logNode();
    renderInApp(<ServiceView serverId="web-1" serverName="web-1" name="nginx" />, fake.http);
    await screen.findByTestId('service-logs');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let visibility: DocumentVisibilityState = 'visible';
    const spy = vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
    try {
      fireEvent.click(screen.getByTestId('service-live-tail'));
      await act(() => vi.advanceTimersByTimeAsync(0));
      expect(logCalls(fake.calls)).toHaveLength(2);
      await act(() => vi.advanceTimersByTimeAsync(2000));
      expect(logCalls(fake.calls)).toHaveLength(3);
      await act(() => vi.advanceTimersByTimeAsync(2000));
      expect(logCalls(fake.calls)).toHaveLength(4);

      visibility = 'hidden';
      await act(() => vi.advanceTimersByTimeAsync(10_000));
      expect(logCalls(fake.calls)).toHaveLength(4);
      visibility = 'visible';
      act(() => { document.dispatchEvent(new Event('visibilitychange')); });
      await act(() => vi.advanceTimersByTimeAsync(0));
      expect(logCalls(fake.calls)).toHaveLength(5);

      fireEvent.click(screen.getByTestId('service-live-tail'));
      await act(() => vi.advanceTimersByTimeAsync(10_000));
      expect(logCalls(fake.calls)).toHaveLength(5);
    } finally {
      spy.mockRestore();
    }
  });

  it('"notify me" is a rule on this service of this server: created when switched on, deleted when off', async () => {
    const created = { id: 'rule-1', name: 'nginx down (subscribed)', metric: 'service.down{service=nginx}', comparison: 'above',
      threshold: 0.5, recovery: 0.5, for: 'PT0S', severity: 'warning', scope: { kind: 'server', value: 'web-1' }, enabled: true,
      condition: 'service.down{service=nginx} > 0.5' };
    let rules: unknown[] = [];
    const combined = logNode((call) => {
      if (call.path === '/api/alert-rules' && call.method === 'GET') return { body: rules };
      if (call.path === '/api/alert-rules' && call.method === 'POST') { rules = [created]; return { status: 201, body: created }; }
      if (call.path === '/api/alert-rules/rule-1' && call.method === 'DELETE') { rules = []; return { body: { deleted: 'rule-1' } }; }
      return undefined;
    });
    renderInApp(<ServiceView serverId="web-1" serverName="web-1" name="nginx" />, combined.http);
    const toggle = (await screen.findByTestId('service-subscribe')) as HTMLInputElement;
    await waitFor(() => expect(toggle.disabled).toBe(false));
    expect(toggle.checked).toBe(false);
    fireEvent.click(toggle);
    await waitFor(() => expect(toggle.checked).toBe(true));
    const post = combined.calls.find((c) => c.method === 'POST' && c.path === '/api/alert-rules');
    expect(post?.body).toMatchObject({ metric: 'service.down{service=nginx}', for: 'PT0S', scope: { kind: 'server', value: 'web-1' } });
    fireEvent.click(toggle);
    await waitFor(() => expect(toggle.checked).toBe(false));
    expect(combined.calls.some((c) => c.method === 'DELETE' && c.path === '/api/alert-rules/rule-1')).toBe(true);
  });

  it('shows a discovered service read-only, and a missing one as such', async () => {
    renderInApp(<ServiceView serverId="web-1" serverName="web-1" name="sshd" />, node().http);
    expect(await screen.findByTestId('service-read-only')).toBeTruthy();
    expect(screen.queryByTestId('service-restart')).toBeNull();
    cleanup();
    renderInApp(<ServiceView serverId="web-1" serverName="web-1" name="nope" />, node().http);
    expect((await screen.findByTestId('service-missing')).textContent).toContain('web-1 reports no service named nope');
  });
});
