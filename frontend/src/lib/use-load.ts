// "Fetch this and show it": the one hook behind every list and detail that loads from the node.
import { useCallback, useEffect, useState, type Dispatch, type SetStateAction } from 'react';
import { errorMessage } from './http';

export interface Loaded<T> {
  /** The last answer; null until the first one. */
  data: T | null;
  /** Why the last load failed; cleared by the next answer. */
  error: string | null;
  loading: boolean;
  reload: () => void;
  setData: Dispatch<SetStateAction<T | null>>;
  /** Puts a value that came another way (a live frame) in place, as if loaded. */
  accept: (value: T) => void;
}

/**
 * Runs `load` (again when it changes, or on reload) and keeps the last answer while a reload is out or after it
 * failed. `replaces` decides whether a value takes the place of the one held (default: always): for data that
 * also arrives live, which a slow answer must not undo.
 */
export function useLoad<T>(load: () => Promise<T>, replaces: (next: T, current: T | null) => boolean = always): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [attempt, setAttempt] = useState(0);
  const accept = useCallback((value: T) => {
    setData((current) => (replaces(value, current) ? value : current));
    setError(null);
  }, [replaces]);
  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    load().then((answer) => {
      if (!cancelled) accept(answer);
    }, (failure: unknown) => {
      if (!cancelled) setError(errorMessage(failure));
    }).finally(() => { if (!cancelled) setLoading(false); });
    return () => { cancelled = true; };
  }, [load, attempt, accept]);
  const reload = useCallback(() => setAttempt((a) => a + 1), []);
  return { data, error, loading, reload, setData, accept };
}

function always(): boolean {
  return true;
}

/** The list with `item` in place of the one with its id, or added at the end. */
export function upsertById<T extends { id: string }>(list: T[] | null, item: T): T[] {
  const current = list ?? [];
  return current.some((known) => known.id === item.id) ? current.map((known) => (known.id === item.id ? item : known)) : [...current, item];
}

/** The list without the item of this id. */
export function removeById<T extends { id: string }>(list: T[] | null, id: string): T[] {
  return (list ?? []).filter((known) => known.id !== id);
}
