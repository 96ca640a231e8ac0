// What each vantage saw last: its state (an abstaining one greyed, with why it is not counted), the reason and
// message of a failure, the latency and the address it reached.
import { formatMillis } from '../../lib/format';
import { onLinkClick, serverPath } from '../../lib/router';
import { Ago } from '../../components/ago';
import { vantageName } from './check-format';
import { VantageStateBadge } from './state-badge';
import type { VantageStatus } from './types';

export function VantageTable({ vantages, failingAddresses }: { vantages: VantageStatus[]; failingAddresses: string[] }) {
  if (vantages.length === 0) {
    return <p className="muted card pad" data-testid="vantages-empty">No vantage runs this check yet: no connected agent matches its vantages.</p>;
  }
  const failing = new Set(failingAddresses);
  return (
    <div className="card table-card">
      <table className="data-table" data-testid="vantage-table">
        <thead>
          <tr><th>Vantage</th><th>State</th><th>Reason</th><th className="num">Latency</th><th>Address</th><th>Last result</th></tr>
        </thead>
        <tbody>
          {vantages.map((v) => (
            <tr key={v.serverId} data-testid="vantage-row" data-server-id={v.serverId} data-state={v.state}
              className={v.state === 'abstained' ? 'is-disabled' : ''}>
              <td>
                <a href={serverPath(v.serverId)} onClick={onLinkClick} title="The server this vantage runs on">{vantageName(v)}</a>
                {v.serverName && <div className="muted small mono">{v.serverId}</div>}
              </td>
              <td><VantageStateBadge state={v.state} /></td>
              <td>
                {v.reason ? <span className="mono">{v.reason}</span> : <span className="muted">—</span>}
                {v.message && <div className="muted small" data-testid="vantage-message">{v.message}</div>}
              </td>
              <td className="num">{formatMillis(v.latencyMillis)}</td>
              <td className="mono">
                {v.address ?? '—'}
                {v.address && failing.has(v.address) && <span className="ck-text-bad small" title="Failing from some vantages"> failing</span>}
              </td>
              <td className="small">{v.at ? <Ago iso={v.at} /> : <span className="muted">none yet</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
