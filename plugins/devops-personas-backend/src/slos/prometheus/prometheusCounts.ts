import { BurnRates } from '@devops-personas/plugin-devops-personas-common';
import { EMPTY_FRACTION, Fraction, ObjectiveWindows, SliSample } from '../sliFigures';
import { RatioPart } from '../sloDefinition';
import { PrometheusClient, PrometheusPoint, PrometheusQueryError } from './PrometheusClient';
import { QueryKind, windowQuery } from './promql';

/** How an SLI is read from Prometheus: its queries, each with the client it goes to. */
export interface PrometheusSliPlan {
  counter: boolean;
  rawType?: 'success' | 'failure';
  parts: Array<{ role: RatioPart; query: string; client: PrometheusClient }>;
}

/** Counts of an SLO's windows read from Prometheus (Occurrences). */
export interface PrometheusWindowCounts {
  kind: 'windows';
  /** Where the windows end. */
  untilMs: number;
  whole: Fraction;
  burn: Record<keyof BurnRates, Fraction>;
  /** One bucket per burn-down point: what was counted since the point before. */
  buckets: Fraction[];
}

/** Slices read from Prometheus (Timeslices and RatioTimeslices), as samples aligned to the epoch. */
export interface PrometheusSlices {
  kind: 'slices';
  /** Where the windows end: the end of the last whole slice. */
  untilMs: number;
  samples: SliSample[];
}

/** What Prometheus answered for an SLO. */
export type PrometheusCounts = PrometheusWindowCounts | PrometheusSlices;

/** Points per query_range request (Prometheus refuses more than 11,000). */
const POINTS_PER_REQUEST = 10_000;

/** Whether an SLI's queries count events, add gauge values up or give ratios. */
function queryKind(plan: PrometheusSliPlan): QueryKind {
  if (plan.rawType) return 'ratio';
  return plan.counter ? 'counter' : 'gauge';
}

/** The slices of `sliceMs` an SLO's windows at `untilMs` need: whole, epoch-aligned, ending by `untilMs`. */
export function sliceEnds(windows: ObjectiveWindows, untilMs: number, sliceMs: number) {
  const fromMs = Math.min(windows.whole.startMs, windows.burn['3d'].startMs);
  const firstEndMs = Math.ceil(fromMs / sliceMs) * sliceMs + sliceMs;
  const lastEndMs = Math.floor(untilMs / sliceMs) * sliceMs;
  return { firstEndMs, lastEndMs, count: lastEndMs < firstEndMs ? 0 : (lastEndMs - firstEndMs) / sliceMs + 1 };
}

/** Runs one query of a plan, naming the Prometheus and the query in the error. */
async function attempt<T>(part: PrometheusSliPlan['parts'][number], promql: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    const shown = promql === part.query ? part.query : `${part.query} (sent as ${promql})`;
    throw new PrometheusQueryError(`Prometheus "${part.client.source.name}" ${(e as Error).message}; ${part.role} query: ${shown}`);
  }
}

/** good and total from the values of a plan's parts (null: the query has no series). */
function combine(plan: PrometheusSliPlan, values: Map<RatioPart, number | null>, ratioWeight = 1): Fraction {
  if (plan.rawType) {
    const ratio = values.get('raw');
    if (ratio === null || ratio === undefined) return EMPTY_FRACTION;
    const good = plan.rawType === 'success' ? ratio : 1 - ratio;
    return { good: Math.min(1, Math.max(0, good)) * ratioWeight, total: ratioWeight };
  }
  const total = values.get('total');
  if (total === null || total === undefined || total <= 0) return EMPTY_FRACTION;
  // A good or bad query without series has counted nothing.
  const counted = plan.parts.some(p => p.role === 'good')
    ? values.get('good') ?? 0
    : total - (values.get('bad') ?? 0);
  // good and total are extrapolated apart: keep good within [0, total].
  return { good: Math.min(total, Math.max(0, counted)), total };
}

/**
 * Occurrences: the count over each window ending at `untilMs` (SPEC §5:
 * `sum(increase(<query>[W]))` at `until`), and the burn-down's buckets.
 * No data over the SLO's window and the last 3 days is an error: the query
 * matches nothing.
 */
