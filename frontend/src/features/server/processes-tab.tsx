import { useCallback, useMemo, useState } from 'react';
import { useApp } from '../../lib/app-context';
import { formatBytes, formatPercent } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import type { MetricsReport, ProcessInfo, ProcessList } from '../../lib/wire';
import { Ago } from '../../components/ago';
import { ErrorPanel } from '../../components/feedback';
import { allProcesses } from './api';

type Key = 'pid' | 'name' | 'user' | 'cpuPercent' | 'rssBytes' | 'memoryPercent';
const COLUMNS: { key: Key; label: string; numeric: boolean }[] = [
  { key: 'pid', label: 'PID', numeric: true },
  { key: 'name', label: 'Name', numeric: false },
  { key: 'user', label: 'User', numeric: false },
  { key: 'cpuPercent', label: 'CPU', numeric: true },
  { key: 'rssBytes', label: 'Resident memory', numeric: true },
  { key: 'memoryPercent', label: 'Memory', numeric: true },
];

/**
 * The heaviest processes of the latest report (live), by CPU or by memory — or every process, fetched from the agent
 * on request — sortable and filterable.
 */
export function ProcessesTab({ serverId, report }: { serverId: string; report: MetricsReport | null }) {
  const { http } = useApp();
  const [by, setBy] = useState<'cpu' | 'memory' | 'all'>('cpu');
  const [all, setAll] = useState<ProcessList | null>(null);
  const asking = useAction();
  const { run } = asking;
  const loadAll = useCallback(() => run(() => allProcesses(http, serverId), setAll), [run, http, serverId]);
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<{ key: Key; descending: boolean }>({ key: 'cpuPercent', descending: true });
  const rows = useMemo(() => {
    if (report === null && by !== 'all') return [];
    const list = by === 'all' ? (all?.processes ?? []) : by === 'cpu' ? report!.processes.topByCpu : report!.processes.topByMemory;
    const needle = filter.trim().toLowerCase();
    return list
      .filter((p) => needle === '' || p.name.toLowerCase().includes(needle) || String(p.pid).includes(needle) || (p.user ?? '').toLowerCase().includes(needle))
      .sort((a, b) => compare(a, b, sort.key) * (sort.descending ? -1 : 1));
  }, [report, by, filter, sort, all]);
  if (report === null && by !== 'all') return <p className="muted card pad">No report yet.</p>;
  return (
    <section className="card pad">
      <div className="toolbar">
        <div className="segmented" role="group" aria-label="Top processes by">
          <button type="button" className={by === 'cpu' ? 'active' : ''} title="The processes using the most CPU"
            onClick={() => { setBy('cpu'); setSort({ key: 'cpuPercent', descending: true }); }}>Top by CPU</button>
          <button type="button" className={by === 'memory' ? 'active' : ''} title="The processes using the most memory"
            onClick={() => { setBy('memory'); setSort({ key: 'rssBytes', descending: true }); }}>Top by memory</button>
          <button type="button" className={by === 'all' ? 'active' : ''} data-testid="all-processes"
            title="Every process on the server, asked from the agent now (not live: refresh to update)"
            onClick={() => { setBy('all'); setSort({ key: 'cpuPercent', descending: true }); loadAll(); }}>All processes</button>
        </div>
        <input type="search" placeholder="Filter name, PID, user" value={filter} onChange={(e) => setFilter(e.target.value)}
          aria-label="Filter processes" title="Show matching processes only" />
        {by === 'all'
          ? <span className="muted small">
              {asking.busy ? 'Asking the agent…' : all !== null ? <>{all.processes.length} processes, as of <Ago iso={all.collectedAt} /></> : null}
              {' '}<button type="button" className="secondary small-button" onClick={loadAll} disabled={asking.busy}
                title="Ask the agent for the list again">Refresh</button>
            </span>
          : report !== null && <span className="muted small">{report.processes.count} processes, {report.processes.threadCount} threads</span>}
      </div>
      {by === 'all' && asking.error !== null && <ErrorPanel title="Could not get the process list" message={asking.error} onRetry={loadAll} />}
      <table className="data-table" data-testid="process-table">
        <thead><tr>{COLUMNS.map((c) => (
          <th key={c.key} className={c.numeric ? 'num' : ''}>
            <button type="button" className="th-button" title={`Sort by ${c.label.toLowerCase()}`}
              onClick={() => setSort((s) => ({ key: c.key, descending: s.key === c.key ? !s.descending : c.numeric }))}>
              {c.label}{sort.key === c.key ? (sort.descending ? ' ▾' : ' ▴') : ''}
            </button>
          </th>))}</tr></thead>
        <tbody>
          {rows.map((p) => (
            <tr key={p.pid}>
              <td className="num">{p.pid}</td><td>{p.name}</td><td className="muted">{p.user ?? '—'}</td>
              <td className="num">{formatPercent(p.cpuPercent)}</td><td className="num">{formatBytes(p.rssBytes)}</td>
              <td className="num">{formatPercent(p.memoryPercent)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function compare(a: ProcessInfo, b: ProcessInfo, key: Key): number {
  const x = a[key] ?? '';
  const y = b[key] ?? '';
  return typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
}
