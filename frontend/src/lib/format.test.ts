import { describe, expect, it } from 'vitest';
import { formatAgo, formatBits, formatBytes, formatBytesPerSecond, formatCount, formatDuration, formatPercent, level } from './format';

describe('format', () => {
  it('formats bytes 1024-based', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(25276502016)).toBe('23.5 GiB');
    expect(formatBytes(270553174016)).toBe('252 GiB');
    expect(formatBytes(null)).toBe('—');
    expect(formatBytesPerSecond(2 * 1024 * 1024)).toBe('2.00 MiB/s');
  });

  it('formats network rates in bits per second, decimal', () => {
    expect(formatBits(125)).toBe('1.00 kbit/s');
    expect(formatBits(125_000_000)).toBe('1.00 Gbit/s');
    expect(formatBits(0)).toBe('0 bit/s');
  });

  it('formats durations and percentages', () => {
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(12 * 60 + 5)).toBe('12 min');
    expect(formatDuration(4 * 3600 + 12 * 60)).toBe('4 h 12 min');
    expect(formatDuration(3 * 86400 + 4 * 3600 + 59)).toBe('3 d 4 h');
    expect(formatDuration(-1)).toBe('—');
    expect(formatPercent(4.56)).toBe('4.6 %');
    expect(formatPercent(61.87)).toBe('62 %');
    expect(formatPercent(0.01)).toBe('<0.1 %');
    expect(formatPercent(Number.NaN)).toBe('—');
  });

  it('says how long ago', () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(formatAgo('2026-11-23T10:00:00Z', now)).toBe('just now');
    expect(formatAgo('2026-11-23T09:59:48Z', now)).toBe('12 s ago');
    expect(formatAgo('2026-11-23T09:55:00Z', now)).toBe('5 min ago');
    expect(formatAgo('2026-11-20T10:00:00Z', now)).toBe('3 d ago');
    expect(formatAgo(null, now)).toBe('never');
  });

  it('colours usage at 70 and 90 percent', () => {
    expect(level(69.9)).toBe('ok');
    expect(level(70)).toBe('warn');
    expect(level(90)).toBe('crit');
    expect(level(null)).toBe('none');
  });

  it('formats counts with thousands separators', () => {
    expect(formatCount(1204)).toBe('1,204');
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(null)).toBe('—');
  });
});
