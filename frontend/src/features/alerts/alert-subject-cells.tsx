import { onLinkClick, subjectPath } from '../../lib/router';
import type { ActiveAlert } from '../../lib/wire';

/** The Server and Condition cells of an alert's (or an episode's) row: the server linked, the condition and its rule. */
export function AlertSubjectCells({ alert }: { alert: Pick<ActiveAlert, 'serverId' | 'serverName' | 'series' | 'condition' | 'ruleId' | 'ruleName'> }) {
  // Names are nullable on the wire (the node may have none to send, e.g. the acknowledge answer): the id stands in.
  const server = alert.serverName ?? alert.serverId;
  return (
    <>
      <td><a href={subjectPath(alert.serverId)} onClick={onLinkClick} title={`Open ${server}`}>{server}</a></td>
      <td>
        <div className="mono" title={`Series ${alert.series}`}>{alert.condition ?? alert.series}</div>
        <div className="muted small">{alert.ruleName ?? alert.ruleId}</div>
      </td>
    </>
  );
}
