import { describe, expect, it, vi } from 'vitest';
import { apiPath, ApiError, HttpClient } from './http';
import { jsonReply } from '../test-support';

describe('HttpClient', () => {
  it('sends JSON with the session cookie and parses the answer', async () => {
    const fetcher = vi.fn<typeof fetch>(() => jsonReply(200, { username: 'admin', role: 'ADMIN' }));
    const me = await new HttpClient(fetcher).post<{ role: string }>('/api/auth/login', { username: 'admin', password: 'secret', remember: true });
    expect(me.role).toBe('ADMIN');
    const [path, init] = fetcher.mock.calls[0]!;
    expect(path).toBe('/api/auth/login');
    expect(init?.credentials).toBe('same-origin');
    expect(init?.headers).toMatchObject({ 'Content-Type': 'application/json' });
    expect(JSON.parse(String(init?.body))).toEqual({ username: 'admin', password: 'secret', remember: true });
  });

  it("turns the node's error JSON into a typed error", async () => {
    const http = new HttpClient(() => jsonReply(400, { error: 'displayName: at most 100 characters' }));
    await expect(http.patch('/api/servers/x', { displayName: 'y' })).rejects.toMatchObject({
      status: 400, message: 'displayName: at most 100 characters',
    });
  });

  it('keeps what the node says of each field, and only strings', async () => {
    const fields = new HttpClient(() => jsonReply(400, {
      error: 'agentInterval: too long', code: 'invalid', fields: { agentInterval: 'too long', odd: 3 },
    }));
    await expect(fields.put('/api/settings', { agentInterval: '2m' })).rejects.toMatchObject({
      status: 400, code: 'invalid', fields: { agentInterval: 'too long' },
    });
    const none = new HttpClient(() => jsonReply(400, { error: 'bad', code: 'invalid' }));
    await expect(none.get('/api/settings')).rejects.toMatchObject({ fields: {} });
  });

  it("keeps the error's code, and does without one (a proxy's answer)", async () => {
    const coded = new HttpClient(() => jsonReply(409, { error: 'restart is not allowed by the agent\'s configuration', code: 'refused' }));
    await expect(coded.post('/api/servers/x/services/nginx/actions', { action: 'restart' })).rejects.toMatchObject({
      status: 409, code: 'refused', message: 'restart is not allowed by the agent\'s configuration',
    });
    const plain = new HttpClient(() => jsonReply(400, { error: 'bad' }));
    await expect(plain.get('/api/servers')).rejects.toMatchObject({ status: 400, code: null });
    // Only the node's categories are codes: anything else says nothing a caller could act on.
    const foreign = new HttpClient(() => jsonReply(502, { error: 'upstream connect error', code: 'ECONNREFUSED' }));
    await expect(foreign.get('/api/servers')).rejects.toMatchObject({ status: 502, code: null, message: 'upstream connect error' });
    const bare = new HttpClient(() => jsonReply(500, undefined));
    await expect(bare.get('/api/servers')).rejects.toMatchObject({ status: 500, code: null, message: expect.stringContaining('500') });
  });

  it('signals a lost session on 401, except for the login call itself', async () => {
    const lost = vi.fn();
    const http = new HttpClient(() => jsonReply(401, { error: 'session expired; log in again' }), lost);
    await expect(http.get('/api/servers')).rejects.toBeInstanceOf(ApiError);
    expect(lost).toHaveBeenCalledTimes(1);
    await expect(http.post('/api/auth/login', { username: 'a', password: 'b', remember: false })).rejects.toMatchObject({ status: 401 });
    expect(lost).toHaveBeenCalledTimes(1);
  });

  it('reads Retry-After of a throttled login', async () => {
    const http = new HttpClient(() => jsonReply(429, { error: 'too many failed logins' }, { 'Retry-After': '900' }));
    await expect(http.post('/api/auth/login', { username: 'a', password: 'b', remember: false })).rejects.toMatchObject({ status: 429, retryAfter: 900 });
  });

  it('says clearly when the node cannot be reached', async () => {
    const http = new HttpClient(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(http.get('/api/auth/me')).rejects.toMatchObject({ status: 0, message: expect.stringContaining('cannot be reached') });
  });
});

describe('apiPath', () => {
  it('escapes every value as one path segment', () => {
    expect(apiPath`/api/servers/${'web 1'}/services/${'getty@tty1.service'}/logs`).toBe('/api/servers/web%201/services/getty%40tty1.service/logs');
    expect(apiPath`/api/notifications/${42}/attempts`).toBe('/api/notifications/42/attempts');
    expect(apiPath`/api/silences/${'a/b?c'}`).toBe('/api/silences/a%2Fb%3Fc');
  });
});
