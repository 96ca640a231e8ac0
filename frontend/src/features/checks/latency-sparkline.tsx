// A row's last hour of total latency as a small line, fetched once the row scrolls into view.
import { useEffect, useRef, useState } from 'react';
import { formatMillis } from '../../lib/format';
import type { SparklineLoader } from './sparkline-loader';

const WIDTH = 120;
const HEIGHT = 28;

/** SVG points of the values scaled into the box; null values break the line into separate runs. */
export function sparklineRuns(values: (number | null)[], width = WIDTH, height = HEIGHT): string[] {
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) return [];
  const max = Math.max(...present, 1);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const runs: string[] = [];
  let run: [number, number][] = [];
  // A lone point between gaps becomes a short dash, so it shows.
  const close = () => {
    if (run.length === 1) run.push([run[0]![0] + 2, run[0]![1]]);
    if (run.length > 0) runs.push(run.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' '));
    run = [];
  };
  values.forEach((value, index) => {
    if (value === null) close();
    else run.push([index * step, height - 2 - (value / max) * (height - 4)]);
  });
  close();
  return runs;
}

/** `refresh` changes when the list wants fresher values (the loader still answers from its cache while fresh). */
export function LatencySparkline({ checkId, loader, refresh }: { checkId: string; loader: SparklineLoader; refresh: number }) {
  const host = useRef<HTMLSpanElement>(null);
  const [visible, setVisible] = useState(() => typeof IntersectionObserver === 'undefined');
  const [values, setValues] = useState<(number | null)[] | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const element = host.current;
    if (visible || element === null) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) setVisible(true);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [visible]);

  useEffect(() => {
    if (!visible) return;
    let cancelled = false;
    loader.values(checkId).then((loaded) => {
      if (cancelled) return;
      setValues(loaded);
      setFailed(false);
    }, () => { if (!cancelled) setFailed(true); });
    return () => { cancelled = true; };
  }, [visible, loader, checkId, refresh]);

  const present = (values ?? []).filter((v): v is number => v !== null);
  const runs = values === null ? [] : sparklineRuns(values);
  const label = present.length === 0 ? 'no latency in the last hour'
    : `last hour: ${formatMillis(Math.min(...present))} to ${formatMillis(Math.max(...present))}`;
  return (
    <span ref={host} className="ck-spark" data-testid="latency-sparkline" data-points={present.length}
      title={failed ? 'Could not load the last hour' : values === null ? 'Loading…' : label}>
      {runs.length > 0 ? (
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT} role="img" aria-label={`Latency, ${label}`}>
          {runs.map((points, i) => <polyline key={i} points={points} className="ck-spark-line" />)}
        </svg>
      ) : <span className="muted">{failed ? '?' : values === null ? '' : '—'}</span>}
    </span>
  );
}
