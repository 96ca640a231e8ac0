import { afterEach, describe, expect, it, vi } from 'vitest';
import EARLY_JS from '../../public/early.js?raw';
import { earlyFetch, hasEarlyAnswer } from './early';

afterEach(() => {
  vi.unstubAllGlobals();
  delete window.stewardEarly;
  window.history.replaceState(null, '', '/');
});

function reply(body: string): Promise<Response> {
  return Promise.resolve(new Response(body, { status: 200 }));
}

describe('earlyFetch', () => {
  it('answers the first GET of a path with its early answer, and every later one from the network', async () => {
    const base = vi.fn<typeof fetch>(() => reply('network'));
    const early = { '/api/auth/me': reply('early') };
    const fetcher = earlyFetch(base, early);
    expect(hasEarlyAnswer('/api/auth/me', early)).toBe(true);
    expect(await (await fetcher('/api/auth/me', { method: 'GET' })).text()).toBe('early');
    expect(base).not.toHaveBeenCalled();
    expect(hasEarlyAnswer('/api/auth/me', early)).toBe(false);
    expect(await (await fetcher('/api/auth/me', { method: 'GET' })).text()).toBe('network');
    expect(base).toHaveBeenCalledTimes(1);
  });

  it('leaves the answer for a GET when another method or another path asks', async () => {
    const base = vi.fn<typeof fetch>(() => reply('network'));
    const early = { '/api/servers': reply('early') };
    const fetcher = earlyFetch(base, early);
    expect(await (await fetcher('/api/servers', { method: 'POST' })).text()).toBe('network');
    expect(await (await fetcher('/api/servers/x', { method: 'GET' })).text()).toBe('network');
    expect(hasEarlyAnswer('/api/servers', early)).toBe(true);
    expect(await (await fetcher('/api/servers')).text()).toBe('early');
  });

  it('is the network alone when the page asked nothing early', async () => {
    const base = vi.fn<typeof fetch>(() => reply('network'));
    expect(await (await earlyFetch(base, undefined)('/api/auth/me')).text()).toBe('network');
    expect(hasEarlyAnswer('/api/auth/me', undefined)).toBe(false);
  });
});

describe('public/early.js', () => {
  /** Runs the script as the page would at `path`; returns the URLs it asked for. */
  function loadAt(path: string): string[] {
    window.history.replaceState(null, '', path);
    const asked: string[] = [];
    vi.stubGlobal('fetch', vi.fn((url: string, init: RequestInit) => {
      expect(init.credentials).toBe('same-origin');
      asked.push(url);
      return reply('{}');
    }));
    new Function(EARLY_JS)();
    return asked;
  }

  it('asks who is signed in and, on the overview, for the fleet', () => {
    expect(loadAt('/')).toEqual(['/api/auth/me', '/api/servers']);
    expect(Object.keys(window.stewardEarly!)).toEqual(['/api/auth/me', '/api/servers']);
  });

  it('asks only who is signed in on any other page of the app, the login page too', () => {
    expect(loadAt('/login')).toEqual(['/api/auth/me']);
    expect(loadAt('/servers/web-1')).toEqual(['/api/auth/me']);
    expect(Object.keys(window.stewardEarly!)).toEqual(['/api/auth/me']);
  });

  it('asks nothing on the public status page and the password reset page', () => {
    expect(loadAt('/status/public')).toEqual([]);
    expect(loadAt('/reset-password')).toEqual([]);
    expect(window.stewardEarly).toBeUndefined();
  });

  it('leaves a failed request to whoever takes it, not as an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => { unhandled.push(reason); };
    process.on('unhandledRejection', onUnhandled);
    try {
      window.history.replaceState(null, '', '/');
      // A plain function: a spy would itself handle the promise it returns (it records how it settled).
      vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
      new Function(EARLY_JS)();
      // Node reports a rejection nobody handled once the microtasks have run, before the next macrotask.
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(unhandled).toEqual([]);
      await expect(window.stewardEarly!['/api/auth/me']).rejects.toThrow('Failed to fetch');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
