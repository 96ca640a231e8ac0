// Turns metric-history answers into uPlot columns: one shared time axis, a column per series, gaps as null.
import type { LivePoint } from '../../lib/live-window';
import type { MetricsReport, SeriesAnswer, WindowPoint } from '../../lib/wire';

export function mergeSeries(answers: SeriesAnswer[], scale: (value: number) => number = (v) => v): (number | null)[][] {
  const times = new Set<number>();
  for (const answer of answers) for (const [t] of answer.points) times.add(t);
  const xs = [...times].sort((a, b) => a - b);
  const index = new Map(xs.map((t, i) => [t, i]));
  const columns: (number | null)[][] = [xs.map((t) => t / 1000)];
  for (const answer of answers) {
    const column: (number | null)[] = new Array<number | null>(xs.length).fill(null);
    for (const [t, v] of answer.points) column[index.get(t) ?? 0] = scale(v);
    columns.push(column);
  }
  return columns;
}

/** The network totals of a report, leaving out loopback (local traffic says nothing about the server's links). */
export function networkTotals(report: MetricsReport): { rx: number; tx: number } {
  let rx = 0;
  let tx = 0;
  for (const nic of report.interfaces) {
    if (nic.name === 'lo' || nic.name.startsWith('lo:')) continue;
    rx += nic.rxBytesPerSecond;
    tx += nic.txBytesPerSecond;
  }
  return { rx, tx };
}

/** Live chart values: cpu, memory, swap, load1, rx, tx. */
export function livePointOfReport(report: MetricsReport): LivePoint {
  const { rx, tx } = networkTotals(report);
  return {
    t: Date.parse(report.collectedAt) / 1000,
    values: [report.cpu.percent, report.memory.percent, report.memory.swapPercent, report.cpu.load1, rx, tx],
  };
}

export function livePointOfWindow(point: WindowPoint): LivePoint {
  return {
    t: Date.parse(point.at) / 1000,
    values: [point.cpuPercent, point.memoryPercent, point.swapPercent, point.load1,
      point.networkRxBytesPerSecond, point.networkTxBytesPerSecond],
  };
}
