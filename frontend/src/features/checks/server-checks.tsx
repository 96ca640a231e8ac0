// The server page's Checks tab: the checks this server is a vantage of, each with the check's state and what this
// server sees of it. Loaded lazily by the server page; refreshed every 10 s.
import { useCallback } from 'react';
import { useApp } from '../../lib/app-context';
import { formatMillis } from '../../lib/format';
import { CHECKS_PATH, checkPath, onLinkClick } from '../../lib/router';
import { useEvery } from '../../lib/use-every';
import { useLoad } from '../../lib/use-load';
import { Ago } from '../../components/ago';
import { LoadStatus } from '../../components/feedback';
import { serverChecks } from './api';
import { checkTarget, KIND_LABELS } from './check-format';
import { CheckStateBadge, VantageStateBadge } from './state-badge';
import './checks.css';

export default function ServerChecks({ serverId, serverName }: { serverId: string; serverName: string }) {
  const { http } = useApp();
  const checks = useLoad(useCallback(() => serverChecks(http, serverId).then((answer) => answer.checks), [http, serverId]));
  useEvery(10_000, checks.reload);
  return (
    <section data-testid="server-checks">
      <LoadStatus loaded={checks} failure="Could not load this server's checks" lines={3} />
      {checks.data !== null && checks.data.length === 0 && (
        <div className="empty card" data-testid="server-checks-empty">
          <h2>{serverName} runs no checks</h2>
          <p className="muted">Checks choose their vantages (all servers, a group, a tag or chosen servers) on the <a href={CHECKS_PATH} onClick={onLinkClick}>Checks</a> page.</p>
        </div>
      )}
      {checks.data !== null && checks.data.length > 0 && (
        <div className="card table-card">
          <table className="data-table" data-testid="server-checks-table">
            <thead><tr><th>Check</th><th>Target</th><th>Check state</th><th>From {serverName}</th><th>Reason</th><th className="num">Latency</th><th>Last result</th></tr></thead>
            <tbody>
              {checks.data.map((check) => {
                const mine = check.vantages.find((v) => v.serverId === serverId);
                return (
                  <tr key={check.id} data-testid="server-check-row" data-check-id={check.id} data-vantage-state={mine?.state ?? ''}>
                    <td><a href={checkPath(check.id)} onClick={onLinkClick}>{check.name}</a></td>
                    <td><span className="ck-kind">{KIND_LABELS[check.kind] ?? check.kind}</span> <span className="mono">{checkTarget(check)}</span></td>
                    <td><CheckStateBadge state={check.state} /></td>
                    <td>{mine ? <VantageStateBadge state={mine.state} /> : <span className="muted">—</span>}</td>
                    <td>{mine?.reason ? <span className="mono" title={mine.message ?? undefined}>{mine.reason}</span> : <span className="muted">—</span>}</td>
                    <td className="num">{formatMillis(mine?.latencyMillis)}</td>
                    <td className="small">{mine?.at ? <Ago iso={mine.at} /> : <span className="muted">none yet</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
