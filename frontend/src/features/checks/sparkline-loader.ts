// The latency sparklines of the checks list: each row's last hour of total latency, fetched only for rows in view,
// a few at a time, and cached for a minute, so a list of 300 checks refreshing every 10 s does not ask the node for
// 300 result sets every 10 s.
import type { HttpClient } from '../../lib/http';
import { checkResults } from './api';
import type { CheckResults } from './types';

const HOUR = 3600_000;

/** Buckets across the hour: one per two minutes. */
export const SPARKLINE_BUCKETS = 30;

/**
 * The median total latency of every vantage in each of `buckets` equal slices of [from, to]; null for a slice
 * without results (drawn as a gap).
 */
export function sparklineValues(results: Pick<CheckResults, 'latency'>, from: number, to: number, buckets = SPARKLINE_BUCKETS): (number | null)[] {
  const slices: number[][] = Array.from({ length: buckets }, () => []);
  const width = (to - from) / buckets;
  for (const series of results.latency) {
    if (series.phase !== 'total') continue;
    for (const point of series.points) {
      if (point.t < from || point.t > to || !Number.isFinite(point.v)) continue;
      slices[Math.min(buckets - 1, Math.floor((point.t - from) / width))]!.push(point.v);
    }
  }
  return slices.map(median);
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

interface Entry {
  at: number;
  values: Promise<(number | null)[]>;
}

/** Fetches sparklines at most `concurrency` at a time; an answer is reused for `ttlMillis`; at most `capacity` kept. */
export class SparklineLoader {
  private readonly cache = new Map<string, Entry>();
  private readonly waiting: (() => void)[] = [];
  private running = 0;

  constructor(
    private readonly http: HttpClient,
    private readonly now: () => number = Date.now,
    private readonly concurrency = 3,
    private readonly ttlMillis = 55_000,
    private readonly capacity = 500,
  ) {}

  /** The last hour's values of one check (from the cache while fresh). */
  values(checkId: string): Promise<(number | null)[]> {
    const now = this.now();
    const cached = this.cache.get(checkId);
    if (cached !== undefined && now - cached.at < this.ttlMillis) return cached.values;
    const values = this.queued(() => {
      const to = this.now();
      return checkResults(this.http, checkId, new Date(to - HOUR), new Date(to)).then((r) => sparklineValues(r, to - HOUR, to));
    });
    // A failure is not cached: the next refresh asks again.
    values.catch(() => this.cache.delete(checkId));
    this.cache.delete(checkId);
    this.cache.set(checkId, { at: now, values });
    if (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value!);
    return values;
  }

  private queued<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.running++;
        work().then(resolve, reject).finally(() => {
          this.running--;
          this.waiting.shift()?.();
        });
      };
      if (this.running < this.concurrency) start();
      else this.waiting.push(start);
    });
  }
}
