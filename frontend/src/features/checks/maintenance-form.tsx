// Create or edit a maintenance window: once (start and end, in the browser's zone) or recurring (cron, time zone,
// duration), covering every check, one group's, or chosen checks.
import { useState, type FormEvent } from 'react';
import { useApp } from '../../lib/app-context';
import { browserTimeZone } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { Modal } from '../../components/modal';
import { createMaintenance, updateMaintenance } from './api';
import { windowDraftOf, windowInputOf, type WindowDraft, type WindowScope } from './maintenance-draft';
import type { Check, MaintenanceWindow } from './types';

const SCOPES: { scope: WindowScope; label: string }[] = [
  { scope: 'all', label: 'All checks' },
  { scope: 'group', label: 'A group' },
  { scope: 'checks', label: 'Chosen checks' },
];

export function MaintenanceForm({ window, checks, groups, onSaved, onClose }: {
  window: MaintenanceWindow | null; checks: Check[]; groups: string[]; onSaved: (saved: MaintenanceWindow) => void; onClose: () => void;
}) {
  const { http } = useApp();
  const [draft, setDraft] = useState<WindowDraft>(() => windowDraftOf(window));
  const set = <K extends keyof WindowDraft>(key: K, value: WindowDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const save = useAction();
  const invalid = (field: string) => (save.error?.startsWith(`${field}:`) ?? false) || undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = windowInputOf(draft);
    if ('error' in checked) {
      save.fail(checked.error);
      return;
    }
    save.run(() => (window === null ? createMaintenance(http, checked.input) : updateMaintenance(http, window.id, checked.input)), onSaved);
  };
  const toggle = (id: string, on: boolean) => set('checks', on ? [...draft.checks.filter((c) => c !== id), id] : draft.checks.filter((c) => c !== id));

  return (
    <Modal title={window === null ? 'New maintenance window' : `Edit ${window.name}`} onClose={onClose} testId="maintenance-form-dialog" wide>
      <form className="form" onSubmit={submit} noValidate data-testid="maintenance-form">
        <label>Name
          <input name="name" value={draft.name} onChange={(e) => set('name', e.target.value)} aria-invalid={invalid('name')}
            placeholder="Database upgrade" data-testid="maintenance-form-name" />
        </label>
        <fieldset className="choices">
          <legend>When</legend>
          <label className="check"><input type="radio" name="kind" checked={draft.kind === 'once'} onChange={() => set('kind', 'once')}
            data-testid="maintenance-form-once" /> Once</label>
          <label className="check"><input type="radio" name="kind" checked={draft.kind === 'recurring'} onChange={() => set('kind', 'recurring')}
            data-testid="maintenance-form-recurring" /> Recurring</label>
        </fieldset>
        {draft.kind === 'once' ? (
          <div className="form-grid">
            <label>Start
              <input type="datetime-local" name="start" value={draft.start} onChange={(e) => set('start', e.target.value)}
                aria-invalid={invalid('start')} data-testid="maintenance-form-start" />
            </label>
            <label>End
              <input type="datetime-local" name="end" value={draft.end} onChange={(e) => set('end', e.target.value)}
                aria-invalid={invalid('end')} data-testid="maintenance-form-end" />
            </label>
            <span className="muted small">In your browser's time zone ({browserTimeZone()}).</span>
          </div>
        ) : (
          <div className="form-grid">
            <label title="minute hour day-of-month month weekday, e.g. 0 2 * * 0 for Sundays at 02:00">Cron
              <input name="cron" value={draft.cron} onChange={(e) => set('cron', e.target.value)} className="mono"
                aria-invalid={invalid('cron')} data-testid="maintenance-form-cron" />
            </label>
            <label>Time zone
              <input name="timeZone" value={draft.timeZone} onChange={(e) => set('timeZone', e.target.value)}
                aria-invalid={invalid('timeZone')} data-testid="maintenance-form-time-zone" />
            </label>
            <label>Duration (minutes)
              <input type="number" min={1} name="duration" value={draft.durationMinutes} onChange={(e) => set('durationMinutes', e.target.value)}
                aria-invalid={invalid('duration')} data-testid="maintenance-form-duration" />
            </label>
          </div>
        )}
        <fieldset className="choices">
          <legend>Covers</legend>
          {SCOPES.map((s) => (
            <label key={s.scope} className="check"><input type="radio" name="scope" checked={draft.scope === s.scope}
              onChange={() => set('scope', s.scope)} data-testid={`maintenance-form-scope-${s.scope}`} /> {s.label}</label>
          ))}
        </fieldset>
        {draft.scope === 'group' && (
          <label>Group
            <select name="group" value={draft.group} onChange={(e) => set('group', e.target.value)} aria-invalid={invalid('group')}
              data-testid="maintenance-form-group">
              <option value="">Choose…</option>
              {[...new Set([...groups, draft.group].filter((g) => g !== ''))].map((g) => <option key={g} value={g}>{g}</option>)}
            </select>
          </label>
        )}
        {draft.scope === 'checks' && (
          <div className="ck-server-choices" role="group" aria-label="Checks the window covers" data-testid="maintenance-form-checks">
            {checks.map((c) => (
              <label key={c.id} className="check">
                <input type="checkbox" checked={draft.checks.includes(c.id)} onChange={(e) => toggle(c.id, e.target.checked)}
                  data-testid={`maintenance-form-check-${c.id}`} /> {c.name}
              </label>
            ))}
            {checks.length === 0 && <span className="muted">No check exists yet.</span>}
          </div>
        )}
        {save.error !== null && <div className="form-error" role="alert" data-testid="maintenance-form-error">{save.error}</div>}
        <div className="dialog-actions">
          <button type="button" className="secondary" onClick={onClose}>Cancel</button>
          <button type="submit" disabled={save.busy} data-testid="maintenance-form-save">
            {save.busy ? 'Saving…' : window === null ? 'Create window' : 'Save window'}</button>
        </div>
      </form>
    </Modal>
  );
}
