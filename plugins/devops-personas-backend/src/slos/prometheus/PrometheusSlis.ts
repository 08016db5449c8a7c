import { BurnRates, SloPrometheusQuery } from '@internal/plugin-devops-personas-common';
import { objectiveWindows } from '../computeSlo';
import { Fraction, ObjectiveWindows, SliSample } from '../sliFigures';
import { RatioPart, SliDefinition, SloDefinition } from '../sloDefinition';
import { PrometheusClient, PrometheusPoint, PrometheusQueryError } from './PrometheusClient';
import { DEFAULT_PROMETHEUS_SOURCE, PrometheusSourceConfig } from './prometheusConfig';
import { graphUrl, QueryKind, windowQuery } from './promql';

/** How an SLI is read from Prometheus: its queries, each with the client it goes to. */
export interface PrometheusSliPlan {
  counter: boolean;
  rawType?: 'success' | 'failure';
  parts: Array<{ role: RatioPart; query: string; client: PrometheusClient }>;
}

/** An SLI's reading: from Prometheus, from `sli` events, or events with a reason why not Prometheus. */
export type SliReading =
  | { from: 'prometheus'; plan: PrometheusSliPlan }
  | { from: 'events'; problem?: { field: string; reason: string } };

/** Counts of an SLO's windows read from Prometheus (Occurrences). */
export interface PrometheusWindowCounts {
  kind: 'windows';
  untilMs: number;
  whole: Fraction;
  burn: Record<keyof BurnRates, Fraction>;
  /** One bucket per burn-down point: what was counted since the point before. */
  buckets: Fraction[];
}

/** Slices read from Prometheus (Timeslices and RatioTimeslices), as samples aligned to the epoch. */
export interface PrometheusSlices {
  kind: 'slices';
  untilMs: number;
  samples: SliSample[];
}

export type PrometheusReading = PrometheusWindowCounts | PrometheusSlices;

/** Slice length used when a Timeslices objective read from Prometheus gives none. */
export const DEFAULT_PROMETHEUS_SLICE_MS = 60_000;
/** Points per query_range request (Prometheus refuses more than 11,000). */
const POINTS_PER_REQUEST = 10_000;
/** Slices read for one SLO at most: a year of one-minute slices. */
export const MAX_PROMETHEUS_SLICES = 530_000;
/** Requests answered within this long of now are "now" and share one reading per refresh interval. */
const NOW_TOLERANCE_MS = 2_000;
/** A failed reading is tried again after this long, not after the whole refresh interval. */
const FAILURE_RETRY_MS = 30_000;
const MAX_CACHED_READINGS = 1_000;

const EMPTY: Fraction = { good: 0, total: 0 };

function queryKind(plan: PrometheusSliPlan): QueryKind {
  if (plan.rawType) return 'ratio';
  return plan.counter ? 'counter' : 'gauge';
}

/**
 * Reads OpenSLO SLIs from the configured Prometheus servers (SPEC §5). Each
 * reading is cached for the SLO refresh interval and shared by everyone who
 * asks meanwhile, so a page view never costs Prometheus one query per burn
 * window per viewer.
 */
export class PrometheusSlis {
  private readonly clients = new Map<string, PrometheusClient>();
  private readonly cache = new Map<string, { expiresMs: number; reading: Promise<PrometheusReading> }>();

  constructor(
    sources: Map<string, PrometheusSourceConfig>,
    private readonly refreshMs: number,
    private readonly now: () => number = Date.now,
    fetchImpl?: typeof fetch,
  ) {
    for (const [name, source] of sources) this.clients.set(name, new PrometheusClient(source, fetchImpl));
  }

  /** Whether any Prometheus is configured. */
  get configured(): boolean {
    return this.clients.size > 0;
  }

  /**
   * Where an SLI's figures come from: Prometheus when every part of its
   * ratioMetric is a Prometheus query and an entry is configured for it,
   * else `sli` events (with the reason when the document meant Prometheus).
   */
  reading(sli: SliDefinition | undefined): SliReading {
    const ratio = sli?.ratio;
    if (!ratio || !this.configured) return { from: 'events' };
    const parts = Object.entries(ratio.parts) as Array<[RatioPart, NonNullable<(typeof ratio.parts)[RatioPart]>]>;
    const isPrometheus = parts.map(([, part]) => part.type?.toLowerCase() === 'prometheus');
    if (!isPrometheus.some(Boolean)) return { from: 'events' };
    const field = 'spec.ratioMetric';
    if (!isPrometheus.every(Boolean)) {
      return { from: 'events', problem: { field, reason: 'mixes Prometheus with other metric sources; it is read from sli events' } };
    }
    const plan: PrometheusSliPlan = { counter: ratio.counter, ...(ratio.rawType ? { rawType: ratio.rawType } : {}), parts: [] };
    for (const [role, part] of parts) {
      const partField = `${field}.${role}.metricSource`;
      if (!part.query?.trim()) {
        return { from: 'events', problem: { field: `${partField}.spec.query`, reason: 'is missing: a Prometheus metric source needs a query' } };
      }
      const name = part.sourceRef ?? DEFAULT_PROMETHEUS_SOURCE;
      const client = this.clients.get(name);
      if (!client) {
        const known = [...this.clients.keys()].join(', ');
        const reason = part.sourceRef
          ? `"${part.sourceRef}" names no configured Prometheus (devopsPersonas.sources.prometheus.${part.sourceRef}); configured: ${known}`
          : `is not set and no Prometheus is configured as "default"; configured: ${known}`;
        return { from: 'events', problem: { field: `${partField}.metricSourceRef`, reason: `${reason}. It is read from sli events` } };
      }
      plan.parts.push({ role, query: part.query.trim(), client });
    }
    return { from: 'prometheus', plan };
  }

