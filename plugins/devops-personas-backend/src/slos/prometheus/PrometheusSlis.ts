import { LoggerService } from '@backstage/backend-plugin-api';
import { SloPrometheusQuery } from '@devops-personas/plugin-devops-personas-common';
import { objectiveWindows } from '../computeSlo';
import { RatioPart, SliDefinition, SloDefinition } from '../sloDefinition';
import { PrometheusClient } from './PrometheusClient';
import {
  PrometheusCounts,
  PrometheusSliPlan,
  readSlices,
  readWindowCounts,
  sliceEnds,
} from './prometheusCounts';
import { DEFAULT_PROMETHEUS_SOURCE, PrometheusSourceConfig } from './prometheusConfig';
import { graphUrl, MAX_QUERY_LENGTH } from './promql';

export type { PrometheusCounts, PrometheusSliPlan } from './prometheusCounts';

/** Where an SLI's figures come from: Prometheus, or `sli` events (with the reason when the document meant Prometheus). */
export type SliSource =
  | { from: 'prometheus'; plan: PrometheusSliPlan }
  | { from: 'events'; problem?: { field: string; reason: string } };

/** Slice length used when a Timeslices objective read from Prometheus gives none. */
export const DEFAULT_PROMETHEUS_SLICE_MS = 60_000;
/** Slices read for one SLO objective at most: a year of one-minute slices. */
const MAX_SLICES_PER_READING = 530_000;
/** Requests for an `until` this close to now are "now" and share one reading per refresh interval. */
const NOW_TOLERANCE_MS = 30_000;
/** A failed reading is tried again after this long, not after the whole refresh interval. */
const FAILURE_RETRY_MS = 30_000;
/** Readings kept, and samples held by them at most: the cache's memory is bounded. */
const MAX_CACHED_READINGS = 1_000;
const MAX_CACHED_SAMPLES = 2_000_000;

interface CachedReading {
  expiresMs: number;
  counts: Promise<PrometheusCounts>;
  /** Slices held: those asked for while under way, those read once settled (a window reading holds none). */
  samples: number;
}

/**
 * Reads OpenSLO SLIs from the configured Prometheus servers (SPEC §5). Each
 * reading is cached for the SLO refresh interval and shared by everyone who
 * asks meanwhile, so a page view never costs Prometheus one query per burn
 * window per viewer.
 */
export class PrometheusSlis {
  private readonly clients = new Map<string, PrometheusClient>();
  private readonly cache = new Map<string, CachedReading>();
  private cachedSamples = 0;

  constructor(
    sources: Map<string, PrometheusSourceConfig>,
    private readonly refreshMs: number,
    private readonly logger?: LoggerService,
    private readonly now: () => number = Date.now,
    fetchImpl?: typeof fetch,
  ) {
    for (const [name, source] of sources) this.clients.set(name, new PrometheusClient(source, fetchImpl));
  }

