// A large fleet's first render: a screenful of cards first, the rest a slice per frame. Building all 500 cards in one
// commit held the first card back until every card existed; the first screenful paints while the rest is built.
import { useEffect, useState } from 'react';

/** Cards added per frame after the first screenful, so the page still paints and answers input between slices. */
export const SLICE = 100;

/**
 * About as many cards as a window of this size shows (the page at most 1,600 px wide with 24 px sides, the grid's
 * 260 px columns and ~190 px cards, 12 px gaps): the first slice. Rows are rounded up and one more added, so the
 * first paint fills the window; at least 12.
 */
export function screenfulOfCards(width: number, height: number): number {
  const content = Math.min(width, 1600) - 48;
  const columns = Math.max(1, Math.floor((content + 12) / 272));
  const rows = Math.ceil(height / 202) + 1;
  return Math.max(12, columns * rows);
}

function windowScreenful(): number {
  return typeof window === 'undefined' ? 12 : screenfulOfCards(window.innerWidth, window.innerHeight);
}

/**
 * How many of `total` items to render now. Grows by `slice` each frame once the previous slice has painted; after
 * every item has been rendered once it is unlimited for good, so updates, filters and sorting render everything
 * (also when a filter narrowed the list below the limit during the reveal: clearing it then renders all at once).
 * `total` null: not known yet (nothing to reveal).
 */
export function useRevealLimit(total: number | null, first: number | (() => number) = windowScreenful, slice = SLICE): number {
  const [limit, setLimit] = useState(first);
  useEffect(() => {
    if (total === null || limit === Infinity) return;
    if (limit >= total) {
      setLimit(Infinity);
      return;
    }
    // An animation frame runs before the browser paints; a timeout queued from it runs after that paint. The last
    // slice goes straight to unlimited. (A hidden tab runs no frames: it reveals the rest once shown.)
    let timeout: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timeout = setTimeout(() => setLimit((current) => (current + slice >= total ? Infinity : current + slice)), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      if (timeout !== undefined) clearTimeout(timeout);
    };
  }, [total, limit, slice]);
  return limit;
}

/** The first `limit` items of grouped lists, in group order; each group keeps its full size for its title. */
export function firstOfGroups<K, T>(groups: [K, T[]][], limit: number): { key: K; items: T[]; size: number }[] {
  const result: { key: K; items: T[]; size: number }[] = [];
  let left = limit;
  for (const [key, items] of groups) {
    if (left <= 0) break;
    const taken = items.length <= left ? items : items.slice(0, left);
    result.push({ key, items: taken, size: items.length });
    left -= taken.length;
  }
  return result;
}
