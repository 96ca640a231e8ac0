// Maintenance windows: while one is active, the checks it covers are in maintenance (not alerted, not counted in
// uptime). Everyone sees them; admins create, edit and delete them.
import { useCallback, useMemo, useState } from 'react';
import { useApp } from '../../lib/app-context';
import { CHECKS_PATH, onLinkClick } from '../../lib/router';
import { useEvery } from '../../lib/use-every';
import { removeById, upsertById, useLoad } from '../../lib/use-load';
import { ConfirmDialog } from '../../components/dialog';
import { EditDeleteButtons } from '../../components/edit-delete-buttons';
import { LoadStatus } from '../../components/feedback';
import { deleteMaintenance, listChecks, listMaintenance } from './api';
import { checkGroups } from './check-format';
import { describeWindow, describeWindowScope } from './maintenance-draft';
import { MaintenanceForm } from './maintenance-form';
import type { MaintenanceWindow } from './types';
import './checks.css';

type Editing = { window: MaintenanceWindow | null } | null;

export default function MaintenancePage() {
  const { http, me } = useApp();
  const admin = me.role === 'ADMIN';
  const windows = useLoad(useCallback(() => listMaintenance(http).then((answer) => answer.windows), [http]));
  // Best effort: they name the covered checks and fill the form's choices.
  const checks = useLoad(useCallback(() => listChecks(http).then((answer) => answer.checks), [http]));
  useEvery(30_000, windows.reload);
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<MaintenanceWindow | null>(null);
  const checkNames = useMemo(() => new Map((checks.data ?? []).map((c) => [c.id, c.name])), [checks.data]);
  const groups = useMemo(() => checkGroups(checks.data ?? []), [checks.data]);

  return (
    <main className="page ck-page" data-testid="maintenance-page">
      <nav className="crumbs"><a href={CHECKS_PATH} onClick={onLinkClick}>Checks</a> / Maintenance</nav>
      <div className="page-head">
        <h1>Maintenance windows</h1>
        {admin && <button type="button" onClick={() => setEditing({ window: null })} data-testid="new-maintenance"
          title="Plan a time when failures are expected">New window</button>}
      </div>
      <p className="muted">While a window is active, the checks it covers show "maintenance": their failures raise no alert and do not count against uptime.</p>
      <LoadStatus loaded={windows} failure="Could not load the maintenance windows" lines={4} />
      {windows.data !== null && windows.data.length === 0 && (
        <div className="empty card" data-testid="maintenance-empty"><h2>No maintenance windows</h2>
          <p className="muted">Every failure counts and alerts.</p></div>
      )}
      {windows.data !== null && windows.data.length > 0 && (
        <div className="card table-card">
          <table className="data-table" data-testid="maintenance-table">
            <thead><tr><th>Name</th><th>When</th><th>Covers</th><th>Now</th>{admin && <th><span className="sr-only">Actions</span></th>}</tr></thead>
            <tbody>
              {windows.data.map((w) => (
                <tr key={w.id} data-testid="maintenance-row" data-window-id={w.id} data-active={w.active}>
                  <td>{w.name}</td>
                  <td><span className="muted small">{w.window.kind === 'once' ? 'once: ' : 'recurring: '}</span>{describeWindow(w.window)}</td>
                  <td>{describeWindowScope(w, checkNames)}</td>
                  <td>{w.active
                    ? <span className="ck-badge ck-tone-maint" data-testid="maintenance-active">active now</span>
                    : <span className="muted">—</span>}</td>
                  {admin && (
                    <td className="row-actions">
                      <EditDeleteButtons name={w.name} what="maintenance" onEdit={() => setEditing({ window: w })} onDelete={() => setDeleting(w)} />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing !== null && (
        <MaintenanceForm window={editing.window} checks={checks.data ?? []} groups={groups} onClose={() => setEditing(null)}
          onSaved={(saved) => { windows.setData((list) => upsertById(list, saved)); setEditing(null); }} />
      )}
      {deleting !== null && (
        <ConfirmDialog title={`Delete the window ${deleting.name}?`} confirmLabel="Delete window"
          message={deleting.active ? 'It is active now: its checks leave maintenance at once and failures alert again.' : 'It will not start.'}
          onConfirm={() => deleteMaintenance(http, deleting.id).then(() => windows.setData((list) => removeById(list, deleting.id)))}
          onClose={() => setDeleting(null)} />
      )}
    </main>
  );
}
