import { describe, expect, it, vi } from 'vitest';
import { HttpClient } from '../../lib/http';
import { listServices, requestServiceAction, serviceLogs, setAutoRestart } from './api';
import { jsonReply } from '../../test-support';

describe('service calls', () => {
  it('sends service actions, logs and auto-restart to the service, its name escaped', async () => {
    const fetcher = vi.fn<typeof fetch>(() => jsonReply(200, { ok: true, message: 'restarted' }));
    const http = new HttpClient(fetcher);
    await requestServiceAction(http, 'web 1', 'getty@tty1.service', 'restart');
    await serviceLogs(http, 'web 1', 'getty@tty1.service', 500);
    await setAutoRestart(http, 'web 1', 'getty@tty1.service', false);
    await listServices(http, 'web 1');
    const calls = fetcher.mock.calls.map(([path, init]) => [init?.method, String(path), init?.body === undefined ? undefined : JSON.parse(String(init.body))]);
    expect(calls).toEqual([
      ['POST', '/api/servers/web%201/services/getty%40tty1.service/actions', { action: 'restart' }],
      ['GET', '/api/servers/web%201/services/getty%40tty1.service/logs?lines=500', undefined],
      ['PUT', '/api/servers/web%201/services/getty%40tty1.service/auto-restart', { enabled: false }],
      ['GET', '/api/servers/web%201/services', undefined],
    ]);
  });
});
