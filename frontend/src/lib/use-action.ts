// A request a person started (save, acknowledge, delete, confirm): whether it is out, and why it failed.
import { useCallback, useState } from 'react';
import { errorMessage } from './http';

export interface Action {
  busy: boolean;
  /** Why the last run failed, or what `fail` was told; cleared when the next run starts. */
  error: string | null;
  /** Shows a problem found before anything was sent (a field to fix). */
  fail: (message: string) => void;
  /** Runs `work`; `onDone` gets its answer; a failure's message becomes `error`. */
  run: <T>(work: () => Promise<T>, onDone?: (answer: T) => void) => void;
  /** A form's submit: `checked` is what to fix first (shown as the error), or the request to run. */
  send: <T>(checked: string | Promise<T>, onDone?: (answer: T) => void) => void;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(<T>(work: () => Promise<T>, onDone?: (answer: T) => void) => {
    setBusy(true);
    setError(null);
    work().then((answer) => {
      setBusy(false);
      onDone?.(answer);
    }, (failure: unknown) => {
      setError(errorMessage(failure));
      setBusy(false);
    });
  }, []);
  const send = useCallback(<T>(checked: string | Promise<T>, onDone?: (answer: T) => void) => {
    if (typeof checked === 'string') setError(checked);
    else run(() => checked, onDone);
  }, [run]);
  return { busy, error, fail: setError, run, send };
}
