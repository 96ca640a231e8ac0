import type { FormEvent, ReactNode } from 'react';
import { useAction } from '../lib/use-action';

/**
 * A create-or-edit form in a card above a list (`what`: "rule", "channel"; `name`: what is edited, null for a new
 * one). `onSubmit` answers what to fix first (a string) or the save request; a rejected save keeps every field and
 * shows the node's reason. Test ids: <what>-form, <what>-error, <what>-save unless `testIds` names them.
 */
export function EditorForm<T>({ what, name, onSubmit, onSaved, onCancel, saveTitle, testIds, children }: {
  what: string; name: string | null; onSubmit: () => string | Promise<T>; onSaved: (saved: T) => void; onCancel: () => void;
  saveTitle: string; testIds?: { form: string; error: string; save: string }; children: ReactNode;
}) {
  const ids = testIds ?? { form: `${what}-form`, error: `${what}-error`, save: `${what}-save` };
  const save = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.send(onSubmit(), onSaved);
  };
  return (
    <form className={`card pad form ${ids.form}`} onSubmit={submit} data-testid={ids.form} noValidate>
      <h2>{name === null ? `New ${what}` : `Edit ${name}`}</h2>
      {children}
      {save.error !== null && <div className="form-error" role="alert" data-testid={ids.error}>{save.error}</div>}
      <div className="form-actions">
        <button type="submit" disabled={save.busy} data-testid={ids.save} title={saveTitle}>
          {save.busy ? 'Saving…' : name === null ? `Create ${what}` : `Save ${what}`}</button>
        <button type="button" className="secondary" onClick={onCancel} title="Close the form without saving">Cancel</button>
      </div>
    </form>
  );
}