  /**
   * Where an SLI's figures come from: Prometheus when every part of its
   * ratioMetric is a Prometheus query and an entry is configured for it
   * (`metricSourceRef`, else `default`), else `sli` events. A reason comes
   * along when the document meant Prometheus and cannot have it.
   */
  sourceOf(sli: SliDefinition | undefined): SliSource {
    const ratio = sli?.ratio;
    if (!ratio || !this.clients.size) return { from: 'events' };
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
      const query = part.query?.trim() ?? '';
      if (!query) {
        return { from: 'events', problem: { field: `${partField}.spec.query`, reason: 'is missing: a Prometheus metric source needs a query' } };
      }
      if (query.length > MAX_QUERY_LENGTH) {
        return { from: 'events', problem: { field: `${partField}.spec.query`, reason: `is longer than ${MAX_QUERY_LENGTH} characters` } };
      }
      // No entry for an SLI without a ref: nothing is configured for it, so events feed it (SPEC §5).
      if (!part.sourceRef && !this.clients.has(DEFAULT_PROMETHEUS_SOURCE)) return { from: 'events' };
      const client = this.clients.get(part.sourceRef ?? DEFAULT_PROMETHEUS_SOURCE);
      if (!client) {
        const reason =
          `"${part.sourceRef}" names no configured Prometheus (devopsPersonas.sources.prometheus.${part.sourceRef}; ` +
          `configured: ${[...this.clients.keys()].join(', ')}); it is read from sli events`;
        return { from: 'events', problem: { field: `${partField}.metricSourceRef`, reason } };
      }
      plan.parts.push({ role, query, client });
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

  /** How many slices reading an SLO with slices of `sliceMs` at `untilMs` takes (0 for Occurrences). */
  slicesToRead(slo: SloDefinition, untilMs: number, sliceMs?: number): number {
    if (slo.budgetingMethod === 'Occurrences') return 0;
    const length = sliceMs ?? DEFAULT_PROMETHEUS_SLICE_MS;
    return sliceEnds(objectiveWindows(slo, untilMs), untilMs, length).count;
  }

  /**
   * Reads what an SLO's objectives need at `untilMs`: counts over each window
   * (Occurrences) or slices of `sliceMs` (Timeslices, RatioTimeslices). A
   * request for now shares the reading made for now within the refresh
   * interval. Rejects with a {@link PrometheusQueryError} naming the query.
   */
  read(slo: SloDefinition, plan: PrometheusSliPlan, untilMs: number, sliceMs?: number): Promise<PrometheusCounts> {
    const nowMs = this.now();
    const isNow = untilMs >= nowMs - NOW_TOLERANCE_MS;
    const sliced = slo.budgetingMethod !== 'Occurrences';
    const length = sliceMs ?? DEFAULT_PROMETHEUS_SLICE_MS;
    const key = this.readingKey(slo, plan, untilMs, sliceMs);
    const cached = this.cache.get(key);
    if (cached && cached.expiresMs > nowMs) return cached.counts;
    if (cached) this.forget(key);

    const at = isNow ? Math.min(untilMs, nowMs) : untilMs;
    let counts: Promise<PrometheusCounts>;
    let slices = 0;
    if (!sliced) {
      counts = readWindowCounts(plan, objectiveWindows(slo, at), at);
    } else {
      slices = this.slicesToRead(slo, at, length);
      if (slices > MAX_SLICES_PER_READING) {
        return Promise.reject(
          new Error(
            `would read ${slices} slices of ${length / 1000} s, more than ${MAX_SLICES_PER_READING}; use a longer timeSliceWindow`,
          ),
        );
      }
      // Windows end at the last whole slice: a slice is judged once it is over.
      const lastEdgeMs = Math.floor(at / length) * length;
      counts = readSlices(plan, objectiveWindows(slo, lastEdgeMs), lastEdgeMs, length);
    }
    // Counted from the start: readings under way hold their arrays too.
    const entry: CachedReading = { expiresMs: nowMs + this.refreshMs, counts, samples: slices };
    this.cachedSamples += slices;
    this.remember(key, entry);
    counts.then(
      answer => {
        if (this.cache.get(key) !== entry) return;
        const samples = answer.kind === 'slices' ? answer.samples.length : 0;
        this.cachedSamples += samples - entry.samples;
        entry.samples = samples;
        this.evict();
      },
      error => {
        this.logger?.warn('Could not read an SLO from Prometheus', { slo: slo.name, error: (error as Error).message });
        if (this.cache.get(key) === entry) entry.expiresMs = Math.min(entry.expiresMs, this.now() + FAILURE_RETRY_MS);
      },
    );
    return counts;
  }

  /**
   * What identifies a reading: objectives with the same SLI, slice length,
   * time window and `until` share one (and its cost).
   */
  readingKey(slo: SloDefinition, plan: PrometheusSliPlan, untilMs: number, sliceMs?: number): string {
    const isNow = untilMs >= this.now() - NOW_TOLERANCE_MS;
    const sliced = slo.budgetingMethod !== 'Occurrences';
    return JSON.stringify([
      plan.parts.map(p => [p.role, p.client.source.name, p.query]),
      plan.counter,
      plan.rawType ?? null,
      sliced ? sliceMs ?? DEFAULT_PROMETHEUS_SLICE_MS : 'windows',
      slo.timeWindow,
      isNow ? 'now' : untilMs,
    ]);
  }

  private remember(key: string, entry: CachedReading) {
    this.cache.set(key, entry);
    this.evict();
  }

  private forget(key: string) {
    this.cachedSamples -= this.cache.get(key)?.samples ?? 0;
    this.cache.delete(key);
  }

  /** Drops expired readings, then the oldest, until the cache is within its bounds. */
  private evict() {
    const over = () => this.cache.size > MAX_CACHED_READINGS || this.cachedSamples > MAX_CACHED_SAMPLES;
    if (!over()) return;
    const nowMs = this.now();
    for (const [key, entry] of this.cache) if (entry.expiresMs <= nowMs) this.forget(key);
    // A Map keeps insertion order: the oldest first.
    for (const key of this.cache.keys()) {
      if (!over()) break;
      this.forget(key);
    }
  }
}
