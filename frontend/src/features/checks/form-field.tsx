// One labelled field of the check form, with the problem that names it (the form's own check or the node's 400)
// shown right under it.
import { cloneElement, useId, type ReactElement, type ReactNode } from 'react';
import type { DraftField } from './check-draft';

export interface Problem {
  field: DraftField | null;
  message: string | null;
}

interface ControlProps {
  id?: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
}

/** `children` is the one control; it gets the id, aria-invalid and aria-describedby of the problem. */
export function FormField({ label, field, problem, hint, className, children }: {
  label: ReactNode; field: DraftField; problem: Problem; hint?: string; className?: string; children: ReactElement<ControlProps>;
}) {
  const id = useId();
  const invalid = problem.field === field && problem.message !== null;
  const described = [hint === undefined ? null : `${id}-hint`, invalid ? `${id}-error` : null].filter((d) => d !== null).join(' ');
  return (
    <div className={`ck-field${invalid ? ' is-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, { id, 'aria-invalid': invalid || undefined, 'aria-describedby': described || undefined })}
      {hint !== undefined && <span id={`${id}-hint`} className="muted small">{hint}</span>}
      {invalid && <span id={`${id}-error`} className="ck-field-error" data-testid={`check-form-${field}-error`}>{problem.message}</span>}
    </div>
  );
}
