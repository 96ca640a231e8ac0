// The Checks page: every URL/TCP/TLS/DNS check with its state, refreshed every 10 s; for admins creating and
// importing checks, and the groups' public status pages.
import { useCallback, useMemo, useState } from 'react';
import { useApp } from '../../lib/app-context';
import { checkPath, MAINTENANCE_PATH, navigate, onLinkClick } from '../../lib/router';
import { useEvery } from '../../lib/use-every';
import { useLoad } from '../../lib/use-load';
import { LoadStatus } from '../../components/feedback';
import { listChecks } from './api';
import { checkGroups } from './check-format';
import { CheckForm } from './check-form';
import { ChecksTable } from './checks-table';
import { ImportDialog } from './import-dialog';
import { SparklineLoader } from './sparkline-loader';
import { StatusPagesSettings } from './status-pages-settings';
import './checks.css';

/** How often the list asks the node again; sparklines follow at most once a minute (their loader caches). */
const REFRESH_MILLIS = 10_000;
const SPARKLINE_MILLIS = 60_000;

export default function ChecksPage() {
  const { http, me } = useApp();
  const admin = me.role === 'ADMIN';
  const checks = useLoad(useCallback(() => listChecks(http).then((answer) => answer.checks), [http]));
  const loader = useMemo(() => new SparklineLoader(http), [http]);
  const [sparklineRound, setSparklineRound] = useState(0);
  const [dialog, setDialog] = useState<'new' | 'import' | null>(null);
  useEvery(REFRESH_MILLIS, checks.reload);
  useEvery(SPARKLINE_MILLIS, () => setSparklineRound((r) => r + 1));
  const groups = useMemo(() => checkGroups(checks.data ?? []), [checks.data]);

  return (
    <main className="page ck-page" data-testid="checks-page">
      <div className="page-head">
        <h1>Checks</h1>
        <div className="toolbar ck-actions">
          <a className="button-link secondary" href={MAINTENANCE_PATH} onClick={onLinkClick} data-testid="maintenance-link"
            title="Maintenance windows: when failures are not alerted nor counted">Maintenance</a>
          {admin && (
            <>
              <button type="button" className="secondary" onClick={() => setDialog('import')} data-testid="import-checks"
                title="Create checks from an Uptime Kuma backup or a Gatus configuration">Import</button>
              <button type="button" onClick={() => setDialog('new')} data-testid="new-check"
                title="Watch a URL, a TCP port, a TLS certificate or a DNS name from your servers">New check</button>
            </>
          )}
        </div>
      </div>
      <p className="muted">Each check runs from the agents on your servers (its vantages); a quorum of them decides whether it is up.</p>
      <LoadStatus loaded={checks} failure="Could not load the checks" lines={6} />
      {checks.data !== null && checks.data.length === 0 && (
        <div className="empty card" data-testid="checks-empty">
          <h2>No checks yet</h2>
          <p className="muted">A check watches a website, a port, a certificate or a DNS name from several servers at once.</p>
          {/* Not named "New check": the heading's button keeps that name to itself (one match for a browser test). */}
          {admin && <button type="button" onClick={() => setDialog('new')} data-testid="checks-empty-new">Create the first check</button>}
        </div>
      )}
      {checks.data !== null && checks.data.length > 0 && <ChecksTable checks={checks.data} loader={loader} refresh={sparklineRound} />}
      {admin && <StatusPagesSettings groups={groups} />}
      {dialog === 'new' && (
        <CheckForm check={null} groups={groups} onClose={() => setDialog(null)} onSaved={(created) => {
          setDialog(null);
          navigate(checkPath(created.id));
        }} />
      )}
      {dialog === 'import' && <ImportDialog onClose={() => setDialog(null)} onImported={checks.reload} />}
    </main>
  );
}
