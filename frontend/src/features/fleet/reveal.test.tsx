import { act, render, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { firstOfGroups, screenfulOfCards, useRevealLimit } from './reveal';

describe('screenfulOfCards', () => {
  it('counts the columns and rows a window shows, one row more', () => {
    expect(screenfulOfCards(1400, 900)).toBe(5 * 6);
    // The page is at most 1,600 px wide, however wide the window.
    expect(screenfulOfCards(2560, 1440)).toBe(5 * 9);
  });

  it('never starts with fewer than 12', () => {
    expect(screenfulOfCards(320, 480)).toBe(12);
  });
});

describe('firstOfGroups', () => {
  const groups: [string, number[]][] = [['a', [1, 2, 3]], ['b', [4, 5]], ['c', [6]]];

  it('takes items group by group, each group keeping its full size', () => {
    expect(firstOfGroups(groups, 4)).toEqual([{ key: 'a', items: [1, 2, 3], size: 3 }, { key: 'b', items: [4], size: 2 }]);
  });

  it('leaves out groups past the limit and keeps everything when unlimited', () => {
    expect(firstOfGroups(groups, 2)).toEqual([{ key: 'a', items: [1, 2], size: 3 }]);
    expect(firstOfGroups(groups, Infinity).flatMap((group) => group.items)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('useRevealLimit', () => {
  function Probe({ total, seen }: { total: number | null; seen: number[] }) {
    seen.push(useRevealLimit(total, 30, 100));
    return null;
  }

  it('renders a first slice, then grows a slice per frame until all were shown, then stays unlimited', async () => {
    const seen: number[] = [];
    const { rerender } = render(<Probe total={250} seen={seen} />);
    expect(seen[0]).toBe(30);
    await waitFor(() => expect(seen.at(-1)).toBe(Infinity), { timeout: 10_000 });
    expect([...new Set(seen)]).toEqual([30, 130, 230, Infinity]);
    // A larger fleet later (servers added, a filter cleared) renders at once.
    act(() => rerender(<Probe total={400} seen={seen} />));
    expect(seen.at(-1)).toBe(Infinity);
  });

  it('waits while the total is not known', async () => {
    const seen: number[] = [];
    const { rerender } = render(<Probe total={null} seen={seen} />);
    // Three frames, each followed by a timeout: as long as three slices would take.
    for (let i = 0; i < 3; i++) await act(() => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
    expect(new Set(seen)).toEqual(new Set([30]));
    act(() => rerender(<Probe total={10} seen={seen} />));
    await waitFor(() => expect(seen.at(-1)).toBe(Infinity), { timeout: 10_000 });
  });
});