  /** The queries of a plan as the SLO tab shows them. */
  describe(plan: PrometheusSliPlan): SloPrometheusQuery[] {
    return plan.parts.map(({ role, query, client }) => ({
      role,
      query,
      source: client.source.name,
      ...(client.source.externalUrl ? { graphUrl: graphUrl(client.source.externalUrl, query) } : {}),
    }));
  }

  /**
   * Reads what an SLO's objectives need at `untilMs`: counts over each window
   * (Occurrences) or slices of `sliceMs` (Timeslices, RatioTimeslices).
   * Rejects with a {@link PrometheusQueryError} naming the query.
   */
  read(slo: SloDefinition, plan: PrometheusSliPlan, untilMs: number, sliceMs?: number): Promise<PrometheusReading> {
    const isNow = untilMs >= this.now() - NOW_TOLERANCE_MS;
    const key = JSON.stringify([
      plan.parts.map(p => [p.role, p.client.source.name, p.query]),
      plan.counter,
      plan.rawType ?? null,
      slo.budgetingMethod === 'Occurrences' ? 'windows' : sliceMs,
      slo.timeWindow,
      isNow ? 'now' : untilMs,
    ]);
    const nowMs = this.now();
    const cached = this.cache.get(key);
    if (cached && cached.expiresMs > nowMs) return cached.reading;
    const at = isNow ? Math.min(untilMs, nowMs) : untilMs;
    const reading =
      slo.budgetingMethod === 'Occurrences'
        ? this.readWindows(plan, objectiveWindows(slo, at), at)
        : this.readSlices(plan, objectiveWindows(slo, at), at, sliceMs ?? DEFAULT_PROMETHEUS_SLICE_MS);
    this.remember(key, nowMs + this.refreshMs, reading);
    reading.catch(() => {
      const entry = this.cache.get(key);
      if (entry?.reading === reading) entry.expiresMs = Math.min(entry.expiresMs, this.now() + FAILURE_RETRY_MS);
    });
    return reading;
  }

  private remember(key: string, expiresMs: number, reading: Promise<PrometheusReading>) {
    if (this.cache.size >= MAX_CACHED_READINGS) {
      const nowMs = this.now();
      for (const [k, v] of this.cache) if (v.expiresMs <= nowMs) this.cache.delete(k);
      // Still full: drop the oldest (a Map keeps insertion order).
      while (this.cache.size >= MAX_CACHED_READINGS) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(key, { expiresMs, reading });
  }

  /** Runs one query of a plan, naming it in the error. */
  private async attempt<T>(part: PrometheusSliPlan['parts'][number], promql: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      const reason = e instanceof PrometheusQueryError ? e.message : (e as Error).message;
      const shown = promql === part.query ? part.query : `${part.query} (sent as ${promql})`;
      throw new PrometheusQueryError(`Prometheus "${part.client.source.name}" ${reason}; ${part.role} query: ${shown}`);
    }
  }

  /** good and total from the values of a plan's parts (null: no series). */
  private combine(plan: PrometheusSliPlan, values: Map<RatioPart, number | null>, ratioWeight = 1): Fraction {
    if (plan.rawType) {
      const ratio = values.get('raw');
      if (ratio === null || ratio === undefined) return EMPTY;
      const good = plan.rawType === 'success' ? ratio : 1 - ratio;
      return { good: good * ratioWeight, total: ratioWeight };
    }
    const total = values.get('total');
    if (total === null || total === undefined || total <= 0) return EMPTY;
    // A good or bad query with no series has counted nothing.
    const good = values.has('good') ? values.get('good') ?? 0 : total - (values.get('bad') ?? 0);
    return { good, total };
  }