export async function readWindowCounts(
  plan: PrometheusSliPlan,
  windows: ObjectiveWindows,
  untilMs: number,
): Promise<PrometheusWindowCounts> {
  const kind = queryKind(plan);
  const countOver = async (lengthMs: number): Promise<Fraction> => {
    if (lengthMs < 1) return EMPTY_FRACTION;
    const values = new Map<RatioPart, number | null>();
    await Promise.all(
      plan.parts.map(async part => {
        const promql = windowQuery(part.query, kind, lengthMs);
        values.set(part.role, await attempt(part, promql, () => part.client.instant(promql, untilMs)));
      }),
    );
    return combine(plan, values);
  };
  const burnEntries = Object.entries(windows.burn) as Array<[keyof BurnRates, { startMs: number; endMs: number }]>;
  const [whole, buckets, ...burn] = await Promise.all([
    countOver(windows.whole.endMs - windows.whole.startMs),
    readBuckets(plan, windows, kind),
    ...burnEntries.map(([, w]) => countOver(w.endMs - w.startMs)),
  ]);
  const burnCounts = Object.fromEntries(burnEntries.map(([name], i) => [name, burn[i]])) as Record<keyof BurnRates, Fraction>;
  // A calendar period that just began has no data yet, but its burn windows do.
  if (whole.total <= 0 && burnCounts['3d'].total <= 0) {
    const total = plan.parts.find(p => p.role === 'total' || p.role === 'raw')!;
    throw new PrometheusQueryError(
      `Prometheus "${total.client.source.name}" answered no data over the SLO's window for the ${total.role} query: ${total.query}`,
    );
  }
  return { kind: 'windows', untilMs, whole, burn: burnCounts, buckets };
}

/** What was counted between burn-down points: one range query per part, stepping from point to point. */
async function readBuckets(plan: PrometheusSliPlan, windows: ObjectiveWindows, kind: QueryKind): Promise<Fraction[]> {
  const points = windows.burnDownPoints;
  // Whole milliseconds, so the points Prometheus evaluates are the chart's.
  const stepMs = Math.round((windows.whole.endMs - windows.whole.startMs) / points.length);
  if (stepMs < 1000) return points.map(() => EMPTY_FRACTION);
  const firstMs = points[0];
  const lastMs = firstMs + stepMs * (points.length - 1);
  const series = new Map<RatioPart, PrometheusPoint[]>();
  await Promise.all(
    plan.parts.map(async part => {
      const promql = windowQuery(part.query, kind, stepMs);
      series.set(part.role, await attempt(part, promql, () => part.client.range(promql, firstMs, lastMs, stepMs)));
    }),
  );
  return points.map((_, i) => {
    const values = new Map<RatioPart, number | null>();
    const atMs = firstMs + stepMs * i;
    for (const [role, list] of series) {
      values.set(role, list.find(p => Math.abs(p.atMs - atMs) < stepMs / 2)?.value ?? null);
    }
    // A raw ratio's buckets are each a 1/n share of the window.
    return combine(plan, values, 1 / points.length);
  });
}

/**
 * Timeslices and RatioTimeslices: every whole epoch-aligned slice of
 * `sliceMs` the windows need (SPEC §5: `query_range` with the slice as step),
 * each read at its end over its own length, in requests of at most 10,000
 * points. The windows then end at the last whole slice: a slice is judged
 * once it is over. The caller bounds the number of slices.
 */
export async function readSlices(
  plan: PrometheusSliPlan,
  windows: ObjectiveWindows,
  untilMs: number,
  sliceMs: number,
): Promise<PrometheusSlices> {
  const kind = queryKind(plan);
  const { firstEndMs, lastEndMs, count } = sliceEnds(windows, untilMs, sliceMs);
  if (!count) return { kind: 'slices', untilMs, samples: [] };
  const chunks: Array<[number, number]> = [];
  for (let start = firstEndMs; start <= lastEndMs; start += POINTS_PER_REQUEST * sliceMs) {
    chunks.push([start, Math.min(lastEndMs, start + (POINTS_PER_REQUEST - 1) * sliceMs)]);
  }
  // One value per slice and part, NaN where the query has no point: flat
  // arrays, as a year of one-minute slices is half a million of them.
  const values = new Map<RatioPart, Float64Array>(plan.parts.map(p => [p.role, new Float64Array(count).fill(NaN)]));
  // Every chunk of every part at once: the client lets 6 run and queues the rest.
  await Promise.all(
    plan.parts.flatMap(part => {
      const promql = windowQuery(part.query, kind, sliceMs);
      const column = values.get(part.role)!;
      return chunks.map(async ([start, end]) => {
        const points = await attempt(part, promql, () => part.client.range(promql, start, end, sliceMs));
        for (const point of points) {
          const index = Math.round((point.atMs - firstEndMs) / sliceMs);
          if (index >= 0 && index < count) column[index] = point.value;
        }
      });
    }),
  );
  const samples: SliSample[] = [];
  const at = new Map<RatioPart, number | null>();
  for (let i = 0; i < count; i++) {
    for (const [role, column] of values) at.set(role, Number.isNaN(column[i]) ? null : column[i]);
    const { good, total } = combine(plan, at);
    if (total > 0) samples.push({ startMs: firstEndMs + (i - 1) * sliceMs, good, total });
  }
  return { kind: 'slices', untilMs: lastEndMs, samples };
}
