import { TimeWindow } from './window';

/**
 * The windows one request asks about (the window, its trend buckets, the
 * baseline, the previous window, the weeks of a tier), cut into elementary
 * intervals at every window edge. The database counts per interval, in one
 * query; a window's figure is then the sum over the intervals inside it,
 * however the windows overlap.
 */
export class Segments {
  /** Sorted, distinct edges; interval i is `[edges[i], edges[i + 1])`. */
  readonly edges: number[];
  /** Disjoint ranges covering every window: what a query reads. */
  readonly ranges: TimeWindow[];

  constructor(windows: TimeWindow[]) {
    const usable = windows.filter(w => w.endMs > w.startMs);
    this.edges = [...new Set(usable.flatMap(w => [w.startMs, w.endMs]))].sort((a, b) => a - b);
    const ranges: TimeWindow[] = [];
    for (const w of [...usable].sort((a, b) => a.startMs - b.startMs)) {
      const last = ranges[ranges.length - 1];
      if (last && w.startMs <= last.endMs) last.endMs = Math.max(last.endMs, w.endMs);
      else ranges.push({ ...w });
    }
    this.ranges = ranges;
    for (const edge of this.edges) {
      // Edges are written into SQL as literals: only integers get there.
      if (!Number.isSafeInteger(edge)) throw new Error(`Window edge ${edge} is not an integer`);
    }
  }

  get isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  /**
   * SQL: the index of the interval that contains `column` (which the ranges
   * bound). A binary search of nested CASEs: a few comparisons per row even
   * for hundreds of intervals.
   */
  intervalSql(column: string): string {
    const search = (lo: number, hi: number): string => {
      if (lo >= hi) return String(lo);
      const mid = (lo + hi + 1) >> 1;
      return `CASE WHEN ${column} < ${this.edges[mid]} THEN ${search(lo, mid - 1)} ELSE ${search(mid, hi)} END`;
    };
    return search(0, Math.max(0, this.edges.length - 2));
  }

  /** SQL: `column` lies in one of the ranges. */
  rangesSql(column: string): string {
    if (!this.ranges.length) return '1 = 0';
    const parts = this.ranges.map(r => `(${column} >= ${r.startMs} AND ${column} < ${r.endMs})`);
    return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
  }

  /** The intervals inside a window (which must be one of the windows given). */
  intervalsOf(window: TimeWindow): number[] {
    const out: number[] = [];
    if (window.endMs <= window.startMs) return out;
    let i = lowerBound(this.edges, window.startMs);
    for (; i < this.edges.length - 1 && this.edges[i] < window.endMs; i++) out.push(i);
    return out;
  }
}

function lowerBound(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
