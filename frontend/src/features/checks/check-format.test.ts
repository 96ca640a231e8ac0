import { describe, expect, it } from 'vitest';
import {
  certificateTone, checkTarget, describeSelection, formatDaysLeft, formatInterval, formatUptime, uptimeTone, vantagesSummary,
  watchesCertificate,
} from './check-format';
import { vantage } from './check-fixtures';

describe('check formatting', () => {
  it('names the target of each kind', () => {
    expect(checkTarget({ kind: 'http', url: 'https://example.com/health' })).toBe('https://example.com/health');
    expect(checkTarget({ kind: 'tcp', host: 'db.example.com', port: 5432 })).toBe('db.example.com:5432');
    expect(checkTarget({ kind: 'tcp', host: '2001:db8::1', port: 22 })).toBe('[2001:db8::1]:22');
    expect(checkTarget({ kind: 'tls', host: 'example.com' })).toBe('example.com:443');
    expect(checkTarget({ kind: 'dns', host: 'example.com', recordType: 'MX' })).toBe('example.com (MX)');
    expect(checkTarget({ kind: 'dns', host: 'example.com' })).toBe('example.com (A)');
  });

  it('never rounds an uptime up to 100 %, and colours it green from 99.9 %', () => {
    expect(formatUptime(0.99996)).toBe('99.99 %');
    expect(formatUptime(1)).toBe('100 %');
    expect(formatUptime(0.9993)).toBe('99.93 %');
    expect(formatUptime(null)).toBe('—');
    expect([uptimeTone(0.999), uptimeTone(0.9989), uptimeTone(0.99), uptimeTone(0.98), uptimeTone(null)])
      .toEqual(['ok', 'warn', 'warn', 'bad', 'idle']);
  });

  it('warns about a certificate from 14 days left and is critical from 3', () => {
    expect([certificateTone(15), certificateTone(14), certificateTone(4), certificateTone(3), certificateTone(-1)])
      .toEqual(['ok', 'warn', 'warn', 'bad', 'bad']);
    expect(formatDaysLeft(1)).toBe('1 day');
    expect(formatDaysLeft(12)).toBe('12 days');
    expect(formatDaysLeft(-2)).toBe('expired 2 days ago');
  });

  it('sums up the vantages, counting those not up', () => {
    expect(vantagesSummary([vantage(), vantage(), vantage({ state: 'abstained' })])).toBe('3 vantages, 1 abstained');
    expect(vantagesSummary([vantage({ state: 'down' })])).toBe('1 vantage, 1 down');
    expect(vantagesSummary([])).toBe('0 vantages');
  });

  it('describes the vantage selection, servers by name', () => {
    const names = new Map([['web-01-x7k2', 'web-01']]);
    expect(describeSelection({ kind: 'all' })).toBe('every server');
    expect(describeSelection({ kind: 'servers', values: ['web-01-x7k2', 'gone-1'] }, names)).toBe('web-01, gone-1');
    expect(describeSelection({ kind: 'group', values: ['web'] })).toBe('group web');
    expect(describeSelection({ kind: 'local' })).toBe('the node itself');
  });

  it('knows which checks watch a certificate, and words intervals', () => {
    expect(watchesCertificate({ kind: 'http', url: 'https://a' })).toBe(true);
    expect(watchesCertificate({ kind: 'http', url: 'http://a' })).toBe(false);
    expect(watchesCertificate({ kind: 'tls' })).toBe(true);
    expect(watchesCertificate({ kind: 'dns' })).toBe(false);
    expect([formatInterval('PT60S'), formatInterval('PT5M'), formatInterval('PT1H'), formatInterval('PT30S')])
      .toEqual(['every 60 s', 'every 5 min', 'every 1 h', 'every 30 s']);
  });
});
