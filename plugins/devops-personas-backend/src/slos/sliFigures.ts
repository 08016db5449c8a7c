import { BurnRates, SloBudgetingMethod } from '@devops-personas/plugin-devops-personas-common';
import { SloObjective } from './sloDefinition';

/** One `sli` event (or one Prometheus slice): good and total counts starting at `startMs`. */
export interface SliSample {
  startMs: number;
  good: number;
  total: number;
}

/**
 * Good over total in one window, in the budgeting method's own units:
 * events (Occurrences), slices (Timeslices: good slices of all slices) or
 * slice ratios (RatioTimeslices: Σ good ÷ total of each slice, of slices).
 * Attainment is good ÷ total in every method.
 */
export interface Fraction {
  good: number;
  total: number;
}

/** The windows an objective is computed over. */
export interface ObjectiveWindows {
  /** The SLO's own window. */
  whole: { startMs: number; endMs: number };
  /** Each burn-rate window, ending at the window's end. */
  burn: Record<keyof BurnRates, { startMs: number; endMs: number }>;
  /** The burn-down chart: `[whole.startMs, at)` for each point. */
  burnDownPoints: number[];
}

/** The fractions an objective's figures are computed from. */
export interface ObjectiveFigures {
  whole: Fraction;
  burn: Record<keyof BurnRates, Fraction>;
  /** Cumulative from the window's start to each burn-down point. */
  burnDown: Fraction[];
}

/** Nothing counted. */
export const EMPTY_FRACTION: Fraction = Object.freeze({ good: 0, total: 0 });

function firstAtOrAfter(sorted: SliSample[], ms: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid].startMs < ms) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Adds samples up into a fraction of the method's units. With a slice
 * length, samples are grouped into slices aligned to the Unix epoch (the
 * slice that contains each sample's start); without one, each sample is a
 * slice. Slices with no total are left out. O(1) per sample.
 */
class FractionAccumulator {
  private good = 0;
  private total = 0;
  private readonly slices = new Map<number, Fraction>();

  constructor(
    private readonly method: SloBudgetingMethod,
    private readonly timeSliceTarget: number | undefined,
    private readonly sliceMs: number | undefined,
  ) {}

  private unit(slice: Fraction): Fraction {
    if (slice.total <= 0) return EMPTY_FRACTION;
    const ratio = slice.good / slice.total;
    if (this.method === 'RatioTimeslices') return { good: ratio, total: 1 };
    return { good: ratio >= (this.timeSliceTarget ?? 1) ? 1 : 0, total: 1 };
  }

  add(sample: SliSample): void {
    if (this.method === 'Occurrences') {
      this.good += sample.good;
      this.total += sample.total;
      return;
    }
    if (!this.sliceMs) {
      const unit = this.unit(sample);
      this.good += unit.good;
      this.total += unit.total;
      return;
    }
    const index = Math.floor(sample.startMs / this.sliceMs);
    const before = this.slices.get(index) ?? EMPTY_FRACTION;
    const after = { good: before.good + sample.good, total: before.total + sample.total };
    this.slices.set(index, after);
    const [was, is] = [this.unit(before), this.unit(after)];
    this.good += is.good - was.good;
    this.total += is.total - was.total;
  }

  fraction(): Fraction {
    return { good: this.good, total: this.total };
  }
}

/**
 * An objective's fractions from samples sorted by start: a sample counts in
 * a window when its start is in `[start, end)`, then samples are grouped
 * into slices. Cost: one pass over each window's samples.
 */
export function figuresFromSamples(
  method: SloBudgetingMethod,
  objective: SloObjective,
  sorted: SliSample[],
  windows: ObjectiveWindows,
): ObjectiveFigures {
  const accumulator = () =>
    new FractionAccumulator(method, objective.timeSliceTarget, objective.timeSliceWindow?.ms);
  const over = ({ startMs, endMs }: { startMs: number; endMs: number }) => {
    const sum = accumulator();
    const end = firstAtOrAfter(sorted, endMs);
    for (let i = firstAtOrAfter(sorted, startMs); i < end; i++) sum.add(sorted[i]);
    return sum.fraction();
  };
  const burn = {} as Record<keyof BurnRates, Fraction>;
  for (const [name, window] of Object.entries(windows.burn) as Array<[keyof BurnRates, { startMs: number; endMs: number }]>) {
    burn[name] = over(window);
  }
  // The burn-down's windows share their start: one pass, read at each point.
  const burnDown: Fraction[] = [];
  const running = accumulator();
  let i = firstAtOrAfter(sorted, windows.whole.startMs);
  for (const at of windows.burnDownPoints) {
    for (; i < sorted.length && sorted[i].startMs < at; i++) running.add(sorted[i]);
    burnDown.push(running.fraction());
  }
  return { whole: over(windows.whole), burn, burnDown };
}

/** Samples that start in the SLO's own window. */
export function countInWindow(samples: SliSample[], windows: ObjectiveWindows): number {
  const { startMs, endMs } = windows.whole;
  return samples.filter(s => s.startMs >= startMs && s.startMs < endMs).length;
}
