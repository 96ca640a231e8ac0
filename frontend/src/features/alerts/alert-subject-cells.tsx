import { onLinkClick, serverPath } from '../../lib/router';
import type { ActiveAlert } from '../../lib/wire';

/** The Server and Condition cells of an alert's (or an episode's) row: the server linked, the condition and its rule. */
export function AlertSubjectCells({ alert }: { alert: Pick<ActiveAlert, 'serverId' | 'serverName' | 'series' | 'condition' | 'ruleName'> }) {
  return (
    <>
      <td><a href={serverPath(alert.serverId)} onClick={onLinkClick} title={`Open ${alert.serverName}`}>{alert.serverName}</a></td>
      <td>
        <div className="mono" title={`Series ${alert.series}`}>{alert.condition}</div>
        <div className="muted small">{alert.ruleName}</div>
      </td>
    </>
  );
}
