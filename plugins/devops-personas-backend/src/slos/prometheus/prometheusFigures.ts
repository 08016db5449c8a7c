import { BurnRates, SloPrometheusQuery } from '@devops-personas/plugin-devops-personas-common';
import { BURN_RATE_WINDOWS, figuresFromEvents, objectiveWindows, SloFigures } from '../computeSlo';
import { countInWindow, EMPTY_FRACTION, figuresFromSamples, Fraction, ObjectiveFigures, ObjectiveWindows, SliSample } from '../sliFigures';
import { SloDefinition, SloObjective } from '../sloDefinition';
import { PrometheusCounts, PrometheusSlis, SliSource } from './PrometheusSlis';

const NO_FIGURES: ObjectiveFigures = {
  whole: EMPTY_FRACTION,
  burn: Object.fromEntries(Object.keys(BURN_RATE_WINDOWS).map(k => [k, EMPTY_FRACTION])) as Record<keyof BurnRates, Fraction>,
  burnDown: [],
};

/**
 * The burn-down from what each bucket counted. Buckets whose edges fall
 * between samples are extrapolated by Prometheus, so their sum misses the
 * window's count by a little: spending is scaled to end exactly where the
 * window's own count does, as the budget remaining shown beside it.
 */
function burnDownOf(buckets: Fraction[], whole: Fraction): Fraction[] {
  const spentIn = (b: Fraction) => Math.max(0, b.total - b.good);
  const spentInBuckets = buckets.reduce((sum, b) => sum + spentIn(b), 0);
  const spentInWindow = spentIn(whole);
  // Scaled only when the buckets roughly agree with the window: a few
  // extrapolated events, not a different story.
  const scale = spentInBuckets > 0 ? spentInWindow / spentInBuckets : 1;
  const kept = scale >= 0.5 && scale <= 2 ? scale : 1;
  let spent = 0;
  return buckets.map(bucket => {
    spent += spentIn(bucket) * kept;
    // Only what was spent matters to the burn-down; total is the window's.
    return { good: whole.total - spent, total: whole.total };
  });
}

// Figures computed from a reading, kept as long as the reading is (the
// cache holds it): a view served from the cache costs no recomputation.
const computed = new WeakMap<PrometheusCounts, Map<string, { figures: ObjectiveFigures; sampleSize: number }>>();

function memoized(
  counts: PrometheusCounts,
  key: string,
  compute: () => { figures: ObjectiveFigures; sampleSize: number },
) {
  let byKey = computed.get(counts);
  if (!byKey) computed.set(counts, (byKey = new Map()));
  let result = byKey.get(key);
  if (!result) byKey.set(key, (result = compute()));
  return result;
}

/**
 * One objective's fractions from what Prometheus answered, computed exactly
 * as from `sli` events: window counts as they are (Occurrences), slices
 * through the same slice rules (Timeslices, RatioTimeslices).
 */
function objectiveFigures(
  slo: SloDefinition,
  objective: SloObjective,
  counts: PrometheusCounts,
  windows: ObjectiveWindows,
  countsEvents: boolean,
): { figures: ObjectiveFigures; sampleSize: number } {
  if (counts.kind === 'windows') {
    return {
      figures: { whole: counts.whole, burn: counts.burn, burnDown: burnDownOf(counts.buckets, counts.whole) },
      // A raw ratio counts no events.
      sampleSize: countsEvents ? Math.round(counts.whole.total) : 0,
    };
  }
  // Prometheus's samples are whole slices already: each one is a slice.
  const { timeSliceWindow: _slices, ...eachSampleASlice } = objective;
  return {
    figures: figuresFromSamples(slo.budgetingMethod, eachSampleASlice, counts.samples, windows),
    sampleSize: countInWindow(counts.samples, windows),
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
  sources: SliSource[],
  prometheus: PrometheusSlis,
  samples: SliSample[],
  untilMs: number,
): Promise<{ figures: SloFigures; at: number; errors: string[] }> {
  if (sources.every(r => r.from === 'events')) {
    return { figures: figuresFromEvents(slo, samples, untilMs), at: untilMs, errors: [] };
  }
  const errors: string[] = [];
  const answers = await Promise.all(
    slo.objectives.map(async (objective, i) => {
      const source = sources[i];
      if (source.from === 'events') return undefined;
      try {
        return await prometheus.read(slo, source.plan, untilMs, objective.timeSliceWindow?.ms);
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
  const perObjective = slo.objectives.map((objective, i) => {
    const answer = answers[i];
    if (answer === undefined) {
      return {
        figures: figuresFromSamples(slo.budgetingMethod, objective, sorted, windows),
        sampleSize: countInWindow(sorted, windows),
      };
    }
    const source = sources[i];
    const countsEvents = source.from === 'prometheus' && !source.plan.rawType;
    if (!answer) return { figures: NO_FIGURES, sampleSize: 0 };
    const key = JSON.stringify([slo.budgetingMethod, objective.timeSliceTarget ?? null, windows.whole, countsEvents]);
    return memoized(answer, key, () => objectiveFigures(slo, objective, answer, windows, countsEvents));
  });

  const queries = new Map<string, SloPrometheusQuery>();
  for (const source of sources) {
    if (source.from !== 'prometheus') continue;
    for (const query of prometheus.describe(source.plan)) {
      queries.set(JSON.stringify([query.role, query.source, query.query]), query);
    }
  }
  const { plan } = sources.find(r => r.from === 'prometheus') as Extract<SliSource, { from: 'prometheus' }>;
  return {
    figures: {
      dataSource: {
        type: 'prometheus',
        queries: [...queries.values()],
        counter: plan.counter,
        ...(plan.rawType ? { rawType: plan.rawType } : {}),
        ...(errors.length ? { error: errors.join('; ') } : {}),
      },
      objectives: perObjective.map(o => o.figures),
      // The SLO is described as read from Prometheus: its sample is Prometheus's.
      sampleSize: perObjective.find((_, i) => sources[i].from === 'prometheus')?.sampleSize ?? 0,
    },
    at,
    errors,
  };
}
