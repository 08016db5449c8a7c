import { BurnRates, SloPrometheusQuery } from '@internal/plugin-devops-personas-common';
import { BURN_RATE_WINDOWS, figuresFromEvents, objectiveWindows, SloFigures } from '../computeSlo';
import { figuresFromSamples, Fraction, ObjectiveFigures, ObjectiveWindows, SliSample } from '../sliFigures';
import { SloDefinition, SloObjective } from '../sloDefinition';
import { DEFAULT_PROMETHEUS_SLICE_MS, PrometheusReading, PrometheusSlis, SliReading } from './PrometheusSlis';

const EMPTY: Fraction = { good: 0, total: 0 };
const NO_FIGURES: ObjectiveFigures = {
  whole: EMPTY,
  burn: Object.fromEntries(Object.keys(BURN_RATE_WINDOWS).map(k => [k, EMPTY])) as Record<keyof BurnRates, Fraction>,
  burnDown: [],
};

/**
 * The burn-down from what each bucket counted. Buckets whose edges fall
 * between samples are extrapolated by Prometheus, so their sum misses the
 * window's count by a little: spending is scaled to end exactly where the
 * window's own count does, as the budget remaining shown beside it.
 */
function burnDownOf(buckets: Fraction[], whole: Fraction): Fraction[] {
  const spentInBuckets = buckets.reduce((sum, b) => sum + (b.total - b.good), 0);
  const spentInWindow = whole.total - whole.good;
  const scale = spentInBuckets > 0 ? spentInWindow / spentInBuckets : 1;
  let spent = 0;
  return buckets.map(bucket => {
    spent += (bucket.total - bucket.good) * scale;
    // Only what was spent matters to the burn-down; total is the window's.
    return { good: whole.total - spent, total: whole.total };
  });
}

/**
 * One objective's fractions from what Prometheus answered, computed exactly
 * as from `sli` events: window counts as they are (Occurrences), slices
 * through the same slice rules (Timeslices, RatioTimeslices).
 */
function objectiveFigures(
  slo: SloDefinition,
  objective: SloObjective,
  reading: PrometheusReading,
  windows: ObjectiveWindows,
): { figures: ObjectiveFigures; sampleSize: number } {
  if (reading.kind === 'windows') {
    return {
      figures: { whole: reading.whole, burn: reading.burn, burnDown: burnDownOf(reading.buckets, reading.whole) },
      sampleSize: Math.round(reading.whole.total),
    };
  }
  const sliced = {
    ...objective,
    timeSliceWindow: objective.timeSliceWindow ?? { text: '1m', ms: DEFAULT_PROMETHEUS_SLICE_MS },
  };
  const { startMs, endMs } = windows.whole;
  return {
    figures: figuresFromSamples(slo.budgetingMethod, sliced, reading.samples, windows),
    sampleSize: reading.samples.filter(s => s.startMs >= startMs && s.startMs < endMs).length,
  };
}

/**
 * An SLO's figures at `untilMs`, each objective from its own SLI: `sli`
 * events, or Prometheus (read through the cache). An objective whose
 * Prometheus cannot answer has no figures; `errors` says why, and the
 * other objectives keep theirs. A reading shared from the cache may end a
 * little before `untilMs`: the SLO is then computed at its end (`at`).
 */
export async function readSloFigures(
  slo: SloDefinition,
  readings: SliReading[],
  prometheus: PrometheusSlis,
  samples: SliSample[],
  untilMs: number,
): Promise<{ figures: SloFigures; at: number; errors: string[] }> {
  if (readings.every(r => r.from === 'events')) {
    return { figures: figuresFromEvents(slo, samples, untilMs), at: untilMs, errors: [] };
  }
  const errors: string[] = [];
  const answers = await Promise.all(
    slo.objectives.map(async (objective, i) => {
      const reading = readings[i];
      if (reading.from === 'events') return undefined;
      try {
        return await prometheus.read(slo, reading.plan, untilMs, objective.timeSliceWindow?.ms);
      } catch (e) {
        const error = (e as Error).message;
        if (!errors.includes(error)) errors.push(error);
        return null;
      }
    }),
  );
  const at = answers.find(a => a)?.untilMs ?? untilMs;
  const windows = objectiveWindows(slo, at);
  const sorted = [...samples].sort((a, b) => a.startMs - b.startMs);
  const { startMs, endMs } = windows.whole;
  const perObjective = slo.objectives.map((objective, i) => {
    const answer = answers[i];
    if (answer === undefined) {
      return {
        figures: figuresFromSamples(slo.budgetingMethod, objective, sorted, windows),
        sampleSize: sorted.filter(s => s.startMs >= startMs && s.startMs < endMs).length,
      };
    }
    return answer ? objectiveFigures(slo, objective, answer, windows) : { figures: NO_FIGURES, sampleSize: 0 };
  });

  const queries = new Map<string, SloPrometheusQuery>();
  for (const reading of readings) {
    if (reading.from !== 'prometheus') continue;
    for (const query of prometheus.describe(reading.plan)) {
      queries.set(JSON.stringify([query.role, query.source, query.query]), query);
    }
  }
  const plan = readings.find(r => r.from === 'prometheus') as Extract<SliReading, { from: 'prometheus' }>;
  return {
    figures: {
      dataSource: {
        type: 'prometheus',
        queries: [...queries.values()],
        counter: plan.plan.counter,
        ...(plan.plan.rawType ? { rawType: plan.plan.rawType } : {}),
        ...(errors.length ? { error: errors.join('; ') } : {}),
      },
      objectives: perObjective.map(o => o.figures),
      sampleSize: perObjective[0]?.sampleSize ?? 0,
    },
    at,
    errors,
  };
}
