// One check: its state and since when, what each vantage sees, latency and failures over a range, the certificate;
// for admins Run now, Edit and Delete. Refreshed every 10 s.
import { useCallback, useMemo, useState } from 'react';
import { useApp } from '../../lib/app-context';
import { ApiError } from '../../lib/http';
import { CHECKS_PATH, navigate, onLinkClick } from '../../lib/router';
import { useAction } from '../../lib/use-action';
import { useEvery } from '../../lib/use-every';
import { useLoad } from '../../lib/use-load';
import { Ago } from '../../components/ago';
import { ConfirmDialog } from '../../components/dialog';
import { ErrorPanel, Skeleton } from '../../components/feedback';
import { deleteCheck, getCheck, runCheck } from './api';
import { CertificateCard } from './certificate-card';
import { checkTarget, describeSelection, formatInterval, KIND_LABELS, vantageName, watchesCertificate } from './check-format';
import { CheckForm } from './check-form';
import { CheckResults } from './check-results';
import { CheckStateBadge } from './state-badge';
import type { Check } from './types';
import { VantageTable } from './vantage-table';
import './checks.css';

/** What the load answers for a 404: the check was deleted, or never was. */
const MISSING = 'missing' as const;

export default function CheckPage({ id }: { id: string }) {
  const { http } = useApp();
  const loaded = useLoad(useCallback(() => getCheck(http, id).catch((failure: unknown): typeof MISSING => {
    if (failure instanceof ApiError && failure.status === 404) return MISSING;
    throw failure;
  }), [http, id]));
  useEvery(10_000, loaded.reload);

  if (loaded.data === MISSING) {
    return (
      <main className="page">
        <ErrorPanel title="No such check" message={`There is no check ${id}; it may have been deleted.`} />
        <p><a href={CHECKS_PATH} onClick={onLinkClick}>Back to the checks</a></p>
      </main>
    );
  }
  if (loaded.data === null) {
    return (
      <main className="page">
        {loaded.error !== null ? <ErrorPanel title="Could not load this check" message={loaded.error} onRetry={loaded.reload} /> : <Skeleton lines={6} />}
      </main>
    );
  }
  return <CheckView check={loaded.data} onChanged={loaded.accept} staleError={loaded.error} />;
}

function CheckView({ check, onChanged, staleError }: { check: Check; onChanged: (check: Check) => void; staleError: string | null }) {
  const { http, me } = useApp();
  const admin = me.role === 'ADMIN';
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const names = useMemo(() => new Map(check.vantages.map((v) => [v.serverId, vantageName(v)])), [check.vantages]);
  const order = useMemo(() => check.vantages.map((v) => v.serverId), [check.vantages]);

  return (
    <main className="page ck-page" data-testid="check-page" data-check-id={check.id}>
      <nav className="crumbs"><a href={CHECKS_PATH} onClick={onLinkClick} title="Every check">Checks</a> / {check.name}</nav>
      <header className="server-head card">
        <div className="server-title">
          <h1 data-testid="check-title">{check.name}</h1>
          <CheckStateBadge state={check.state} testId="check-state" />
          {check.since && <span className="muted" data-testid="check-since">since <Ago iso={check.since} /></span>}
          {admin && (
            <div className="ck-head-actions">
              <RunNow check={check} names={names} />
              <button type="button" className="secondary" onClick={() => setEditing(true)} data-testid="edit-check" title="Change the check">Edit</button>
              <button type="button" className="secondary danger-text" onClick={() => setDeleting(true)} data-testid="delete-check"
                title="Delete the check and its results">Delete</button>
            </div>
          )}
        </div>
        <dl className="facts">
          <div><dt>{KIND_LABELS[check.kind] ?? check.kind}</dt><dd className="mono" data-testid="check-target">{checkTarget(check)}</dd></div>
          <div><dt>Runs</dt><dd>{formatInterval(check.interval)}, {check.retries} retries</dd></div>
          <div><dt>Vantages</dt><dd>{describeSelection(check.vantageSelection, names)}</dd></div>
          {check.group && <div><dt>Group</dt><dd>{check.group}</dd></div>}
          {check.failingAddresses.length > 0 && (
            <div><dt>Failing addresses</dt><dd className="mono ck-text-bad" data-testid="failing-addresses">{check.failingAddresses.join(', ')}</dd></div>
          )}
        </dl>
      </header>
      {staleError !== null && <div className="form-error" role="alert">Could not refresh: {staleError}</div>}
      <h2>Vantages</h2>
      <VantageTable vantages={check.vantages} failingAddresses={check.failingAddresses} />
      <h2 className="ck-heading">Latency and failures</h2>
      <CheckResults checkId={check.id} order={order} names={names} />
      {watchesCertificate(check) && <div className="ck-results-body"><CertificateCard certificate={check.certificate} /></div>}
      {editing && (
        <CheckForm check={check} groups={check.group ? [check.group] : []} onClose={() => setEditing(false)}
          onSaved={(saved) => { onChanged(saved); setEditing(false); }} />
      )}
      {deleting && (
        <ConfirmDialog title={`Delete the check ${check.name}?`} confirmLabel="Delete check" testId="delete-check-dialog"
          message="Its vantages stop running it, and its results and uptime history go. This cannot be undone."
          onConfirm={() => deleteCheck(http, check.id).then(() => navigate(CHECKS_PATH))} onClose={() => setDeleting(false)} />
      )}
    </main>
  );
}

/** Asks the connected vantages to run it now, and says which were asked. */
function RunNow({ check, names }: { check: Check; names: ReadonlyMap<string, string> }) {
  const { http } = useApp();
  const action = useAction();
  const [asked, setAsked] = useState<string[] | null>(null);
  return (
    <span className="ck-run-now">
      <button type="button" onClick={() => { setAsked(null); action.run(() => runCheck(http, check.id), (answer) => setAsked(answer.requested)); }}
        disabled={action.busy} data-testid="run-check" title="Ask the connected vantages to run it now">{action.busy ? 'Asking…' : 'Run now'}</button>
      {asked !== null && (
        <span className="small muted" role="status" data-testid="run-check-result">
          {asked.length === 0 ? 'No vantage is connected now.' : `Asked ${asked.map((id) => names.get(id) ?? id).join(', ')}.`}</span>
      )}
      {action.error !== null && <span className="small ck-text-bad" role="alert" data-testid="run-check-error">{action.error}</span>}
    </span>
  );
}
