import { describe, expect, it } from 'vitest';
import { HttpClient } from '../../lib/http';
import { sparklineRuns } from './latency-sparkline';
import { SparklineLoader, sparklineValues } from './sparkline-loader';

describe('sparklineValues', () => {
  it('takes the median total latency of every vantage per slice, leaving other phases out and empty slices null', () => {
    const values = sparklineValues({ latency: [
      { vantage: 'a', phase: 'total', points: [{ t: 0, v: 100 }, { t: 10, v: 300 }, { t: 95, v: 50 }] },
      { vantage: 'b', phase: 'total', points: [{ t: 5, v: 200 }, { t: 100, v: 70 }] },
      { vantage: 'a', phase: 'connect', points: [{ t: 50, v: 9999 }] },
    ] }, 0, 100, 4);
    expect(values).toEqual([200, null, null, 60]);
  });

  it('draws runs split at gaps, a lone point as a dash', () => {
    expect(sparklineRuns([10, 20, null, 5], 30, 10)).toEqual(['0.0,5.0 10.0,2.0', '30.0,6.5 32.0,6.5']);
    expect(sparklineRuns([null, null])).toEqual([]);
  });
});

describe('SparklineLoader', () => {
  it('asks a few at a time and answers again from its cache while fresh', async () => {
    let now = 1_000_000;
    const waiting: (() => void)[] = [];
    const paths: string[] = [];
    const empty = JSON.stringify({ from: '', to: '', resolution: 'raw', latency: [], up: [], stats: [], failures: [] });
    // Each answer waits until the test lets it go.
    const http = new HttpClient((input) => {
      paths.push(String(input));
      return new Promise((resolve) => waiting.push(() => resolve(new Response(empty, { status: 200 }))));
    });
    const loader = new SparklineLoader(http, () => now, 2, 60_000);
    const all = ['a', 'b', 'c', 'd'].map((id) => loader.values(id));
    await Promise.resolve();
    expect(paths.map((p) => p.split('?')[0])).toEqual(['/api/checks/a/results', '/api/checks/b/results']);
    expect(paths[0]!).toContain(`from=${encodeURIComponent(new Date(now - 3600_000).toISOString())}`);
    while (waiting.length > 0) {
      waiting.shift()!();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await Promise.all(all);
    expect(paths).toHaveLength(4);
    await loader.values('a');
    expect(paths).toHaveLength(4);
    now += 61_000;
    const again = loader.values('a');
    await Promise.resolve();
    waiting.shift()?.();
    await again;
    expect(paths).toHaveLength(5);
  });
});
