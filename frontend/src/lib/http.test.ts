import { describe, expect, it, vi } from 'vitest';
import { Api, ApiError } from './api';

function reply(status: number, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return Promise.resolve(new Response(body === undefined ? '' : JSON.stringify(body), {
    status, headers: { 'Content-Type': 'application/json', ...headers },
  }));
}

describe('Api', () => {
  it('sends JSON with the session cookie and parses the answer', async () => {
    const fetcher = vi.fn<typeof fetch>(() => reply(200, { username: 'admin', role: 'ADMIN' }));
    const me = await new Api(fetcher).login('admin', 'secret', true);
    expect(me.role).toBe('ADMIN');
    const [path, init] = fetcher.mock.calls[0]!;
    expect(path).toBe('/api/auth/login');
    expect(init?.credentials).toBe('same-origin');
    expect(init?.headers).toMatchObject({ 'Content-Type': 'application/json' });
    expect(JSON.parse(String(init?.body))).toEqual({ username: 'admin', password: 'secret', remember: true });
  });

  it("turns the node's error JSON into a typed error", async () => {
    const api = new Api(() => reply(400, { error: 'displayName: at most 100 characters' }));
    await expect(api.updateServer('x', { displayName: 'y' })).rejects.toMatchObject({
      status: 400, message: 'displayName: at most 100 characters',
    });
  });

  it('signals a lost session on 401, except for the login call itself', async () => {
    const lost = vi.fn();
    const api = new Api(() => reply(401, { error: 'session expired; log in again' }), lost);
    await expect(api.servers()).rejects.toBeInstanceOf(ApiError);
    expect(lost).toHaveBeenCalledTimes(1);
    await expect(api.login('a', 'b', false)).rejects.toMatchObject({ status: 401 });
    expect(lost).toHaveBeenCalledTimes(1);
  });

  it('reads Retry-After of a throttled login', async () => {
    const api = new Api(() => reply(429, { error: 'too many failed logins' }, { 'Retry-After': '900' }));
    await expect(api.login('a', 'b', false)).rejects.toMatchObject({ status: 429, retryAfter: 900 });
  });

  it('says clearly when the node cannot be reached', async () => {
    const api = new Api(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(api.me()).rejects.toMatchObject({ status: 0, message: expect.stringContaining('cannot be reached') });
  });

  it('encodes ids and series names in URLs', async () => {
    const fetcher = vi.fn<typeof fetch>(() => reply(200, { name: 'x', resolution: 'raw', from: '', to: '', points: [] }));
    await new Api(fetcher).series('web 1', 'disk.percent{mount=/}', new Date(0), new Date(1000));
    expect(String(fetcher.mock.calls[0]![0])).toBe(
      '/api/servers/web%201/metrics?name=disk.percent%7Bmount%3D%2F%7D&from=1970-01-01T00%3A00%3A00.000Z&to=1970-01-01T00%3A00%3A01.000Z');
  });

  it('sends service actions, logs and auto-restart to the service, its name escaped', async () => {
    const fetcher = vi.fn<typeof fetch>(() => reply(200, { ok: true, message: 'restarted' }));
    const api = new Api(fetcher);
    await api.serviceAction('web 1', 'getty@tty1.service', 'restart');
    await api.serviceLogs('web 1', 'getty@tty1.service', 500);
    await api.setAutoRestart('web 1', 'getty@tty1.service', false);
    await api.services('web 1');
    const calls = fetcher.mock.calls.map(([path, init]) => [init?.method, String(path), init?.body === undefined ? undefined : JSON.parse(String(init.body))]);
    expect(calls).toEqual([
      ['POST', '/api/servers/web%201/services/getty%40tty1.service/actions', { action: 'restart' }],
      ['GET', '/api/servers/web%201/services/getty%40tty1.service/logs?lines=500', undefined],
      ['PUT', '/api/servers/web%201/services/getty%40tty1.service/auto-restart', { enabled: false }],
      ['GET', '/api/servers/web%201/services', undefined],
    ]);
  });
});
