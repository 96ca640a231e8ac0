import { memo } from 'react';
import { formatDuration, formatNumber, serverName } from '../../lib/format';
import { onLinkClick, serverPath } from '../../lib/router';
import type { ServerSummary } from '../../lib/wire';
import { Ago } from '../../components/ago';
import { Gauge } from '../../components/gauge';

/** One server in the overview grid. Memoised: a card re-renders only when its server's summary object changes. */
export const ServerCard = memo(function ServerCard({ server }: { server: ServerSummary }) {
  const alerts = server.criticalAlerts + server.warningAlerts;
  return (
    <a className={`card server-card ${server.online ? '' : 'is-offline'}`} href={serverPath(server.id)}
      onClick={onLinkClick} data-testid="server-card" data-server-id={server.id} data-hostname={server.hostname}
      title={`Open ${serverName(server)}`}>
      <div className="card-head">
        <span className={`dot ${server.online ? 'dot-online' : 'dot-offline'}`}
          title={server.online ? 'Online: reporting' : 'Offline: no report for 3 intervals'} />
        <span className="card-name" data-testid="server-name">{serverName(server)}</span>
        {alerts > 0 && (
          <span className={`badge ${server.criticalAlerts > 0 ? 'badge-crit' : 'badge-warn'}`}
            title={`${server.criticalAlerts} critical, ${server.warningAlerts} warning alerts firing`}>
            {alerts}
          </span>
        )}
      </div>
      <div className="card-sub" title={server.osName ?? ''}>
        {server.displayName ? server.hostname : server.osName ?? '\u00a0'}
      </div>
      <div className="card-gauges">
        <Gauge label="CPU" percent={server.cpuPercent} tooltip="CPU busy over the last interval" testId="cpu-value" />
        <Gauge label="Memory" percent={server.memoryPercent} tooltip="Memory in use (without caches)" testId="memory-value" />
        <Gauge label="Disk" percent={server.diskPercent} tooltip="The fullest filesystem" />
      </div>
      <dl className="card-facts">
        <div title="Load average over 1 minute"><dt>Load</dt><dd>{formatNumber(server.load1)}</dd></div>
        <div title="Time since boot"><dt>Uptime</dt><dd>{formatDuration(server.uptimeSeconds)}</dd></div>
        <div title="Last report received"><dt>Seen</dt><dd><Ago iso={server.lastSeen} /></dd></div>
      </dl>
      {server.tags.length > 0 && (
        <div className="tags">{server.tags.map((tag) => <span key={tag} className="tag">{tag}</span>)}</div>
      )}
    </a>
  );
});
