import { memo } from 'react';
import { formatDuration, formatNumber, serverName } from '../../lib/format';
import { navigate, onLinkClick, serverPath } from '../../lib/router';
import type { ServerSummary } from '../../lib/wire';
import { Ago } from '../../components/ago';
import { UsageBar } from '../../components/gauge';
import type { SortKey } from './fleet-store';

const COLUMNS: { key: SortKey; label: string; tooltip: string }[] = [
  { key: 'status', label: '', tooltip: 'Sort by status' },
  { key: 'name', label: 'Server', tooltip: 'Sort by name' },
  { key: 'cpu', label: 'CPU', tooltip: 'Sort by CPU use' },
  { key: 'memory', label: 'Memory', tooltip: 'Sort by memory use' },
  { key: 'disk', label: 'Disk', tooltip: 'Sort by the fullest filesystem' },
  { key: 'load', label: 'Load', tooltip: 'Sort by 1-minute load' },
  { key: 'uptime', label: 'Uptime', tooltip: 'Sort by uptime' },
  { key: 'lastSeen', label: 'Last seen', tooltip: 'Sort by last report' },
];

interface TableProps {
  servers: ServerSummary[];
  sort: SortKey;
  descending: boolean;
  onSort: (key: SortKey) => void;
}

export function ServerTable({ servers, sort, descending, onSort }: TableProps) {
  return (
    <table className="server-table" data-testid="server-table">
      <thead>
        <tr>
          {COLUMNS.map((column) => (
            <th key={column.key} aria-sort={sort === column.key ? (descending ? 'descending' : 'ascending') : 'none'}>
              <button type="button" className="th-button" title={column.tooltip} onClick={() => onSort(column.key)}>
                {column.label}{sort === column.key ? (descending ? ' ▾' : ' ▴') : ''}
              </button>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {servers.map((server) => <Row key={server.id} server={server} />)}
      </tbody>
    </table>
  );
}

function Cell({ percent, what }: { percent: number | null; what: string }) {
  return (
    <td className="num">
      <div className="cell-bar"><span>{percent == null ? '—' : `${Math.round(percent)} %`}</span>
        <UsageBar percent={percent} tooltip={what} /></div>
    </td>
  );
}

const Row = memo(function Row({ server }: { server: ServerSummary }) {
  return (
    <tr className={server.online ? '' : 'is-offline'} onClick={() => navigate(serverPath(server.id))}>
      <td><span className={`dot ${server.online ? 'dot-online' : 'dot-offline'}`} title={server.online ? 'Online' : 'Offline'} /></td>
      <td>
        <a href={serverPath(server.id)} onClick={onLinkClick} data-testid="table-server-name">{serverName(server)}</a>
        <div className="muted small">{server.group ?? ''}{server.addresses[0] ? ` · ${server.addresses[0]}` : ''}</div>
      </td>
      <Cell percent={server.cpuPercent} what="CPU busy" />
      <Cell percent={server.memoryPercent} what="Memory in use" />
      <Cell percent={server.diskPercent} what="Fullest filesystem" />
      <td className="num">{formatNumber(server.load1)}</td>
      <td className="num">{formatDuration(server.uptimeSeconds)}</td>
      <td className="num"><Ago iso={server.lastSeen} /></td>
    </tr>
  );
});
