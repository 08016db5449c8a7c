import { DoraTier } from '@devops-personas/plugin-devops-personas-common';
import {
  FactFamily,
  FactQueries,
  FactScope,
  IntervalCounts,
  IntervalValues,
} from '../database/FactQueries';
import { KpiDefinition } from '../service/config';
import {
  FAMILIES,
  FamilyId,
  KPI_COMPUTATIONS,
  KpiMeasure,
  measurementFamily,
} from './definitions';
import { Segments } from './segments';
import { deploymentFrequencyTier, doraTier, median } from './tiers';
import { DAY_MS, TimeWindow, WEEK_MS } from './window';

/** A KPI over one window. */
export interface Evaluation {
  value: number | null;
  sampleSize: number;
}

/** Everything the KPI tab shows of one KPI, before owner, target and response. */
export interface KpiFigures {
  current: Evaluation;
  /** One value per trend bucket. */
  trend: Array<number | null>;
  baseline: number | null;
  baselineWindow: TimeWindow | null;
  /** Over the window of the same length before the window (DORA KPIs). */
  previous?: Evaluation;
}

/** What the engine computes for one scope and window. */
export interface ComputedKpis {
  figures: Map<string, KpiFigures>;
  /** Deployment frequency's DORA tier (12 weeks before `until`). */
  deploymentFrequencyTier: DoraTier;
  /** Critical vulnerabilities open at `until` for longer than the SLA. */
  overdueCriticalVulnerabilities: number;
}

export const BASELINE_MS = 4 * WEEK_MS;
export const TIER_WEEKS = 12;

/** The KPIs whose previous window the guardrail compares. */
const PREVIOUS_WINDOW_FAMILIES = new Set<string>(['deployments', 'incidentsResolved']);

/** A KPI's measure: a built-in computation, or a measurement KPI's. */
function measureOf(kpi: KpiDefinition): KpiMeasure | { kind: 'measurement'; family: string } | undefined {
  if (kpi.kind === 'measurement') return { kind: 'measurement', family: `measurement:${kpi.id}` };
  return (KPI_COMPUTATIONS as Record<string, { measure: KpiMeasure }>)[kpi.id]?.measure;
}

function familyOf(id: string): FactFamily | 'lead-time' {
  if (id === 'leadTime') return 'lead-time';
  if (id.startsWith('measurement:')) return measurementFamily(id.slice('measurement:'.length));
  return FAMILIES[id as Exclude<FamilyId, 'leadTime'>];
}

/** The 12 weeks counted back from `until`, and every UTC day in them. */
function tierWindows(untilMs: number): { weeks: TimeWindow[]; days: TimeWindow[] } {
  const weeks = Array.from({ length: TIER_WEEKS }, (_, i) => ({
    startMs: untilMs - (i + 1) * WEEK_MS,
    endMs: untilMs - i * WEEK_MS,
  }));
  const startMs = untilMs - TIER_WEEKS * WEEK_MS;
  const days: TimeWindow[] = [];
  for (let day = Math.floor(startMs / DAY_MS) * DAY_MS; day < untilMs; day += DAY_MS) {
    days.push({ startMs: Math.max(day, startMs), endMs: Math.min(day + DAY_MS, untilMs) });
  }
  return { weeks, days };
}

/** Sums the interval counts inside a window. */
function totalsIn(segments: Segments, counts: IntervalCounts, window: TimeWindow): Record<string, number> {
  const totals: Record<string, number> = { n: 0 };
  for (const interval of segments.intervalsOf(window)) {
    const c = counts.get(interval);
    if (!c) continue;
    for (const [name, value] of Object.entries(c)) totals[name] = (totals[name] ?? 0) + value;
  }
  return totals;
}

/** The numbers of a value family grouped by interval. */
function byInterval(values: IntervalValues): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const { interval, value } of values) {
    const list = out.get(interval);
    if (list) list.push(value);
    else out.set(interval, [value]);
  }
  return out;
}

function valuesIn(segments: Segments, grouped: Map<number, number[]>, window: TimeWindow): number[] {
  const out: number[] = [];
  for (const interval of segments.intervalsOf(window)) {
    for (const v of grouped.get(interval) ?? []) out.push(v);
  }
  return out;
}

/** What one family's query gave, and how to read a window from it. */
interface FamilyData {
  segments: Segments;
  counts?: IntervalCounts;
  values?: Map<number, number[]>;
}

function evaluate(
  measure: KpiMeasure,
  data: FamilyData,
  window: TimeWindow,
): Evaluation {
  switch (measure.kind) {
    case 'per-week': {
      const { n } = totalsIn(data.segments, data.counts!, window);
      return { value: n / ((window.endMs - window.startMs) / WEEK_MS), sampleSize: n };
    }
    case 'rate': {
      const totals = totalsIn(data.segments, data.counts!, window);
      const of = measure.of ? totals[measure.of] ?? 0 : totals.n;
      return { value: of ? (totals[measure.hit] ?? 0) / of : null, sampleSize: of };
    }
    case 'count': {
      const hits = totalsIn(data.segments, data.counts!, window)[measure.hit] ?? 0;
      return { value: hits, sampleSize: hits };
    }
    case 'median': {
      const seconds = valuesIn(data.segments, data.values!, window).map(ms => ms / 1000);
      return { value: median(seconds), sampleSize: seconds.length };
    }
    case 'lead-time': {
      const seconds = valuesIn(data.segments, data.values!, window)
        .map(ms => ms / 1000)
        .filter(s => s > 0);
      return { value: median(seconds), sampleSize: seconds.length };
    }
    default:
      return { value: null, sampleSize: 0 };
  }
}

