import {
  BurnRates,
  SloDataSource,
  SloObjectiveResult,
  SloResult,
} from '@devops-personas/plugin-devops-personas-common';
import { SloDefinition, SloObjective } from './sloDefinition';
import { countInWindow, figuresFromSamples, ObjectiveFigures, ObjectiveWindows, SliSample } from './sliFigures';
import { timeWindowBounds } from './sloWindow';

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
const BURN_DOWN_POINTS = 30;

/** The SLO's own window ending at `until` (see {@link timeWindowBounds}). */
export function sloWindow(slo: SloDefinition, untilMs: number): { startMs: number; endMs: number } {
  return timeWindowBounds(slo.timeWindow, untilMs);
}

/** Every window an SLO's figures are computed over, at `until`. */
export function objectiveWindows(slo: SloDefinition, untilMs: number): ObjectiveWindows {
  const whole = sloWindow(slo, untilMs);
  const burn = {} as ObjectiveWindows['burn'];
  for (const [name, length] of Object.entries(BURN_RATE_WINDOWS) as Array<[keyof BurnRates, number]>) {
    burn[name] = { startMs: whole.endMs - length, endMs: whole.endMs };
  }
  const step = (whole.endMs - whole.startMs) / BURN_DOWN_POINTS;
  const burnDownPoints = Array.from({ length: BURN_DOWN_POINTS }, (_, i) => Math.round(whole.startMs + step * (i + 1)));
  return { whole, burn, burnDownPoints };
}

function alertState(rates: BurnRates): 'page' | 'ticket' | 'ok' {
  const over = (window: keyof BurnRates, threshold: number) => (rates[window] ?? 0) > threshold;
  if ((over('1h', 14.4) && over('5m', 14.4)) || (over('6h', 6) && over('30m', 6))) return 'page';
  if ((over('1d', 3) && over('2h', 3)) || (over('3d', 1) && over('6h', 1))) return 'ticket';
  return 'ok';
}

function computeObjective(
  objective: SloObjective,
  figures: ObjectiveFigures,
  windows: ObjectiveWindows,
): SloObjectiveResult {
  const errorBudget = 1 - objective.target;
  const { whole } = figures;
  const attainment = whole.total ? whole.good / whole.total : null;
  const budgetRemaining = attainment === null ? null : 1 - (1 - attainment) / errorBudget;

  const burnRates = {} as BurnRates;
  for (const name of Object.keys(BURN_RATE_WINDOWS) as Array<keyof BurnRates>) {
    const { good, total } = figures.burn[name];
    burnRates[name] = total ? (total - good) / total / errorBudget : null;
  }

  // Burn-down: the budget of the whole window (errorBudget × everything
  // counted in it) minus what was spent up to each point; ends at budgetRemaining.
  const allowed = errorBudget * whole.total;
  const burnDown = windows.burnDownPoints.map((at, i) => {
    const spent = figures.burnDown[i] ?? { good: 0, total: 0 };
    return {
      at: new Date(at).toISOString(),
      budgetRemaining: allowed ? 1 - (spent.total - spent.good) / allowed : null,
    };
  });

  return {
    displayName: objective.displayName,
    target: objective.target,
    ...(objective.timeSliceTarget !== undefined ? { timeSliceTarget: objective.timeSliceTarget } : {}),
    ...(objective.timeSliceWindow ? { timeSliceWindow: objective.timeSliceWindow.text } : {}),
    attainment,
    errorBudget,
    budgetRemaining,
    burnRates,
    alert: alertState(burnRates),
    burnDown,
    // Sums of ratios round: an attainment a hair under its target is met.
    met: attainment === null ? null : attainment >= objective.target - 1e-12,
  };
}

/** Where an SLO's objectives get their fractions, and how much data they rest on. */
export interface SloFigures {
  dataSource: SloDataSource;
  /** Each objective's fractions, in the order of `slo.objectives`. */
  objectives: ObjectiveFigures[];
  sampleSize: number;
}

/** Fractions of an SLO fed by `sli` events. */
export function figuresFromEvents(slo: SloDefinition, samples: SliSample[], untilMs: number): SloFigures {
  const windows = objectiveWindows(slo, untilMs);
  const sorted = [...samples].sort((a, b) => a.startMs - b.startMs);
  return {
    dataSource: { type: 'events' },
    objectives: slo.objectives.map(o => figuresFromSamples(slo.budgetingMethod, o, sorted, windows)),
    sampleSize: countInWindow(sorted, windows),
  };
}

/** An SLO over its own window ending at `until`, from its fractions. */
export function computeSlo(
  slo: SloDefinition,
  figures: SloFigures,
  untilMs: number,
): Omit<SloResult, 'entityRef'> {
  const windows = objectiveWindows(slo, untilMs);
  return {
    name: slo.name,
    ...(slo.displayName ? { displayName: slo.displayName } : {}),
    ...(slo.description ? { description: slo.description } : {}),
    budgetingMethod: slo.budgetingMethod,
    ...(slo.indicator ? { indicator: slo.indicator } : {}),
    dataSource: figures.dataSource,
    window: {
      duration: slo.timeWindow.duration,
      isRolling: slo.timeWindow.isRolling,
      start: new Date(windows.whole.startMs).toISOString(),
      end: new Date(windows.whole.endMs).toISOString(),
    },
    objectives: slo.objectives.map((o, i) => computeObjective(o, figures.objectives[i], windows)),
    sampleSize: figures.sampleSize,
    source: slo.source,
  };
}

/** An SLO fed by `sli` events, at `until`. */
export function computeSloFromEvents(slo: SloDefinition, samples: SliSample[], untilMs: number) {
  return computeSlo(slo, figuresFromEvents(slo, samples, untilMs), untilMs);
}

/** Least remaining budget first; SLOs without data last. */
export function byRemainingBudget(a: SloResult, b: SloResult): number {
  const least = (s: SloResult) => {
    const values = s.objectives.map(o => o.budgetRemaining).filter((v): v is number => v !== null);
    return values.length ? Math.min(...values) : Infinity;
  };
  return least(a) - least(b) || a.name.localeCompare(b.name) || a.entityRef.localeCompare(b.entityRef);
}
