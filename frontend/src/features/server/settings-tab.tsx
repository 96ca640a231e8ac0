import { useState, type FormEvent } from 'react';
import { useApp } from '../../lib/app-context';
import { serverName } from '../../lib/format';
import { navigate } from '../../lib/router';
import { useAction } from '../../lib/use-action';
import type { ServerSummary } from '../../lib/wire';
import { ConfirmDialog } from '../../components/dialog';
import { deleteServer, updateServerDetails } from './api';

/** Edit display name, group, tags and notes; delete with a confirmation that asks for the name. */
export function SettingsTab({ summary }: { summary: ServerSummary }) {
  const { http } = useApp();
  const [displayName, setDisplayName] = useState(summary.displayName ?? '');
  const [group, setGroup] = useState(summary.group ?? '');
  const [tags, setTags] = useState(summary.tags.join(', '));
  const [notes, setNotes] = useState(summary.notes ?? '');
  const save = useAction();
  const [saved, setSaved] = useState(false);
  const [deleting, setDeleting] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    save.run(() => updateServerDetails(http, summary.id, {
      displayName: displayName.trim() === '' ? null : displayName.trim(),
      group: group.trim() === '' ? null : group.trim(),
      tags: tags.split(',').map((t) => t.trim()).filter((t) => t.length > 0),
      notes: notes.trim() === '' ? null : notes,
    }), () => setSaved(true));
  };

  return (
    <div className="two-columns">
      <form className="card pad form" onSubmit={submit} data-testid="settings-form">
        <h2>Details</h2>
        <label>Display name
          <input name="displayName" value={displayName} maxLength={100} placeholder={summary.hostname}
            onChange={(e) => setDisplayName(e.target.value)} title="Shown instead of the hostname; empty to use the hostname" />
        </label>
        <label>Group
          <input name="group" value={group} maxLength={64} onChange={(e) => setGroup(e.target.value)}
            title="Servers of a group are shown together and can share alert rules" />
        </label>
        <label>Tags <span className="muted small">(comma separated)</span>
          <input name="tags" value={tags} onChange={(e) => setTags(e.target.value)} title="Labels to search and filter by" />
        </label>
        <label>Notes
          <textarea name="notes" value={notes} rows={4} maxLength={4000} onChange={(e) => setNotes(e.target.value)}
            title="Anything the next person should know about this server" />
        </label>
        {saved && <div className="form-ok" role="status" data-testid="settings-message">Saved.</div>}
        {save.error !== null && <div className="form-error" role="alert" data-testid="settings-message">{save.error}</div>}
        <button type="submit" disabled={save.busy} data-testid="settings-save" title="Save the details">{save.busy ? 'Saving…' : 'Save'}</button>
      </form>
      <section className="card pad danger-zone">
        <h2>Delete this server</h2>
        <p className="muted">Deletes its metrics, history and credential. Its agent is told to stop.</p>
        <button type="button" className="danger" onClick={() => setDeleting(true)} title="Delete this server">Delete server…</button>
      </section>
      {deleting && <DeleteDialog summary={summary} onClose={() => setDeleting(false)} />}
    </div>
  );
}

/** Asks for the server's name before deleting it; the overview follows. */
function DeleteDialog({ summary, onClose }: { summary: ServerSummary; onClose: () => void }) {
  const { http } = useApp();
  const [typed, setTyped] = useState('');
  const name = serverName(summary);
  return (
    <ConfirmDialog title={`Delete ${name}?`} confirmLabel="Delete" wide ready={typed === name}
      message={<>This cannot be undone. Type <strong>{name}</strong> to confirm.</>}
      onConfirm={() => deleteServer(http, summary.id).then(() => navigate('/'))} onClose={onClose}>
      <input value={typed} onChange={(e) => setTyped(e.target.value)} aria-label="Server name" autoFocus />
    </ConfirmDialog>
  );
}
