// Checks as the node answers them, for the tests (never imported by the app).
import type { Check, CheckResults, VantageStatus } from './types';

export function vantage(overrides: Partial<VantageStatus> = {}): VantageStatus {
  return { serverId: 'web-01-x7k2', serverName: 'web-01', state: 'up', latencyMillis: 123.4, address: '93.184.216.34',
    at: new Date(Date.now() - 5_000).toISOString(), ...overrides };
}

export function check(overrides: Partial<Check> = {}): Check {
  return {
    id: 'homepage-k3x9q2', name: 'Homepage', kind: 'http', url: 'https://example.com/health', method: 'GET', followRedirects: true,
    interval: 'PT60S', retries: 2, timeout: 'PT10S', warnDays: [30, 14, 7, 3, 1], group: 'Public site',
    state: 'up', since: new Date(Date.now() - 3 * 3600_000).toISOString(),
    vantageSelection: { kind: 'all' },
    vantages: [
      vantage(),
      vantage({ serverId: 'web-02-p2q7', serverName: 'web-02', latencyMillis: 150 }),
      vantage({ serverId: 'db-01-a1b2', serverName: 'db-01', state: 'abstained', reason: 'dns', message: 'cannot resolve the reference',
        latencyMillis: null, address: null }),
    ],
    failingAddresses: [],
    certificate: { daysLeft: 45, notAfter: '2027-01-20T12:00:00Z', issuer: "CN=R11,O=Let's Encrypt,C=US", subject: 'CN=example.com',
      fingerprint: 'AB:CD:EF:01', chainDaysLeft: 400, chainNotAfter: '2028-01-01T00:00:00Z', trusted: true, mismatch: false },
    uptime: { day: 0.9993, week: 0.998, month: 0.95 },
    latencyMillis: 136.7,
    ...overrides,
  };
}

/** Results over the last hour: `points` per vantage of the total (and connect) latency, one a minute. */
export function results(overrides: Partial<CheckResults> = {}, now = Date.now()): CheckResults {
  const minute = 60_000;
  const points = (base: number) => Array.from({ length: 5 }, (_, i) => ({ t: now - (5 - i) * minute, v: base + i }));
  return {
    from: new Date(now - 3600_000).toISOString(), to: new Date(now).toISOString(), resolution: 'raw',
    latency: [
      { vantage: 'web-01-x7k2', phase: 'total', points: points(100) },
      { vantage: 'web-02-p2q7', phase: 'total', points: points(150) },
      { vantage: 'web-01-x7k2', phase: 'connect', points: points(10) },
    ],
    up: [{ vantage: 'web-01-x7k2', points: points(1).map((p) => ({ ...p, v: 1 })) }],
    stats: [
      { vantage: 'web-01-x7k2', phase: 'total', p50: 102, p95: 104, p99: 104, count: 5 },
      { vantage: 'web-02-p2q7', phase: 'total', p50: 152, p95: 154, p99: 154, count: 5 },
    ],
    failures: [],
    ...overrides,
  };
}
