// Polling for pages the live socket does not feed: run something every few seconds while the tab is visible.
import { useEffect, useRef } from 'react';

/** Calls `tick` every `millis` while the page is shown (a hidden tab asks the node nothing); the latest `tick` runs. */
export function useEvery(millis: number, tick: () => void): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    const timer = setInterval(() => {
      if (typeof document === 'undefined' || document.visibilityState !== 'hidden') latest.current();
    }, millis);
    return () => clearInterval(timer);
  }, [millis]);
}
