// Latency of one phase (dns, connect, tls, first byte, total) per vantage over the chosen range, and the total
// latency's percentiles per vantage.
import { useMemo } from 'react';
import { formatCount, formatMillis } from '../../lib/format';
import { PALETTE, TimeChart } from '../../charts/time-chart';
import { PHASES } from './check-format';
import type { CheckResults, Phase, PhaseStats } from './types';

/** uPlot columns for `phase`: one shared time axis (epoch seconds), one column per vantage in `order` (then any other). */
export function latencyColumns(results: Pick<CheckResults, 'latency'>, phase: Phase, order: string[]): { vantages: string[]; data: (number | null)[][] } {
  const series = results.latency.filter((s) => s.phase === phase && s.points.length > 0);
  const rank = (vantage: string) => {
    const index = order.indexOf(vantage);
    return index < 0 ? order.length : index;
  };
  series.sort((a, b) => rank(a.vantage) - rank(b.vantage) || a.vantage.localeCompare(b.vantage));
  const times = [...new Set(series.flatMap((s) => s.points.map((p) => p.t)))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const columns: (number | null)[][] = [times.map((t) => t / 1000)];
  for (const s of series) {
    const column = new Array<number | null>(times.length).fill(null);
    for (const point of s.points) column[index.get(point.t)!] = point.v;
    columns.push(column);
  }
  return { vantages: series.map((s) => s.vantage), data: columns };
}

/** The phases the results hold (an http check has all five; tcp only connect and total). */
export function phasesOf(results: Pick<CheckResults, 'latency'>): Phase[] {
  const present = new Set(results.latency.filter((s) => s.points.length > 0).map((s) => s.phase));
  return PHASES.map((p) => p.phase).filter((p) => p === 'total' || present.has(p));
}

export function LatencyChart({ results, phase, order, names }: {
  results: CheckResults; phase: Phase; order: string[]; names: ReadonlyMap<string, string>;
}) {
  // setData redraws the plot: only for new results, not for every render of the page around it.
  const { vantages, data } = useMemo(() => latencyColumns(results, phase, order), [results, phase, order]);
  const label = PHASES.find((p) => p.phase === phase)?.label ?? phase;
  if (vantages.length === 0) {
    return <p className="card pad muted" data-testid="latency-chart-empty">No {label.toLowerCase()} latency in this range yet.</p>;
  }
  const resolution = results.resolution !== 'raw' ? ` (${results.resolution} averages)` : '';
  return (
    <TimeChart title={`${label} latency per vantage${resolution}`} unit="millis" testId="latency-chart" sparse height={220}
      series={vantages.map((v, i) => ({ label: names.get(v) ?? v, color: PALETTE[i % PALETTE.length]! }))} data={data as number[][]} />
  );
}

/** p50, p95 and p99 of the total latency, per vantage. */
export function LatencyStats({ stats, names }: { stats: PhaseStats[]; names: ReadonlyMap<string, string> }) {
  const totals = stats.filter((s) => s.phase === 'total');
  if (totals.length === 0) return null;
  return (
    <div className="card table-card">
      <table className="data-table" data-testid="latency-stats">
        <thead><tr><th>Vantage</th><th className="num">p50</th><th className="num">p95</th><th className="num">p99</th><th className="num">Results</th></tr></thead>
        <tbody>
          {totals.map((s) => (
            <tr key={s.vantage} data-testid="latency-stats-row" data-vantage={s.vantage}>
              <td>{names.get(s.vantage) ?? s.vantage}</td>
              <td className="num">{formatMillis(s.p50)}</td>
              <td className="num">{formatMillis(s.p95)}</td>
              <td className="num">{formatMillis(s.p99)}</td>
              <td className="num">{formatCount(s.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
