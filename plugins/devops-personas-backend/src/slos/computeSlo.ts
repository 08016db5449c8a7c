import {
  BurnRates,
  SloObjectiveResult,
  SloResult,
} from '@internal/plugin-devops-personas-common';
import { SloDefinition, SloObjective } from './SloDocuments';
import { timeWindowBounds } from './sloWindow';

/** One `sli` event: a slice of good and total counts starting at `startMs`. */
export interface SliSample {
  startMs: number;
  good: number;
  total: number;
}

const MINUTE = 60_000;
export const BURN_RATE_WINDOWS: Record<keyof BurnRates, number> = {
  '5m': 5 * MINUTE,
  '30m': 30 * MINUTE,
  '1h': 60 * MINUTE,
  '2h': 120 * MINUTE,
  '6h': 360 * MINUTE,
  '1d': 1440 * MINUTE,
  '3d': 4320 * MINUTE,
};

/** The SLO's own window ending at `until` (see {@link timeWindowBounds}). */
export function sloWindow(slo: SloDefinition, untilMs: number): { startMs: number; endMs: number } {
  return timeWindowBounds(slo.timeWindow, untilMs);
}

function firstAtOrAfter(sorted: number[], ms: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid] < ms) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Good and total over any `[startMs, endMs)` in O(log n): running sums over
 * the samples sorted by start. Occurrences count events; Timeslices count
 * slices (a sample with total > 0), good when good / total ≥ the target.
 */
class Tally {
  private readonly starts: number[] = [];
  private readonly good: number[] = [0];
  private readonly total: number[] = [0];

  constructor(sorted: SliSample[], timeSliceTarget?: number) {
    for (const s of sorted) {
      let good = s.good;
      let total = s.total;
      if (timeSliceTarget !== undefined) {
        total = s.total > 0 ? 1 : 0;
        good = s.total > 0 && s.good / s.total >= timeSliceTarget ? 1 : 0;
      }
      this.starts.push(s.startMs);
      this.good.push(this.good[this.good.length - 1] + good);
      this.total.push(this.total[this.total.length - 1] + total);
    }
  }

  between(startMs: number, endMs: number): { good: number; total: number } {
    const from = firstAtOrAfter(this.starts, startMs);
    const to = Math.max(from, firstAtOrAfter(this.starts, endMs));
    return { good: this.good[to] - this.good[from], total: this.total[to] - this.total[from] };
  }
}

function alertState(rates: BurnRates): 'page' | 'ticket' | 'ok' {
  const over = (window: keyof BurnRates, threshold: number) => (rates[window] ?? 0) > threshold;
  if ((over('1h', 14.4) && over('5m', 14.4)) || (over('6h', 6) && over('30m', 6))) return 'page';
  if ((over('1d', 3) && over('2h', 3)) || (over('3d', 1) && over('6h', 1))) return 'ticket';
  return 'ok';
}

const BURN_DOWN_POINTS = 30;

function computeObjective(
  objective: SloObjective,
  tally: Tally,
  window: { startMs: number; endMs: number },
): SloObjectiveResult {
  const errorBudget = 1 - objective.target;
  const whole = tally.between(window.startMs, window.endMs);
  const attainment = whole.total ? whole.good / whole.total : null;
  const budgetRemaining = attainment === null ? null : 1 - (1 - attainment) / errorBudget;

  const burnRates = {} as BurnRates;
  for (const [name, length] of Object.entries(BURN_RATE_WINDOWS) as Array<[keyof BurnRates, number]>) {
    const { good, total } = tally.between(window.endMs - length, window.endMs);
    burnRates[name] = total ? (total - good) / total / errorBudget : null;
  }

  // Burn-down: the budget of the whole window (errorBudget × everything
  // counted in it) minus what was spent up to each point; ends at budgetRemaining.
  const allowed = errorBudget * whole.total;
  const step = (window.endMs - window.startMs) / BURN_DOWN_POINTS;
  const burnDown = Array.from({ length: BURN_DOWN_POINTS }, (_, i) => {
    const at = Math.round(window.startMs + step * (i + 1));
    const spent = tally.between(window.startMs, at);
    return {
      at: new Date(at).toISOString(),
      budgetRemaining: allowed ? 1 - (spent.total - spent.good) / allowed : null,
    };
  });

  return {
    displayName: objective.displayName,
    target: objective.target,
    ...(objective.timeSliceTarget !== undefined ? { timeSliceTarget: objective.timeSliceTarget } : {}),
    attainment,
    errorBudget,
    budgetRemaining,
    burnRates,
    alert: alertState(burnRates),
    burnDown,
    met: attainment === null ? null : attainment >= objective.target,
  };
}

/** An SLO over its own window ending at `until`, from its `sli` samples. */
export function computeSlo(
  slo: SloDefinition,
  samples: SliSample[],
  untilMs: number,
): Omit<SloResult, 'entityRef'> {
  const window = sloWindow(slo, untilMs);
  const sorted = [...samples].sort((a, b) => a.startMs - b.startMs);
  const occurrences = slo.budgetingMethod === 'Occurrences' ? new Tally(sorted) : undefined;
  return {
    name: slo.name,
    ...(slo.displayName ? { displayName: slo.displayName } : {}),
    ...(slo.description ? { description: slo.description } : {}),
    budgetingMethod: slo.budgetingMethod,
    window: {
      duration: slo.timeWindow.duration,
      isRolling: slo.timeWindow.isRolling,
      start: new Date(window.startMs).toISOString(),
      end: new Date(window.endMs).toISOString(),
    },
    objectives: slo.objectives.map(o =>
      computeObjective(o, occurrences ?? new Tally(sorted, o.timeSliceTarget), window),
    ),
    sampleSize: samples.filter(s => s.startMs >= window.startMs && s.startMs < window.endMs).length,
    source: slo.source,
  };
}

/** Least remaining budget first; SLOs without data last. */
export function byRemainingBudget(a: SloResult, b: SloResult): number {
  const least = (s: SloResult) => {
    const values = s.objectives.map(o => o.budgetRemaining).filter((v): v is number => v !== null);
    return values.length ? Math.min(...values) : Infinity;
  };
  return least(a) - least(b) || a.name.localeCompare(b.name) || a.entityRef.localeCompare(b.entityRef);
}
