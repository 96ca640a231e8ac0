// The dialogs that run one request: a confirmation of one consequential step, and a small form.
import type { FormEvent, ReactNode } from 'react';
import { useAction } from '../lib/use-action';
import { Modal } from './modal';

interface ActionButton {
  label: string;
  /** Shown while the request is out. */
  busyLabel: string;
  title: string;
  testId: string;
  danger?: boolean;
  /** Not ready yet (besides while busy). */
  disabled?: boolean;
}

/** Cancel, then the dialog's action (a submit button inside a form). */
function DialogActions({ cancelTitle, onCancel, action, busy, onAction }: {
  cancelTitle?: string; onCancel: () => void; action: ActionButton; busy: boolean; onAction?: () => void;
}) {
  return (
    <div className="dialog-actions">
      <button type="button" className="secondary" onClick={onCancel} title={cancelTitle}>Cancel</button>
      <button type={onAction === undefined ? 'submit' : 'button'} className={action.danger ? 'danger' : undefined}
        disabled={busy || action.disabled === true} onClick={onAction} data-testid={action.testId} title={action.title}>
        {busy ? action.busyLabel : action.label}</button>
    </div>
  );
}

/**
 * "Delete X?" with the consequence spelled out (and `children`, e.g. a name to type first); the action's error stays
 * in the dialog, which closes once the action succeeded. Red unless `danger` is false. Test ids: confirm-dialog and
 * confirm-button unless given.
 */
export function ConfirmDialog({
  title, message, confirmLabel, onConfirm, onClose, danger = true, ready = true, wide = false, children,
  testId = 'confirm-dialog', confirmTestId = 'confirm-button',
}: {
  title: string; message: ReactNode; confirmLabel: string; onConfirm: () => Promise<unknown>; onClose: () => void;
  danger?: boolean; ready?: boolean; wide?: boolean; children?: ReactNode; testId?: string; confirmTestId?: string;
}) {
  const action = useAction();
  return (
    <Modal title={title} onClose={onClose} testId={testId} wide={wide}>
      <p>{message}</p>
      {children}
      {action.error !== null && <div className="form-error" role="alert">{action.error}</div>}
      <DialogActions cancelTitle="Keep it" onCancel={onClose} busy={action.busy} onAction={() => action.run(onConfirm, onClose)}
        action={{ label: confirmLabel, busyLabel: 'Working…', title: confirmLabel, testId: confirmTestId, danger, disabled: !ready }} />
    </Modal>
  );
}

/**
 * A few fields and one action. `onSubmit` answers a problem to show instead of sending (a string), or the request;
 * the dialog closes once the request succeeded and keeps the node's reason when it failed.
 */
export function FormDialog({ title, testId, onClose, onSubmit, submit, cancelTitle, errorTestId, children }: {
  title: string; testId: string; onClose: () => void; onSubmit: () => string | Promise<unknown>;
  submit: ActionButton; cancelTitle: string; errorTestId?: string; children: ReactNode;
}) {
  const action = useAction();
  const send = (event: FormEvent) => {
    event.preventDefault();
    action.send(onSubmit(), onClose);
  };
  return (
    <Modal title={title} onClose={onClose} testId={testId}>
      <form className="form" onSubmit={send}>
        {children}
        {action.error !== null && <div className="form-error" role="alert" data-testid={errorTestId}>{action.error}</div>}
        <DialogActions cancelTitle={cancelTitle} onCancel={onClose} busy={action.busy} action={submit} />
      </form>
    </Modal>
  );
}
