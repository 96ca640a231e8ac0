import { memo, useCallback, useEffect, useState } from 'react';
import { useApp } from '../../lib/app-context';
import { useNow } from '../../lib/clock';
import { formatDateTime, formatDuration } from '../../lib/format';
import { useLoad } from '../../lib/use-load';
import type { AlertEpisode, Severity } from '../../lib/wire';
import { LoadStatus } from '../../components/feedback';
import { SeverityBadge } from '../../components/severity-badge';
import { episodeSeconds, formatAlertValue } from './alert-format';
import { AlertSubjectCells } from './alert-subject-cells';
import { DownloadLink } from '../../components/download-link';
import { alertHistory, alertHistoryExportUrl } from './api';

const LIMIT = 200;

/** Firing episodes, newest first, filtered by server and severity on the node. */
export function HistoryTab() {
  const { http } = useApp();
  const [serverText, setServerText] = useState('');
  const [server, setServer] = useState('');
  const [severity, setSeverity] = useState<Severity | ''>('');

  // Typing a name asks the node once the typing pauses, not per key.
  useEffect(() => {
    const timer = setTimeout(() => setServer(serverText.trim()), 300);
    return () => clearTimeout(timer);
  }, [serverText]);

  const history = useLoad(useCallback(() => alertHistory(http, {
    server: server === '' ? undefined : server,
    severity: severity === '' ? undefined : severity,
    limit: LIMIT,
  }), [http, server, severity]));
  const filtered = server !== '' || severity !== '';

  return (
    <section className="alerts-section">
      <div className="toolbar">
        <input type="search" value={serverText} onChange={(e) => setServerText(e.target.value)} placeholder="Server"
          aria-label="Server" title="Only episodes of servers matching this" data-testid="history-server" />
        <select value={severity} onChange={(e) => setSeverity(e.target.value as Severity | '')} aria-label="Severity"
          title="Only episodes of one severity" data-testid="history-severity">
          <option value="">Any severity</option>
          <option value="critical">Critical</option>
          <option value="warning">Warning</option>
        </select>
        <button type="button" className="secondary" onClick={history.reload} disabled={history.loading}
          title="Load the history again">Refresh</button>
        <DownloadLink href={alertHistoryExportUrl({ server: server === '' ? undefined : server, severity: severity === '' ? undefined : severity })}
          testId="export-alert-history" title="Download every episode matching these filters as CSV, not only the newest shown here">Export CSV</DownloadLink>
        {history.data !== null && history.data.length === LIMIT && (
          <span className="muted small">Showing the newest {LIMIT}; narrow the filters to see older ones.</span>
        )}
      </div>
      <LoadStatus loaded={history} failure="Could not load the alert history" lines={6} />
      {history.data !== null && history.data.length === 0 && (
        <div className="empty card">
          <h2>{filtered ? 'No episode matches these filters' : 'No alert has fired yet'}</h2>
          <p className="muted">{filtered ? 'Clear the server or severity filter to see every episode.'
            : 'Every time a rule fires on a server, the episode is recorded here with when and how it ended.'}</p>
        </div>
      )}
      {history.data !== null && history.data.length > 0 && (
        <div className="card table-card">
          <table className="data-table" data-testid="alerts-history-table">
            <thead>
              <tr><th>Severity</th><th>Server</th><th>Condition</th><th>Fired</th><th>Resolved</th>
                <th className="num">Duration</th><th>Acknowledged</th></tr>
            </thead>
            <tbody>{history.data.map((episode) => <EpisodeRow key={episode.id} episode={episode} />)}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const EpisodeRow = memo(function EpisodeRow({ episode }: { episode: AlertEpisode }) {
  return (
    <tr data-testid="episode-row">
      <td><SeverityBadge severity={episode.severity} /></td>
      <AlertSubjectCells alert={episode} />
      <td>
        <time title={`Value then: ${formatAlertValue(episode.series, episode.firedValue)}`}>{formatDateTime(episode.firedAt)}</time>
        <div className="muted small">at {formatAlertValue(episode.series, episode.firedValue)}</div>
      </td>
      <td>
        {episode.resolvedAt === null ? <span className="phase phase-firing" title="Still firing">firing</span> : (
          <>
            <time title={`Value then: ${formatAlertValue(episode.series, episode.resolvedValue)}`}>{formatDateTime(episode.resolvedAt)}</time>
            <div className="muted small">{episode.resolveReason ?? `at ${formatAlertValue(episode.series, episode.resolvedValue)}`}</div>
          </>
        )}
      </td>
      <td className="num"><EpisodeDuration episode={episode} /></td>
      {episode.acknowledgedBy === null ? <td className="muted" title="Nobody acknowledged this episode">—</td> : (
        <td title={`Acknowledged${episode.acknowledgedAt ? ` at ${formatDateTime(episode.acknowledgedAt)}` : ''}${episode.ackComment ? `: ${episode.ackComment}` : ''}`}>
          {episode.acknowledgedBy}
          {episode.ackComment ? <div className="muted small">{episode.ackComment}</div> : null}
        </td>
      )}
    </tr>
  );
});

function EpisodeDuration({ episode }: { episode: AlertEpisode }) {
  return episode.resolvedAt === null ? <Ongoing episode={episode} /> : <>{formatDuration(episodeSeconds(episode, Date.now()))}</>;
}

/** Only episodes still firing tick with the clock. */
function Ongoing({ episode }: { episode: AlertEpisode }) {
  const now = useNow();
  return <span title="Still firing: so far">{formatDuration(episodeSeconds(episode, now))} …</span>;
}
