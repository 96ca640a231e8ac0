import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useApp } from '../../lib/app-context';
import { remember, remembered } from '../../lib/theme';
import type { FleetFrame, ServerSummary } from '../../lib/wire';
import { ErrorPanel, Skeleton } from '../../components/feedback';
import { DownloadLink } from '../../components/download-link';
import { AddServerDialog } from './add-server-dialog';
import { hasEarlyAnswer } from '../../lib/early';
import { inventoryExportUrl, listServers } from './api';
import { applyFleetFrame, countFleet, groupServers, matches, sortServers, type SortKey, type StatusFilter } from './fleet-store';
import { firstOfGroups, useRevealLimit } from './reveal';
import { ServerCard } from './server-card';
import { ServerTable } from './server-table';

type View = 'grid' | 'table';

/**
 * Fleet overview: live from the socket's fleet feed (snapshot, then coalesced changes); no polling. On the page's first
 * load the fleet list asked for before the bundle ran (public/early.js) is shown until the socket's snapshot comes.
 */
export function OverviewPage() {
  const { http, live, me } = useApp();
  const [fleet, setFleet] = useState<Map<string, ServerSummary> | null>(null);
  const [stale, setStale] = useState(false);
  const [search, setSearch] = useState('');
  const [group, setGroup] = useState<string | null>(null);
  const [status, setStatus] = useState<StatusFilter>('all');
  const [view, setView] = useState<View>(() => (remembered('steward.view', 'grid') === 'table' ? 'table' : 'grid'));
  const [sort, setSort] = useState<SortKey>('name');
  const [descending, setDescending] = useState(false);
  const [adding, setAdding] = useState(false);
  const pending = useRef<FleetFrame[]>([]);

  useEffect(() => {
    // Frames are applied once per animation frame, so a burst of frames costs one render.
    let scheduled = 0;
    const flush = () => {
      scheduled = 0;
      const frames = pending.current;
      pending.current = [];
      setFleet((current) => frames.reduce((map, frame) => applyFleetFrame(map, frame), current ?? new Map()));
    };
    const stopWatching = live.watchFleet((frame) => {
      pending.current.push(frame);
      if (scheduled === 0) scheduled = requestAnimationFrame(flush);
    });
    // A first connection under way is not stale: only a lost one is.
    const stopState = live.onState((state) => setStale(state === 'reconnecting'));
    return () => {
      stopWatching();
      stopState();
      if (scheduled !== 0) cancelAnimationFrame(scheduled);
    };
  }, [live]);

  useEffect(() => {
    if (!hasEarlyAnswer('/api/servers')) return;
    // Shown only if the socket's snapshot has not come first (an update after an unmount is dropped by React). A 401
    // ends the session as any does; another failure is left to the socket.
    listServers(http).then((servers) => {
      setFleet((current) => current ?? new Map(servers.map((server) => [server.id, server])));
    }, () => undefined);
  }, [http]);

  const all = useMemo(() => (fleet === null ? [] : [...fleet.values()]), [fleet]);
  const counts = useMemo(() => countFleet(all), [all]);
  const groups = useMemo(() => [...new Set(all.map((s) => s.group).filter((g): g is string => !!g))].sort(), [all]);
  const shown = useMemo(() => sortServers(all.filter((s) => matches(s, { search, group, status })), sort, descending),
    [all, search, group, status, sort, descending]);
  const reveal = useRevealLimit(fleet === null ? null : shown.length);
  const onSort = useCallback((key: SortKey) => {
    setSort((current) => {
      if (current === key) setDescending((d) => !d);
      else setDescending(key !== 'name');
      return key;
    });
  }, []);
  const changeView = (next: View) => { setView(next); remember('steward.view', next); };

  return (
    <main className="page">
      <div className="page-head">
        <h1>Servers</h1>
        <div className="page-actions">
          <DownloadLink href={inventoryExportUrl('csv')} testId="export-inventory"
            title="Download the fleet inventory (every server with its details and latest values) as CSV">Export inventory</DownloadLink>
          <DownloadLink href={inventoryExportUrl('json')} testId="export-inventory-json"
            title="Download the fleet inventory as JSON (what the API lists)">JSON</DownloadLink>
          {me.role === 'ADMIN' && (
            <button type="button" onClick={() => setAdding(true)} data-testid="add-server"
              title="Create an enrollment token and get the agent command">+ Add server</button>
          )}
        </div>
      </div>
      <section className="summary-cards" aria-label="Fleet summary">
        <SummaryCard label="Servers" value={fleet === null ? null : counts.total} tooltip="Servers enrolled" testId="count-total" />
        <SummaryCard label="Online" value={fleet === null ? null : counts.online} tooltip="Reporting now" tone="ok" testId="count-online" />
        <SummaryCard label="Offline" value={fleet === null ? null : counts.offline} tooltip="No report for 3 intervals" tone={counts.offline > 0 ? 'crit' : undefined} testId="count-offline" />
        <SummaryCard label="Active alerts" value={fleet === null ? null : counts.criticalAlerts + counts.warningAlerts}
          tooltip={`${counts.criticalAlerts} critical, ${counts.warningAlerts} warning alerts firing`}
          tone={counts.criticalAlerts > 0 ? 'crit' : counts.warningAlerts > 0 ? 'warn' : undefined} testId="count-alerts" />
      </section>
      <div className="toolbar">
        <input type="search" placeholder="Search name, IP, tag…" value={search} onChange={(e) => setSearch(e.target.value)}
          aria-label="Search servers" title="Filter by name, hostname, IP address, tag or group" data-testid="search" />
        <select value={group ?? ''} onChange={(e) => setGroup(e.target.value === '' ? null : e.target.value)}
          aria-label="Group" title="Show one group only">
          <option value="">All groups</option>
          {groups.map((g) => <option key={g} value={g}>{g}</option>)}
        </select>
        <select value={status} onChange={(e) => setStatus(e.target.value as StatusFilter)} aria-label="Status"
          title="Show online or offline servers only">
          <option value="all">Any status</option>
          <option value="online">Online</option>
          <option value="offline">Offline</option>
        </select>
        <div className="segmented" role="group" aria-label="View">
          <button type="button" className={view === 'grid' ? 'active' : ''} onClick={() => changeView('grid')}
            title="Cards grouped by group" data-testid="view-grid">Grid</button>
          <button type="button" className={view === 'table' ? 'active' : ''} onClick={() => changeView('table')}
            title="Compact sortable table" data-testid="view-table">Table</button>
        </div>
      </div>
      {stale && fleet !== null && <p className="muted small">Showing the last values received; reconnecting…</p>}
      {fleet === null && (stale && live.connectionState === 'reconnecting'
        ? <ErrorPanel title="Cannot reach the Steward node" message="The live connection is down; retrying by itself." />
        : <div className="grid">{Array.from({ length: 6 }, (_, i) => <Skeleton key={i} className="card" lines={5} />)}</div>)}
      {fleet !== null && all.length === 0 && (
        <div className="empty card">
          <h2>No servers yet</h2>
          <p>Add your first server: Steward shows the agent command to run on it.</p>
          {me.role === 'ADMIN' && <button type="button" onClick={() => setAdding(true)} title="Add a server">Add server</button>}
        </div>
      )}
      {fleet !== null && all.length > 0 && shown.length === 0 && <p className="muted">No server matches these filters.</p>}
      {fleet !== null && shown.length > 0 && view === 'table' && (
        <ServerTable servers={reveal < shown.length ? shown.slice(0, reveal) : shown} sort={sort} descending={descending} onSort={onSort} />
      )}
      {fleet !== null && shown.length > 0 && view === 'grid' && firstOfGroups(groupServers(shown), reveal).map(({ key: name, items: servers, size }) => (
        <section key={name ?? ''} className="group-section" aria-label={name ?? 'Ungrouped'}>
          {(groups.length > 0) && <h2 className="group-title">{name ?? 'Ungrouped'} <span className="muted">{size}</span></h2>}
          <div className="grid">{servers.map((server) => <ServerCard key={server.id} server={server} />)}</div>
        </section>
      ))}
      {adding && <AddServerDialog onClose={() => setAdding(false)} />}
    </main>
  );
}

function SummaryCard({ label, value, tooltip, tone, testId }: {
  label: string; value: number | null; tooltip: string; tone?: 'ok' | 'warn' | 'crit'; testId: string;
}) {
  return (
    <div className={`card summary-card ${tone ? `tone-${tone}` : ''}`} title={tooltip}>
      <span className="summary-label">{label}</span>
      <span className="summary-value" data-testid={testId}>{value === null ? '…' : value}</span>
    </div>
  );
}
