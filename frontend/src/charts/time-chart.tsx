import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatBits, formatBytes, formatBytesPerSecond, formatMillis, formatNumber, formatPercent } from '../lib/format';

export type Unit = 'percent' | 'bytes' | 'bytesPerSecond' | 'bits' | 'number' | 'millis';

export interface SeriesSpec {
  label: string;
  color: string;
}

export function formatUnit(unit: Unit, value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return '—';
  switch (unit) {
    case 'percent': return formatPercent(value);
    case 'bytes': return formatBytes(value);
    case 'bytesPerSecond': return formatBytesPerSecond(value);
    case 'bits': return formatBits(value);
    case 'number': return formatNumber(value);
    case 'millis': return formatMillis(value);
  }
}

interface TimeChartProps {
  title: string;
  unit: Unit;
  series: SeriesSpec[];
  /** uPlot columns: [epoch seconds, series 0, series 1, ...]. */
  data: number[][];
  height?: number;
  /** A drag selection (epoch seconds); without it, dragging zooms in place and a double click resets. */
  onZoom?: (from: number, to: number) => void;
  testId?: string;
  /**
   * The series are irregular samples taken at different times (check results of several vantages): lines join
   * across the times of the other series, and points are marked while there are few.
   */
  sparse?: boolean;
}

/**
 * One uPlot chart. Built once per configuration (title, unit, series), then only `setData` on new data and
 * `setSize` on resize; destroyed on unmount. The legend follows the cursor with exact values and units.
 */
export function TimeChart({ title, unit, series, data, height = 180, onZoom, testId, sparse = false }: TimeChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const zoom = useRef(onZoom);
  zoom.current = onZoom;
  const config = `${title}|${unit}|${sparse}|${series.map((s) => s.label + s.color).join(',')}`;

  useEffect(() => {
    const element = host.current;
    if (element === null) return;
    const axis = { stroke: '#8a94a6', grid: { stroke: 'rgba(128,128,128,0.15)', width: 1 }, ticks: { show: false } };
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height,
      legend: { live: true },
      cursor: { drag: { x: true, y: false, setScale: zoom.current === undefined } },
      scales: { x: { time: true }, y: unit === 'percent' ? { range: [0, 100] } : { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] } },
      axes: [
        { ...axis },
        { ...axis, size: 84, values: (_u, values) => values.map((v) => formatUnit(unit, v)) },
      ],
      series: [
        { value: (_u, v) => (v == null ? '—' : new Date(v * 1000).toLocaleString()) },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 1.5,
          fill: series.length === 1 ? `${s.color}22` : undefined,
          // uPlot's default marks points only while they are far enough apart.
          ...(sparse ? { spanGaps: true } : { points: { show: false } }),
          value: (_u: uPlot, v: number | null) => formatUnit(unit, v),
        })),
      ],
      hooks: {
        init: [(u) => {
          const tip = document.createElement('div');
          tip.className = 'chart-tip';
          tip.style.display = 'none';
          u.over.appendChild(tip);
        }],
        setCursor: [(u) => showTooltip(u, unit, series)],
        setSelect: [(u) => {
          if (zoom.current === undefined || u.select.width < 5) return;
          const from = u.posToVal(u.select.left, 'x');
          const to = u.posToVal(u.select.left + u.select.width, 'x');
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          zoom.current(from, to);
        }],
      },
    };
    const created = new uPlot(options, data as uPlot.AlignedData, element);
    plot.current = created;
    const resize = new ResizeObserver(() => created.setSize({ width: Math.max(200, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      created.destroy();
      plot.current = null;
    };
    // Data updates go through setData below; rebuilding on every report would be wasteful.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [config, height]);

  useEffect(() => {
    plot.current?.setData(data as uPlot.AlignedData);
  }, [data]);

  return (
    <figure className="chart card" data-testid={testId ?? 'chart'} title={zoom.current ? `${title}: drag to zoom in` : `${title}: drag to zoom, double-click to reset`}>
      <figcaption>{title}</figcaption>
      <div ref={host} className="chart-host" />
    </figure>
  );
}

/** A crosshair tooltip: the time and every series' exact value at the cursor, next to the cursor. */
function showTooltip(u: uPlot, unit: Unit, series: SeriesSpec[]): void {
  const tip = u.over.querySelector<HTMLDivElement>('.chart-tip');
  if (tip === null) return;
  const index = u.cursor.idx;
  const left = u.cursor.left ?? -1;
  if (index == null || left < 0) {
    tip.style.display = 'none';
    return;
  }
  const time = u.data[0]?.[index];
  // Built with the DOM, not innerHTML: the page's Content-Security-Policy refuses inline style attributes, while a
  // colour set through element.style is allowed (and labels need no escaping).
  const heading = document.createElement('div');
  heading.className = 'chart-tip-time';
  heading.textContent = time == null ? '' : new Date(time * 1000).toLocaleString();
  const rows = series.map((s, i) => {
    const row = document.createElement('div');
    const swatch = document.createElement('span');
    swatch.className = 'chart-tip-swatch';
    swatch.style.background = s.color;
    const value = document.createElement('b');
    value.textContent = formatUnit(unit, u.data[i + 1]?.[index]);
    row.append(swatch, `${s.label}: `, value);
    return row;
  });
  tip.replaceChildren(heading, ...rows);
  tip.style.display = 'block';
  const flip = left > u.over.clientWidth / 2;
  tip.style.left = flip ? '' : `${left + 12}px`;
  tip.style.right = flip ? `${u.over.clientWidth - left + 12}px` : '';
  tip.style.top = `${Math.max(0, (u.cursor.top ?? 0) - 10)}px`;
}

/** Colours readable on both themes. */
export const PALETTE = ['#3b82f6', '#22a06b', '#e5a000', '#d946ef', '#ef4444', '#06b6d4', '#8b5cf6', '#84cc16'];
