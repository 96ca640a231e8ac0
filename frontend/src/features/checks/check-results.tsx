// A check's results over a chosen range: the latency chart of a chosen phase per vantage, the percentiles, and the
// recent failures. The last hour refreshes every 10 s, longer ranges every minute.
import { useCallback, useState } from 'react';
import { useApp } from '../../lib/app-context';
import { useEvery } from '../../lib/use-every';
import { useLoad } from '../../lib/use-load';
import { ErrorPanel, Skeleton } from '../../components/feedback';
import { checkResults } from './api';
import { PHASES } from './check-format';
import { FailureList } from './failure-list';
import { LatencyChart, LatencyStats, phasesOf } from './latency-chart';
import type { Phase } from './types';

const RANGES: { label: string; seconds: number }[] = [
  { label: '1 h', seconds: 3600 },
  { label: '24 h', seconds: 86400 },
  { label: '7 d', seconds: 7 * 86400 },
  { label: '30 d', seconds: 30 * 86400 },
];

export function CheckResults({ checkId, order, names }: { checkId: string; order: string[]; names: ReadonlyMap<string, string> }) {
  const { http } = useApp();
  const [range, setRange] = useState(RANGES[0]!);
  const [phase, setPhase] = useState<Phase>('total');
  // The window ends now at every (re)load.
  const results = useLoad(useCallback(() => {
    const to = Date.now();
    return checkResults(http, checkId, new Date(to - range.seconds * 1000), new Date(to));
  }, [http, checkId, range]));
  useEvery(range.seconds <= 3600 ? 10_000 : 60_000, results.reload);
  const phases = results.data === null ? ['total' as Phase] : phasesOf(results.data);

  return (
    <section className="ck-results" data-testid="check-results">
      <div className="toolbar">
        <div className="segmented" role="group" aria-label="Range">
          {RANGES.map((r) => (
            <button key={r.label} type="button" className={range.label === r.label ? 'active' : ''} aria-pressed={range.label === r.label}
              onClick={() => setRange(r)} title={`The last ${r.label}`} data-testid={`range-${r.label.replace(' ', '')}`}>{r.label}</button>
          ))}
        </div>
        <div className="segmented" role="group" aria-label="Phase">
          {PHASES.filter((p) => phases.includes(p.phase) || p.phase === phase).map((p) => (
            <button key={p.phase} type="button" className={phase === p.phase ? 'active' : ''} aria-pressed={phase === p.phase}
              onClick={() => setPhase(p.phase)} data-testid={`phase-${p.phase}`}
              title={p.phase === 'total' ? 'The whole request' : `Time spent in ${p.label}`}>{p.label}</button>
          ))}
        </div>
      </div>
      {results.error !== null && <ErrorPanel title="Could not load the results" message={results.error} onRetry={results.reload} />}
      {results.data === null && results.error === null && <Skeleton className="card chart" lines={5} />}
      {results.data !== null && (
        <div className="ck-results-body">
          <LatencyChart results={results.data} phase={phase} order={order} names={names} />
          <LatencyStats stats={results.data.stats} names={names} />
          <FailureList failures={results.data.failures} names={names} />
        </div>
      )}
    </section>
  );
}