/**
 * The KPI engine: for one scope (an entity or a rollup's entities) and
 * window, reads each family of facts once, over the window, its trend
 * buckets, the baseline and the previous window, and computes every KPI's
 * figures from those counts and numbers. Its cost follows the windows asked
 * for, never the history stored.
 */
export class KpiEngine {
  constructor(
    private readonly queries: FactQueries,
    private readonly options: {
      baselinePeriod?: { startMs: number; endMs: number };
      vulnerabilitySlaMs: number;
      /** Below this sample a DORA KPI has no tier (SPEC §4). */
      tierMinimumSample: number;
    },
  ) {}

  async compute(
    scope: FactScope,
    request: { window: TimeWindow; buckets: TimeWindow[]; kpis: KpiDefinition[] },
  ): Promise<ComputedKpis> {
    const { window, buckets } = request;
    const measures = new Map<string, ReturnType<typeof measureOf>>();
    for (const kpi of request.kpis) measures.set(kpi.id, measureOf(kpi));
    const familyIds = [
      ...new Set(['deployments', ...[...measures.values()].flatMap(m => (m ? [m.family] : []))]),
    ];

    const baselines = await this.baselineWindows(familyIds, scope, window);
    const previous = { startMs: 2 * window.startMs - window.endMs, endMs: window.startMs };
    const tier = tierWindows(window.endMs);

    const data = await this.load(familyIds, scope, (id, i) => {
      const windows = [window, ...buckets];
      if (baselines[i]) windows.push(baselines[i]!);
      if (PREVIOUS_WINDOW_FAMILIES.has(id)) windows.push(previous);
      if (id === 'deployments') windows.push(...tier.weeks, ...tier.days);
      return windows;
    });

    const figures = new Map<string, KpiFigures>();
    await Promise.all(
      request.kpis.map(async kpi => {
        const measure = measures.get(kpi.id);
        if (!measure) return;
        const family = data.get(measure.family)!;
        const baselineWindow = baselines[familyIds.indexOf(measure.family)];
        if (measure.kind === 'measurement') {
          const mean = (w: TimeWindow) => {
            const values = valuesIn(family.segments, family.values!, w);
            return values.length ? values.reduce((sum, v) => sum + v, 0) / values.length : null;
          };
          const [current, baseline] = await Promise.all([
            this.latestMeasurement(scope, kpi.id, family, window),
            baselineWindow ? this.queries.latestMeasurement(scope, kpi.id, baselineWindow) : null,
          ]);
          figures.set(kpi.id, {
            current,
            trend: buckets.map(mean),
            baseline,
            baselineWindow,
          });
          return;
        }
        figures.set(kpi.id, {
          current: evaluate(measure, family, window),
          trend: buckets.map(b => evaluate(measure, family, b).value),
          baseline: baselineWindow ? evaluate(measure, family, baselineWindow).value : null,
          baselineWindow,
          previous: PREVIOUS_WINDOW_FAMILIES.has(measure.family)
            ? evaluate(measure, family, previous)
            : undefined,
        });
      }),
    );

    const deployments = data.get('deployments')!;
    const overdue = request.kpis.some(k => k.id === 'critical-vulnerability-fix-time')
      ? await this.queries.openCriticalVulnerabilities(scope, window.endMs - this.options.vulnerabilitySlaMs)
      : 0;
    return {
      figures,
      deploymentFrequencyTier: this.frequencyTier(deployments, tier),
      overdueCriticalVulnerabilities: overdue,
    };
  }

  /** Reads each family's facts over its windows, all families at once. */
  private async load(
    familyIds: string[],
    scope: FactScope,
    windowsOf: (familyId: string, index: number) => TimeWindow[],
  ): Promise<Map<string, FamilyData>> {
    const data = new Map<string, FamilyData>();
    await Promise.all(
      familyIds.map(async (id, i) => {
        const segments = new Segments(windowsOf(id, i));
        const family = familyOf(id);
        if (family === 'lead-time') {
          const [values] = await this.queries.leadTimes([scope], [segments]);
          data.set(id, { segments, values: byInterval(values) });
        } else if (family.value) {
          const [values] = await this.queries.values(family, [scope], [segments]);
          data.set(id, { segments, values: byInterval(values) });
        } else {
          const [counts] = await this.queries.counts(family, [scope], [segments]);
          data.set(id, { segments, counts });
        }
      }),
    );
    return data;
  }

