// A bounded, time-ordered window of live points for charts: appends, never grows past its capacity, ignores
// a point older than or equal to the newest (a replayed or duplicated report).

export interface LivePoint {
  /** Epoch seconds (uPlot's x unit). */
  t: number;
  values: number[];
}

export class LiveWindow {
  private points: LivePoint[] = [];

  constructor(readonly capacity: number) {
    if (capacity < 1) throw new Error('capacity must be at least 1');
  }

  /** Adds a point; returns false when it was not newer than the newest one. */
  push(point: LivePoint): boolean {
    const last = this.points[this.points.length - 1];
    if (last !== undefined && point.t <= last.t) return false;
    this.points.push(point);
    if (this.points.length > this.capacity) this.points.splice(0, this.points.length - this.capacity);
    return true;
  }

  /** The points, oldest first (a copy). */
  toArray(): LivePoint[] {
    return [...this.points];
  }

  /**
   * Merges points that may interleave with the ones held (history arriving after live pushes): the result is
   * ordered, without duplicate times, and bounded.
   */
  merge(points: LivePoint[]): void {
    const byTime = new Map<number, LivePoint>();
    for (const point of [...points, ...this.points]) byTime.set(point.t, point);
    this.points = [...byTime.values()].sort((a, b) => a.t - b.t).slice(-this.capacity);
  }

  clear(): void {
    this.points = [];
  }

  get size(): number {
    return this.points.length;
  }

  /** Columns for uPlot: [xs, series0, series1, ...]. */
  columns(seriesCount: number): number[][] {
    const columns: number[][] = [this.points.map((p) => p.t)];
    for (let s = 0; s < seriesCount; s++) columns.push(this.points.map((p) => p.values[s] ?? Number.NaN));
    return columns;
  }
}
