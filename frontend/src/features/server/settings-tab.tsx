import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../../lib/http';
import type { ServerSummary } from '../../lib/wire';
import { serverName } from '../../lib/format';
import { useApp } from '../../lib/app-context';
import { navigate } from '../../lib/router';
import { deleteServer, updateServerDetails } from './api';

/** Edit display name, group, tags and notes; delete with a confirmation that asks for the name. */
export function SettingsTab({ summary }: { summary: ServerSummary }) {
  const { http } = useApp();
  const [displayName, setDisplayName] = useState(summary.displayName ?? '');
  const [group, setGroup] = useState(summary.group ?? '');
  const [tags, setTags] = useState(summary.tags.join(', '));
  const [notes, setNotes] = useState(summary.notes ?? '');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const [deleting, setDeleting] = useState(false);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setMessage(null);
    try {
      await updateServerDetails(http, summary.id, {
        displayName: displayName.trim() === '' ? null : displayName.trim(),
        group: group.trim() === '' ? null : group.trim(),
        tags: tags.split(',').map((t) => t.trim()).filter((t) => t.length > 0),
        notes: notes.trim() === '' ? null : notes,
      });
      setMessage({ ok: true, text: 'Saved.' });
    } catch (failure) {
      setMessage({ ok: false, text: failure instanceof ApiError ? failure.message : String(failure) });
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="two-columns">
      <form className="card pad form" onSubmit={save} data-testid="settings-form">
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
        {message !== null && <div className={message.ok ? 'form-ok' : 'form-error'} role={message.ok ? 'status' : 'alert'}
          data-testid="settings-message">{message.text}</div>}
        <button type="submit" disabled={saving} data-testid="settings-save" title="Save the details">{saving ? 'Saving…' : 'Save'}</button>
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

function DeleteDialog({ summary, onClose }: { summary: ServerSummary; onClose: () => void }) {
  const { http } = useApp();
  const dialog = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const name = serverName(summary);
  useEffect(() => dialog.current?.showModal(), []);
  const confirm = async () => {
    try {
      await deleteServer(http, summary.id);
      navigate('/');
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    }
  };
  return (
    <dialog ref={dialog} className="dialog" onClose={onClose} aria-labelledby="delete-title">
      <h2 id="delete-title">Delete {name}?</h2>
      <p>This cannot be undone. Type <strong>{name}</strong> to confirm.</p>
      <input value={typed} onChange={(e) => setTyped(e.target.value)} aria-label="Server name" autoFocus />
      {error !== null && <div className="form-error" role="alert">{error}</div>}
      <div className="dialog-actions">
        <button type="button" className="secondary" onClick={() => dialog.current?.close()}>Cancel</button>
        <button type="button" className="danger" disabled={typed !== name} onClick={() => void confirm()}>Delete</button>
      </div>
    </dialog>
  );
}
