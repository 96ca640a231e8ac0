import { describe, expect, it } from 'vitest';
import { describeScope, episodeSeconds, formatAlertValue, formatFor, isoDurationToMinutes, minutesToIsoDuration, splitList } from './alert-format';

describe('alert durations', () => {
  it('writes minutes as ISO-8601 durations', () => {
    expect(minutesToIsoDuration(5)).toBe('PT5M');
    expect(minutesToIsoDuration(0)).toBe('PT0S');
    expect(minutesToIsoDuration(90)).toBe('PT90M');
    expect(minutesToIsoDuration(1.5)).toBe('PT90S');
    expect(minutesToIsoDuration(Number.NaN)).toBe('PT0S');
  });

  it('reads the durations Java writes back as minutes', () => {
    expect(isoDurationToMinutes('PT5M')).toBe(5);
    expect(isoDurationToMinutes('PT0S')).toBe(0);
    expect(isoDurationToMinutes('PT1H30M')).toBe(90);
    expect(isoDurationToMinutes('PT24H')).toBe(1440);
    expect(isoDurationToMinutes('PT90S')).toBe(1.5);
    expect(isoDurationToMinutes('P1D')).toBe(1440);
    expect(isoDurationToMinutes('PT')).toBeNull();
    expect(isoDurationToMinutes('5 minutes')).toBeNull();
    expect(isoDurationToMinutes(null)).toBeNull();
    for (const minutes of [0, 1, 5, 17, 60, 1440]) expect(isoDurationToMinutes(minutesToIsoDuration(minutes))).toBe(minutes);
  });

  it('says how long a rule waits', () => {
    expect(formatFor('PT0S')).toBe('at once');
    expect(formatFor('PT5M')).toBe('5 min');
    expect(formatFor('PT1H30M')).toBe('1 h 30 min');
  });
});

describe('alert values', () => {
  it('formats a value in the unit of its series', () => {
    expect(formatAlertValue('cpu.percent', 93.4)).toBe('93 %');
    expect(formatAlertValue('disk.percent{mount=/}', 91.26)).toBe('91 %');
    expect(formatAlertValue('net.rx.bytes{iface=eth0}', 125_000)).toBe('1.00 Mbit/s');
    expect(formatAlertValue('disk.read.bytes{disk=sda}', 2048)).toBe('2.00 KiB/s');
    expect(formatAlertValue('memory.used.bytes', 1536)).toBe('1.50 KiB');
    expect(formatAlertValue('load.1', 2.5)).toBe('2.50');
    expect(formatAlertValue('server.offline', 1)).toBe('offline');
    expect(formatAlertValue('cpu.percent', null)).toBe('—');
  });

  it('measures episodes, ongoing ones up to now', () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(episodeSeconds({ firedAt: '2026-11-23T09:00:00Z', resolvedAt: '2026-11-23T09:12:00Z' }, now)).toBe(720);
    expect(episodeSeconds({ firedAt: '2026-11-23T09:00:00Z', resolvedAt: null }, now)).toBe(3600);
  });

  it('names scopes and splits lists', () => {
    expect(describeScope({ kind: 'global', value: null })).toBe('All servers');
    expect(describeScope({ kind: 'server', value: 'web-1-abc' }, new Map([['web-1-abc', 'Shop front']]))).toBe('Server Shop front');
    expect(describeScope({ kind: 'tag', value: 'nginx' })).toBe('Tag nginx');
    expect(splitList(' a@x, b@x,,a@x ')).toEqual(['a@x', 'b@x']);
  });
});
