import type { FormEvent, ReactNode } from 'react';
import { useAction } from '../lib/use-action';

/**
 * A create-or-edit form in a card above a list (`what`: "rule", "channel"; `name`: what is edited, null for a new
 * one). `onSubmit` answers what to fix first (a string) or the save request; a rejected save keeps every field and
 * shows the node's reason. Test ids: <what>-form, <what>-error, <what>-save.
 */
export function EditorForm<T>({ what, name, onSubmit, onSaved, onCancel, saveTitle, children }: {
  what: string; name: string | null; onSubmit: () => string | Promise<T>; onSaved: (saved: T) => void; onCancel: () => void;
  saveTitle: string; children: ReactNode;
}) {
  const save = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.send(onSubmit(), onSaved);
  };
  return (
    <form className={`card pad form ${what}-form`} onSubmit={submit} data-testid={`${what}-form`} noValidate>
      <h2>{name === null ? `New ${what}` : `Edit ${name}`}</h2>
      {children}
      {save.error !== null && <div className="form-error" role="alert" data-testid={`${what}-error`}>{save.error}</div>}
      <div className="form-actions">
        <button type="submit" disabled={save.busy} data-testid={`${what}-save`} title={saveTitle}>
          {save.busy ? 'Saving…' : name === null ? `Create ${what}` : `Save ${what}`}</button>
        <button type="button" className="secondary" onClick={onCancel} title="Close the form without saving">Cancel</button>
      </div>
    </form>
  );
}