  private async readWindows(plan: PrometheusSliPlan, windows: ObjectiveWindows, untilMs: number): Promise<PrometheusWindowCounts> {
    const kind = queryKind(plan);
    const countOver = async (lengthMs: number): Promise<Fraction> => {
      if (lengthMs < 1) return EMPTY;
      const values = new Map<RatioPart, number | null>();
      await Promise.all(
        plan.parts.map(async part => {
          const promql = windowQuery(part.query, kind, lengthMs);
          values.set(part.role, await this.attempt(part, promql, () => part.client.instant(promql, untilMs)));
        }),
      );
      return this.combine(plan, values);
    };
    const wholeMs = windows.whole.endMs - windows.whole.startMs;
    const burnEntries = Object.entries(windows.burn) as Array<[keyof BurnRates, { startMs: number; endMs: number }]>;
    const [whole, buckets, ...burn] = await Promise.all([
      countOver(wholeMs),
      this.readBuckets(plan, windows, kind),
      ...burnEntries.map(([, w]) => countOver(w.endMs - w.startMs)),
    ]);
    if (whole.total <= 0) {
      const total = plan.parts.find(p => p.role === 'total' || p.role === 'raw')!;
      throw new PrometheusQueryError(
        `Prometheus "${total.client.source.name}" answered no data over the SLO's window for the ${total.role} query: ${total.query}`,
      );
    }
    return {
      kind: 'windows',
      untilMs,
      whole,
      burn: Object.fromEntries(burnEntries.map(([name], i) => [name, burn[i]])) as Record<keyof BurnRates, Fraction>,
      buckets,
    };
  }

  /** What was counted between burn-down points: one range query per part, stepping from point to point. */
  private async readBuckets(plan: PrometheusSliPlan, windows: ObjectiveWindows, kind: QueryKind): Promise<Fraction[]> {
    const points = windows.burnDownPoints;
    const stepMs = (windows.whole.endMs - windows.whole.startMs) / points.length;
    if (stepMs < 1000) return points.map(() => EMPTY);
    const firstMs = windows.whole.startMs + stepMs;
    const series = new Map<RatioPart, PrometheusPoint[]>();
    await Promise.all(
      plan.parts.map(async part => {
        const promql = windowQuery(part.query, kind, stepMs);
        series.set(part.role, await this.attempt(part, promql, () => part.client.range(promql, firstMs, windows.whole.endMs, stepMs)));
      }),
    );
    return points.map((_, i) => {
      const values = new Map<RatioPart, number | null>();
      const atMs = firstMs + stepMs * i;
      for (const [role, list] of series) {
        values.set(role, list.find(p => Math.abs(p.atMs - atMs) < 1000)?.value ?? null);
      }
      // A raw ratio's buckets are each a 1/n share of the window.
      return this.combine(plan, values, 1 / points.length);
    });
  }

  private async readSlices(
    plan: PrometheusSliPlan,
    windows: ObjectiveWindows,
    untilMs: number,
    sliceMs: number,
  ): Promise<PrometheusSlices> {
    const kind = queryKind(plan);
    const fromMs = Math.min(windows.whole.startMs, windows.burn['3d'].startMs);
    // Slices aligned to the epoch that lie wholly in [from, until); each is
    // read at its end, over its own length.
    const firstEndMs = Math.ceil(fromMs / sliceMs) * sliceMs + sliceMs;
    const lastEndMs = Math.floor(untilMs / sliceMs) * sliceMs;
    if (lastEndMs < firstEndMs) return { kind: 'slices', untilMs, samples: [] };
    const count = (lastEndMs - firstEndMs) / sliceMs + 1;
    if (count > MAX_PROMETHEUS_SLICES) {
      throw new PrometheusQueryError(
        `would need ${count} slices of ${sliceMs / 1000} s for this window, more than ${MAX_PROMETHEUS_SLICES}; use a longer timeSliceWindow`,
      );
    }
    const byEnd = new Map<number, Map<RatioPart, number | null>>();
    const chunks: Array<[number, number]> = [];
    for (let start = firstEndMs; start <= lastEndMs; start += POINTS_PER_REQUEST * sliceMs) {
      chunks.push([start, Math.min(lastEndMs, start + (POINTS_PER_REQUEST - 1) * sliceMs)]);
    }
    for (const part of plan.parts) {
      const promql = windowQuery(part.query, kind, sliceMs);
      // Chunks one after another: the client bounds concurrency across SLOs too.
      for (const [start, end] of chunks) {
        const points = await this.attempt(part, promql, () => part.client.range(promql, start, end, sliceMs));
        for (const point of points) {
          const endMs = Math.round(point.atMs / sliceMs) * sliceMs;
          const values = byEnd.get(endMs) ?? new Map<RatioPart, number | null>();
          values.set(part.role, point.value);
          byEnd.set(endMs, values);
        }
      }
    }
    const samples: SliSample[] = [];
    for (const [endMs, values] of [...byEnd].sort((a, b) => a[0] - b[0])) {
      const { good, total } = this.combine(plan, values);
      if (total > 0) samples.push({ startMs: endMs - sliceMs, good, total });
    }
    return { kind: 'slices', untilMs, samples };
  }
}