  /**
   * Only the values over one window (no trend,
   * baseline, previous window or tier): for checks that ask "where is it
   * now?" of many entities, such as notifications and scripts.
   */
  async currentValues(
    scope: FactScope,
    window: TimeWindow,
    kpis: KpiDefinition[],
  ): Promise<Map<string, Evaluation>> {
    const measures = new Map<string, NonNullable<ReturnType<typeof measureOf>>>();
    for (const kpi of kpis) {
      const measure = measureOf(kpi);
      if (measure) measures.set(kpi.id, measure);
    }
    const familyIds = [...new Set([...measures.values()].map(m => m.family))];
    const data = await this.load(familyIds, scope, () => [window]);
    const values = await Promise.all(
      [...measures].map(async ([id, measure]): Promise<[string, Evaluation]> => {
        const family = data.get(measure.family)!;
        return [
          id,
          measure.kind === 'measurement'
            ? await this.latestMeasurement(scope, id, family, window)
            : evaluate(measure, family, window),
        ];
      }),
    );
    return new Map(values);
  }

  /** A measurement KPI over a window: its latest value, and how many there were. */
  private async latestMeasurement(
    scope: FactScope,
    kpiId: string,
    family: FamilyData,
    window: TimeWindow,
  ): Promise<Evaluation> {
    return {
      value: await this.queries.latestMeasurement(scope, kpiId, window),
      sampleSize: valuesIn(family.segments, family.values!, window).length,
    };
  }


  private frequencyTier(
    data: FamilyData,
    tier: { weeks: TimeWindow[]; days: TimeWindow[] },
  ): DoraTier {
    const perWeek = tier.weeks.map(week => totalsIn(data.segments, data.counts!, week).n);
    // Every UTC midnight in the 12 weeks is an interval edge: each interval
    // lies within one day.
    const daysPerWeek = tier.weeks.map(week => {
      const days = new Set<number>();
      for (const interval of data.segments.intervalsOf(week)) {
        if (data.counts!.get(interval)?.n) {
          days.add(Math.floor(data.segments.edges[interval] / DAY_MS));
        }
      }
      return days.size;
    });
    return deploymentFrequencyTier(perWeek, daysPerWeek);
  }

  /**
   * Each family's baseline window: the configured period, or the first 4
   * weeks from the family's first fact. Not cut at `until`: a frequency over
   * a cut period would be inflated; facts after `until` are never counted.
   */
  private async baselineWindows(
    familyIds: string[],
    scope: FactScope,
    window: TimeWindow,
  ): Promise<Array<TimeWindow | null>> {
    const period = this.options.baselinePeriod;
    if (period) {
      const endMs = Math.min(period.endMs, window.endMs);
      const fixed = endMs > period.startMs ? { startMs: period.startMs, endMs } : null;
      return familyIds.map(() => fixed);
    }
    const firsts = await this.queries.firstTimes(familyIds.map(familyOf), scope);
    return firsts.map(first =>
      first === undefined ? null : { startMs: first, endMs: first + BASELINE_MS },
    );
  }

  /**
   * The DORA tiers of many scopes over the same window: one statement per
   * family for all of them.
   */
  async doraTiers(
    scopes: FactScope[],
    window: TimeWindow,
  ): Promise<Array<Record<string, DoraTier | null>>> {
    const tier = tierWindows(window.endMs);
    const deploymentSegments = new Segments([window, ...tier.weeks, ...tier.days]);
    const windowSegments = new Segments([window]);
    const each = <T>(value: T) => scopes.map(() => value);
    const [deployments, leadTimes, restores, recoveries] = await Promise.all([
      this.queries.counts(FAMILIES.deployments, scopes, each(deploymentSegments)),
      this.queries.leadTimes(scopes, each(windowSegments)),
      this.queries.values(FAMILIES.incidentsResolved, scopes, each(windowSegments)),
      this.queries.values(FAMILIES.failedDeploymentRecoveries, scopes, each(windowSegments)),
    ]);
    return scopes.map((_, i) => {
      const counts: FamilyData = { segments: deploymentSegments, counts: deployments[i] };
      const lead = evaluate(KPI_COMPUTATIONS['lead-time-for-changes'].measure, { segments: windowSegments, values: byInterval(leadTimes[i]) }, window);
      const cfr = evaluate(KPI_COMPUTATIONS['change-failure-rate'].measure, counts, window);
      const ttr = evaluate(KPI_COMPUTATIONS['time-to-restore'].measure, { segments: windowSegments, values: byInterval(restores[i]) }, window);
      const fdrt = evaluate(
        KPI_COMPUTATIONS['failed-deployment-recovery-time'].measure,
        { segments: windowSegments, values: byInterval(recoveries[i]) },
        window,
      );
      const evidenced = (id: string, e: Evaluation) =>
        e.sampleSize >= this.options.tierMinimumSample ? doraTier(id, e.value) : null;
      return {
        'deployment-frequency': this.frequencyTier(counts, tier),
        'lead-time-for-changes': evidenced('lead-time-for-changes', lead),
        'change-failure-rate': evidenced('change-failure-rate', cfr),
        'time-to-restore': evidenced('time-to-restore', ttr),
        'failed-deployment-recovery-time': evidenced('failed-deployment-recovery-time', fdrt),
      };
    });
  }
}
