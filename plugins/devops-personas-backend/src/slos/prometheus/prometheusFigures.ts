import { BurnRates, SloDataSource } from '@internal/plugin-devops-personas-common';
import { BURN_RATE_WINDOWS, objectiveWindows, SloFigures } from '../computeSlo';
import { figuresFromSamples, Fraction, ObjectiveFigures } from '../sliFigures';
import { SloDefinition } from '../sloDefinition';
import { DEFAULT_PROMETHEUS_SLICE_MS, PrometheusReading } from './PrometheusSlis';

const EMPTY: Fraction = { good: 0, total: 0 };

/**
 * An SLO's fractions from what Prometheus answered, computed exactly as
 * from `sli` events: window counts as they are (Occurrences), slices
 * through the same slice rules (Timeslices, RatioTimeslices). `readings`
 * holds one reading per objective slice length.
 */
export function figuresOfReading(
  slo: SloDefinition,
  readings: Map<number | undefined, PrometheusReading>,
  dataSource: SloDataSource,
  untilMs: number,
): SloFigures {
  const windows = objectiveWindows(slo, untilMs);
  let sampleSize = 0;
  const objectives = slo.objectives.map((objective, i) => {
    const reading = readings.get(objective.timeSliceWindow?.ms)!;
    if (reading.kind === 'windows') {
      if (i === 0) sampleSize = Math.round(reading.whole.total);
      return { whole: reading.whole, burn: reading.burn, burnDown: burnDownOf(reading.buckets, reading.whole) };
    }
    const sliceMs = objective.timeSliceWindow?.ms ?? DEFAULT_PROMETHEUS_SLICE_MS;
    const sliced = { ...objective, timeSliceWindow: { text: objective.timeSliceWindow?.text ?? '1m', ms: sliceMs } };
    if (i === 0) {
      const { startMs, endMs } = windows.whole;
      sampleSize = reading.samples.filter(s => s.startMs >= startMs && s.startMs < endMs).length;
    }
    return figuresFromSamples(slo.budgetingMethod, sliced, reading.samples, windows);
  });
  return { dataSource, objectives, sampleSize };
}

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

/** No figures: what an SLO shows while its Prometheus cannot answer. */
export function unavailableFigures(slo: SloDefinition, dataSource: SloDataSource): SloFigures {
  const empty: ObjectiveFigures = {
    whole: EMPTY,
    burn: Object.fromEntries(Object.keys(BURN_RATE_WINDOWS).map(k => [k, EMPTY])) as Record<keyof BurnRates, Fraction>,
    burnDown: [],
  };
  return { dataSource, objectives: slo.objectives.map(() => empty), sampleSize: 0 };
}
