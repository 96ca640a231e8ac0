import { describe, expect, it } from 'vitest';
import { LiveWindow } from './live-window';

describe('LiveWindow', () => {
  it('keeps order, drops stale or duplicate points and stays bounded', () => {
    const window = new LiveWindow(3);
    expect(window.push({ t: 1, values: [10] })).toBe(true);
    expect(window.push({ t: 2, values: [20] })).toBe(true);
    expect(window.push({ t: 2, values: [99] })).toBe(false);
    expect(window.push({ t: 1.5, values: [99] })).toBe(false);
    window.push({ t: 3, values: [30] });
    window.push({ t: 4, values: [40] });
    expect(window.size).toBe(3);
    expect(window.columns(1)).toEqual([[2, 3, 4], [20, 30, 40]]);
  });

  it('merges history that arrives after live points', () => {
    const window = new LiveWindow(4);
    window.push({ t: 10, values: [1] });
    window.merge([5, 6, 7, 8, 10].map((t) => ({ t, values: [t] })));
    expect(window.columns(1)[0]).toEqual([6, 7, 8, 10]);
    expect(window.columns(1)[1]).toEqual([6, 7, 8, 1]); // the live point wins over history at the same time
  });

  it('fills missing values with NaN so uPlot draws a gap', () => {
    const window = new LiveWindow(2);
    window.push({ t: 1, values: [1] });
    expect(window.columns(2)[2]).toEqual([Number.NaN]);
  });
});
