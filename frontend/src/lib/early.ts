// The answers public/early.js asked for before the bundle ran, each taken once by the first GET of its path.

declare global {
  interface Window {
    stewardEarly?: Record<string, Promise<Response> | undefined>;
  }
}

type Fetch = typeof fetch;

/** Whether an early answer for `path` is waiting to be taken. */
export function hasEarlyAnswer(path: string, early = window.stewardEarly): boolean {
  return early?.[path] !== undefined;
}

/**
 * A fetch that answers the first GET of a path early.js asked for with that answer, and everything else (and every
 * later GET of it) with `base`: an answer is as old as the page, so it is used once, for the first screen.
 */
export function earlyFetch(base: Fetch, early = window.stewardEarly): Fetch {
  return (input, init) => {
    const answer = typeof input === 'string' && (init?.method ?? 'GET').toUpperCase() === 'GET' ? early?.[input] : undefined;
    if (answer === undefined) return base(input, init);
    delete early![input as string];
    return answer;
  };
}

/** Drops the answers not taken yet: they were asked in the page's first session, and a login begins another. */
export function forgetEarlyAnswers(early = window.stewardEarly): void {
  if (early === undefined) return;
  for (const path of Object.keys(early)) delete early[path];
}
