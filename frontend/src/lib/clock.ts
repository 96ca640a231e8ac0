// One ticking clock for every "12 s ago" on the page, so 500 cards do not start 500 timers.
import { useSyncExternalStore } from 'react';

let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === null) {
    // Nothing ticked while nobody listened: catch up now (React re-renders when the snapshot changed).
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };
}

export function useNow(): number {
  // Nothing ticked while nobody listened: the first reader catches up at once, so the first paint does not show
  // times as of the last tick (subscribing would correct them, but only in a second render).
  if (timer === null) now = Date.now();
  return useSyncExternalStore(subscribe, () => now);
}
