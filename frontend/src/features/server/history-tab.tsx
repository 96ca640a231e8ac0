import { useCallback, useMemo, useState } from 'react';
import { useApp } from '../../lib/app-context';
import { useLoad } from '../../lib/use-load';
import type { MetricsReport } from '../../lib/wire';
import { PALETTE, TimeChart, type Unit } from '../../charts/time-chart';
import { ErrorPanel, Skeleton } from '../../components/feedback';
import { metricSeries } from './api';
import { ExportLinks } from './export-links';
import { mergeSeries } from './series';

const RANGES: { label: string; seconds: number }[] = [
  { label: '1 h', seconds: 3600 },
  { label: '6 h', seconds: 6 * 3600 },
  { label: '24 h', seconds: 86400 },
  { label: '7 d', seconds: 7 * 86400 },
  { label: '30 d', seconds: 30 * 86400 },
];

interface ChartSpec {
  title: string;
  unit: Unit;
  series: { name: string; label: string }[];
  /** Network rates are stored in bytes and shown in bits. */
  scale?: number;
}

/** The charts this server can have, from the series its latest report carries. */
function chartsFor(report: MetricsReport | null): ChartSpec[] {
  const charts: ChartSpec[] = [
    { title: 'CPU', unit: 'percent', series: [{ name: 'cpu.percent', label: 'CPU' }] },
    { title: 'Memory and swap', unit: 'percent', series: [{ name: 'memory.percent', label: 'Memory' }, { name: 'swap.percent', label: 'Swap' }] },
    { title: 'Load', unit: 'number', series: [{ name: 'load.1', label: '1 min' }, { name: 'load.5', label: '5 min' }, { name: 'load.15', label: '15 min' }] },
  ];
  if (report === null) return charts;
  if (report.disks.length > 0) {
    charts.push({ title: 'Disk I/O', unit: 'bytesPerSecond', series: report.disks.flatMap((d) => [
      { name: `disk.read.bytes{disk=${d.name}}`, label: `${d.name} read` },
      { name: `disk.write.bytes{disk=${d.name}}`, label: `${d.name} write` }]) });
  }
  const nics = report.interfaces.filter((n) => n.name !== 'lo');
  if (nics.length > 0) {
    charts.push({ title: 'Network', unit: 'bits', scale: 8, series: nics.flatMap((n) => [
      { name: `net.rx.bytes{iface=${n.name}}`, label: `${n.name} in` },
      { name: `net.tx.bytes{iface=${n.name}}`, label: `${n.name} out` }]) });
  }
  if (report.filesystems.length > 0) {
    charts.push({ title: 'Filesystem usage', unit: 'percent', series: report.filesystems.map((fs) => (
      { name: `disk.percent{mount=${fs.mount}}`, label: fs.mount })) });
  }
  return charts;
}

function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** History charts over a chosen range; dragging on a chart zooms into that span (and refetches finer data). */
export function HistoryTab({ serverId, report }: { serverId: string; report: MetricsReport | null }) {
  const [range, setRange] = useState<{ from: Date; to: Date; label: string }>(() => {
    const to = new Date();
    return { from: new Date(to.getTime() - 3600_000), to, label: '1 h' };
  });
  const charts = useMemo(() => chartsFor(report), [report === null, report?.disks.length, report?.interfaces.length, report?.filesystems.length]); // eslint-disable-line react-hooks/exhaustive-deps
  const pick = (label: string, seconds: number) => {
    const to = new Date();
    setRange({ from: new Date(to.getTime() - seconds * 1000), to, label });
  };
  const zoom = useCallback((from: number, to: number) => {
    setRange({ from: new Date(from * 1000), to: new Date(to * 1000), label: 'custom' });
  }, []);
  return (
    <div>
      <div className="toolbar">
        <div className="segmented" role="group" aria-label="Range">
          {RANGES.map((r) => (
            <button key={r.label} type="button" className={range.label === r.label ? 'active' : ''}
              onClick={() => pick(r.label, r.seconds)} title={`The last ${r.label}`}>{r.label}</button>
          ))}
        </div>
        <label className="inline" title="Custom range start">From
          <input type="datetime-local" value={toLocalInput(range.from)}
            onChange={(e) => { const d = new Date(e.target.value); if (!Number.isNaN(d.getTime()) && d < range.to) setRange({ ...range, from: d, label: 'custom' }); }} />
        </label>
        <label className="inline" title="Custom range end">To
          <input type="datetime-local" value={toLocalInput(range.to)}
            onChange={(e) => { const d = new Date(e.target.value); if (!Number.isNaN(d.getTime()) && d > range.from) setRange({ ...range, to: d, label: 'custom' }); }} />
        </label>
        <span className="muted small">Drag across a chart to zoom in.</span>
        <ExportLinks serverId={serverId} from={range.from} to={range.to} />
      </div>
      <div className="chart-grid">
        {charts.map((chart) => <HistoryChart key={chart.title} serverId={serverId} spec={chart} from={range.from} to={range.to} onZoom={zoom} />)}
      </div>
    </div>
  );
}

function HistoryChart({ serverId, spec, from, to, onZoom }: {
  serverId: string; spec: ChartSpec; from: Date; to: Date; onZoom: (from: number, to: number) => void;
}) {
  const { http } = useApp();
  const { data: answers, error, reload } = useLoad(useCallback(
    () => Promise.all(spec.series.map((s) => metricSeries(http, serverId, s.name, from, to))), [http, serverId, spec, from, to]));
  const data = useMemo(() => (answers === null ? null : mergeSeries(answers, (v) => v * (spec.scale ?? 1))), [answers, spec.scale]);
  if (error !== null) return <ErrorPanel title={`${spec.title}: could not load`} message={error} onRetry={reload} />;
  if (data === null) return <Skeleton className="card chart" lines={5} />;
  const resolution = answers?.[0]?.resolution;
  return (
    <TimeChart title={`${spec.title}${resolution && resolution !== 'raw' ? ` (${resolution} averages)` : ''}`} unit={spec.unit}
      series={spec.series.map((s, i) => ({ label: s.label, color: PALETTE[i % PALETTE.length]! }))}
      data={data as number[][]} onZoom={onZoom} testId="history-chart" />
  );
}
