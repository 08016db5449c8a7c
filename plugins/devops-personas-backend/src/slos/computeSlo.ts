import {
  BurnRates,
  SloObjectiveResult,
  SloResult,
} from '@internal/plugin-devops-personas-common';
import { DateTime, Duration } from 'luxon';
import { SloDefinition, SloObjective } from './SloDocuments';

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

const UNITS: Record<string, string> = { m: 'minutes', h: 'hours', d: 'days', w: 'weeks', M: 'months', Q: 'quarters', y: 'years' };
const CALENDAR_UNITS: Record<string, 'day' | 'week' | 'month' | 'quarter' | 'year'> = {
  d: 'day',
  w: 'week',
  M: 'month',
  Q: 'quarter',
  y: 'year',
};

function durationOf(spec: string): Duration {
  const [, amount, unit] = /^(\d+)(\w)$/.exec(spec)!;
  return Duration.fromObject({ [UNITS[unit]]: Number(amount) });
}

/**
 * The SLO's own window ending at `until`: rolling windows end at `until`;
 * a calendar window is the calendar period that contains `until`, cut at it.
 */
export function sloWindow(slo: SloDefinition, untilMs: number): { startMs: number; endMs: number } {
  const duration = durationOf(slo.timeWindow.duration);
  if (slo.timeWindow.isRolling) {
    return { startMs: DateTime.fromMillis(untilMs, { zone: 'utc' }).minus(duration).toMillis(), endMs: untilMs };
  }
  const zone = slo.timeWindow.calendar?.timeZone ?? 'UTC';
  const until = DateTime.fromMillis(untilMs, { zone });
  const startTime = slo.timeWindow.calendar?.startTime;
  const [, amount, unit] = /^(\d+)(\w)$/.exec(slo.timeWindow.duration)!;
  if (!startTime && Number(amount) === 1 && CALENDAR_UNITS[unit]) {
    return { startMs: until.startOf(CALENDAR_UNITS[unit]).toMillis(), endMs: untilMs };
  }
  // Periods of the given duration counted from the calendar's start time.
  let start = startTime
    ? DateTime.fromISO(startTime.replace(' ', 'T'), { zone })
    : until.startOf(CALENDAR_UNITS[unit] ?? 'day');
  if (start > until) {
    while (start > until) start = start.minus(duration);
  } else {
    while (start.plus(duration) <= until) start = start.plus(duration);
  }
  return { startMs: start.toMillis(), endMs: untilMs };
}

/** Good and bad over `[startMs, endMs)`: counts, or slices for Timeslices. */
function tally(samples: SliSample[], startMs: number, endMs: number, objective: SloObjective, method: SloDefinition['budgetingMethod']) {
  let good = 0;
  let total = 0;
  for (const s of samples) {
    if (s.startMs < startMs || s.startMs >= endMs) continue;
    if (method === 'Occurrences') {
      good += s.good;
      total += s.total;
    } else if (s.total > 0) {
      total += 1;
      if (s.good / s.total >= objective.timeSliceTarget!) good += 1;
    }
  }
  return { good, total };
}

function alertState(rates: BurnRates): 'page' | 'ticket' | 'ok' {
  const over = (window: keyof BurnRates, threshold: number) => (rates[window] ?? 0) > threshold;
  if ((over('1h', 14.4) && over('5m', 14.4)) || (over('6h', 6) && over('30m', 6))) return 'page';
  if ((over('1d', 3) && over('2h', 3)) || (over('3d', 1) && over('6h', 1))) return 'ticket';
  return 'ok';
}

const BURN_DOWN_POINTS = 30;

function computeObjective(
  slo: SloDefinition,
  objective: SloObjective,
  samples: SliSample[],
  window: { startMs: number; endMs: number },
): SloObjectiveResult {
  const errorBudget = 1 - objective.target;
  const remaining = (startMs: number, endMs: number) => {
    const { good, total } = tally(samples, startMs, endMs, objective, slo.budgetingMethod);
    if (!total) return { attainment: null, budgetRemaining: null };
    const attainment = good / total;
    return { attainment, budgetRemaining: 1 - (1 - attainment) / errorBudget };
  };
  const { attainment, budgetRemaining } = remaining(window.startMs, window.endMs);

  const burnRates = {} as BurnRates;
  for (const [name, length] of Object.entries(BURN_RATE_WINDOWS) as Array<[keyof BurnRates, number]>) {
    const { good, total } = tally(samples, window.endMs - length, window.endMs, objective, slo.budgetingMethod);
    burnRates[name] = total ? (total - good) / total / errorBudget : null;
  }

  // Burn-down: the budget of the whole window (errorBudget × everything
  // counted in it) minus what was spent up to each point; ends at budgetRemaining.
  const whole = tally(samples, window.startMs, window.endMs, objective, slo.budgetingMethod);
  const allowed = errorBudget * whole.total;
  const step = (window.endMs - window.startMs) / BURN_DOWN_POINTS;
  const burnDown = Array.from({ length: BURN_DOWN_POINTS }, (_, i) => {
    const at = Math.round(window.startMs + step * (i + 1));
    const spent = tally(samples, window.startMs, at, objective, slo.budgetingMethod);
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
export function computeSlo(slo: SloDefinition, samples: SliSample[], untilMs: number): SloResult {
  const window = sloWindow(slo, untilMs);
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
    objectives: slo.objectives.map(o => computeObjective(slo, o, samples, window)),
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
  return least(a) - least(b) || a.name.localeCompare(b.name);
}
