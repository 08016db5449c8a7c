import {
  DoraTier,
  isTargetMet,
  KPI_OWNER_ANNOTATION_PREFIX,
  KPI_TARGET_ANNOTATION_PREFIX,
  KpiOwner,
  KpiResult,
  PersonaWarning,
} from '@devops-personas/plugin-devops-personas-common';
import { KpiDefinition } from '../service/config';
import { ChainLink, PersonaAssignment } from '../service/PersonaResolver';
import { ComputedKpis, Evaluation, KpiFigures, TIER_WEEKS } from './compute';
import { doraTier } from './tiers';
import { iso, TimeWindow, TrendBucket, WEEK_MS } from './window';

const GUARDRAIL_IMPROVEMENT = 0.2;

/**
 * A KPI's owner: a `kpi-owner.*` annotation on the entity or up its chain,
 * else the holders of the KPI's owner persona, else nobody.
 */
export function kpiOwner(
  kpi: KpiDefinition,
  chain: ChainLink[],
  assignments: PersonaAssignment[],
): KpiOwner {
  const index = chain.findIndex(link => link.parsed.kpiOwners[kpi.id]?.length);
  if (index >= 0) {
    return {
      holders: chain[index].parsed.kpiOwners[kpi.id],
      provenance: index === 0 ? 'explicit' : `inherited:${chain[index].ref}`,
    };
  }
  const persona = assignments.find(a => a.definition.id === kpi.ownerPersona);
  if (persona?.refs.length) {
    return { holders: persona.refs, provenance: `via-persona:${persona.definition.id}` };
  }
  return { holders: [], provenance: 'unassigned' };
}

/** A KPI's target: from a `kpi-target.*` annotation up the chain, else config. */
export function kpiTarget(kpi: KpiDefinition, chain: ChainLink[]) {
  const link = chain.find(l => l.parsed.kpiTargets[kpi.id]);
  if (link) return { target: link.parsed.kpiTargets[kpi.id], targetSource: `annotation:${link.ref}` };
  if (kpi.target) return { target: kpi.target, targetSource: 'config' };
  return { target: null, targetSource: null };
}

/** What every KPI answer says of its definition: title, unit, owner, target, response. */
export function kpiBase(kpi: KpiDefinition, chain: ChainLink[], assignments: PersonaAssignment[]) {
  return {
    id: kpi.id,
    title: kpi.title,
    unit: kpi.unit,
    direction: kpi.direction,
    kind: kpi.kind,
    group: kpi.group,
    dora: kpi.dora,
    ...kpiTarget(kpi, chain),
    owner: kpiOwner(kpi, chain, assignments),
    response: kpi.response,
  };
}

/** How a KPI answer judges and tiers its figures (from config). */
export interface JudgementOptions {
  tierMinimumSample: number;
  steadyChange: { points: number; ratio: number };
}

/** What the sample of each tiered KPI counts, for "too few … for a tier". */
const TIER_SAMPLE_NOUNS: Record<string, [string, string]> = {
  'lead-time-for-changes': ['change', 'changes'],
  'change-failure-rate': ['deployment', 'deployments'],
  'time-to-restore': ['resolved incident', 'resolved incidents'],
  'failed-deployment-recovery-time': ['resolved incident', 'resolved incidents'],
};

/**
 * A DORA KPI's tier with the period it is computed over, or why there is
 * none: no data, or a sample below the minimum (SPEC §4).
 */
export function tierWithEvidence(
  kpi: { id: string; kind: string },
  figures: { value: number | null; sampleSize: number },
  window: TimeWindow,
  frequencyTier: DoraTier,
  minimumSample: number,
): Pick<KpiResult, 'tier' | 'tierPeriod' | 'tierNote'> {
  if (kpi.kind !== 'built-in') return { tier: null, tierPeriod: null, tierNote: null };
  if (kpi.id === 'deployment-frequency') {
    // a frequency of 0 is a value (tier low), not missing data; its tier has its own 12 weeks
    return {
      tier: frequencyTier,
      tierPeriod: { start: iso(window.endMs - TIER_WEEKS * WEEK_MS), end: iso(window.endMs) },
      tierNote: null,
    };
  }
  const nouns = TIER_SAMPLE_NOUNS[kpi.id];
  if (!nouns || doraTier(kpi.id, 0) === null) return { tier: null, tierPeriod: null, tierNote: null };
  const tierPeriod = { start: iso(window.startMs), end: iso(window.endMs) };
  if (figures.value === null) {
    return { tier: null, tierPeriod, tierNote: `No tier: no ${nouns[1]} in this window.` };
  }
  if (figures.sampleSize < minimumSample) {
    const counted = `${figures.sampleSize} ${figures.sampleSize === 1 ? nouns[0] : nouns[1]}`;
    return {
      tier: null,
      tierPeriod,
      tierNote: `No tier: ${counted} in this window; a tier needs at least ${minimumSample}.`,
    };
  }
  return { tier: doraTier(kpi.id, figures.value), tierPeriod, tierNote: null };
}

/**
 * Better, worse or steady against the baseline, by the KPI's direction.
 * Rates move in percentage points; anything else relative to its baseline.
 */
export function assessChange(
  kpi: { unit: string; direction: 'higher' | 'lower' },
  change: number | null,
  changeRatio: number | null,
  steady: JudgementOptions['steadyChange'],
): KpiResult['assessment'] {
  if (change === null) return null;
  if (kpi.unit === 'fraction') {
    if (Math.abs(change) * 100 < steady.points) return 'steady';
  } else if (changeRatio !== null) {
    if (Math.abs(changeRatio) < steady.ratio) return 'steady';
  } else if (change === 0) {
    return 'steady';
  }
  return (change > 0) === (kpi.direction === 'higher') ? 'better' : 'worse';
}

/** The answer for one KPI: its figures with owner, target, baseline change, response and trend. */
export function kpiResult(options: {
  kpi: KpiDefinition;
  figures: KpiFigures;
  computed: ComputedKpis;
  chain: ChainLink[];
  assignments: PersonaAssignment[];
  window: TimeWindow;
  buckets: TrendBucket[];
  judgement: JudgementOptions;
}): KpiResult {
  const { kpi, figures, computed, window, buckets, judgement } = options;
  const base = kpiBase(kpi, options.chain, options.assignments);
  const { value, sampleSize } = figures.current;
  const baseline = figures.baseline;
  const change = value !== null && baseline !== null ? value - baseline : null;
  const changeRatio = change !== null && baseline ? change / Math.abs(baseline) : null;
  const result: KpiResult = {
    ...base,
    value,
    ...tierWithEvidence(kpi, figures.current, window, computed.deploymentFrequencyTier, judgement.tierMinimumSample),
    sampleSize,
    baseline,
    baselineWindow: figures.baselineWindow
      ? { start: iso(figures.baselineWindow.startMs), end: iso(figures.baselineWindow.endMs) }
      : null,
    change,
    changeRatio,
    assessment: assessChange(kpi, change, changeRatio, judgement.steadyChange),
    met: base.target ? isTargetMet(value, base.target) : null,
    trend: trendPoints(buckets, figures.trend),
  };
  if (figures.previous) {
    const previous = previousWindow(window);
    result.previous = {
      value: figures.previous.value,
      start: iso(previous.startMs),
      end: iso(previous.endMs),
    };
  }
  if (kpi.id === 'critical-vulnerability-fix-time') {
    result.overdue = computed.overdueCriticalVulnerabilities;
  }
  return result;
}

/** The window of the same length just before `window`. */
export function previousWindow(window: TimeWindow): TimeWindow {
  return { startMs: 2 * window.startMs - window.endMs, endMs: window.startMs };
}

/** Trend points; a bucket the window cuts is marked `partial` (SPEC §4). */
export function trendPoints(buckets: TrendBucket[], values: Array<number | null>): KpiResult['trend'] {
  return buckets.map((b, i) => ({
    start: iso(b.startMs),
    end: iso(b.endMs),
    value: values[i] ?? null,
    partial: b.partial,
  }));
}
const GUARDRAIL_KPI_NAMES: Record<string, string> = {
  'change-failure-rate': 'change failure rate',
  'time-to-restore': 'time to restore',
};

/**
 * Fast but breaking: deployment frequency up by more than 20 % against the
 * previous window while CFR or TTR got worse. The message names the windows
 * it compares, as the KPI cards compare against the baseline instead.
 */
export function guardrailWarning(
  figures: Map<string, KpiFigures>,
  window: TimeWindow,
): PersonaWarning | undefined {
  const pair = (id: string): [Evaluation, Evaluation] | undefined => {
    const f = figures.get(id);
    return f?.previous ? [f.current, f.previous] : undefined;
  };
  const df = pair('deployment-frequency');
  if (!df) return undefined;
  const dfNow = df[0].value!;
  const dfBefore = df[1].value!;
  if (!(dfNow > dfBefore * (1 + GUARDRAIL_IMPROVEMENT) && dfNow > dfBefore)) return undefined;
  const worse = ['change-failure-rate', 'time-to-restore'].filter(id => {
    const p = pair(id);
    return p && p[0].value !== null && p[1].value !== null && p[0].value > p[1].value;
  });
  if (!worse.length) return undefined;
  const previous = previousWindow(window);
  const day = (ms: number) => iso(ms).slice(0, 10);
  const pct = dfBefore ? `${Math.round((dfNow / dfBefore - 1) * 100)} %` : 'from zero';
  const perWeek = (n: number) => `${Math.round(n * 10) / 10}`;
  return {
    code: 'guardrail',
    message:
      `Deployment frequency rose ${pct} against the previous window ` +
      `(${day(previous.startMs)} to ${day(previous.endMs - 1)}: ${perWeek(dfBefore)} → ${perWeek(dfNow)} per week) ` +
      `while ${worse.map(id => GUARDRAIL_KPI_NAMES[id]).join(' and ')} got worse over the same windows: fast, but breaking. ` +
      `Slow down until stability recovers.`,
    kpi: 'deployment-frequency',
  };
}

/** The KPIs nobody owns: no kpi-owner annotation up the chain, no holder of their owner persona. */
export function kpisWithoutOwner(
  definitions: KpiDefinition[],
  chain: ChainLink[],
  assignments: PersonaAssignment[],
): KpiDefinition[] {
  return definitions.filter(kpi => kpiOwner(kpi, chain, assignments).provenance === 'unassigned');
}

/** One `ownerless-kpi` warning per KPI of an entity that nobody owns. */
export function ownerlessKpiWarnings(kpis: KpiResult[], definitions: KpiDefinition[]): PersonaWarning[] {
  return kpis
    .filter(kpi => kpi.owner.provenance === 'unassigned')
    .map(kpi => {
      const persona = definitions.find(k => k.id === kpi.id)?.ownerPersona;
      return {
        code: 'ownerless-kpi',
        message: persona
          ? `${kpi.title} has no owner: neither ${KPI_OWNER_ANNOTATION_PREFIX}${kpi.id} nor the ${persona} persona is set.`
          : `${kpi.title} has no owner: set ${KPI_OWNER_ANNOTATION_PREFIX}${kpi.id}.`,
        kpi: kpi.id,
        ...(persona ? { persona } : {}),
      };
    });
}

/**
 * A rollup's ownerless KPIs belong to its Components: one warning naming
 * those that have some, none when every Component's KPIs are owned.
 */
export function rollupOwnerlessWarning(components: number, withGaps: string[]): PersonaWarning[] {
  const n = withGaps.length;
  if (!n) return [];
  return [
    {
      code: 'ownerless-kpi',
      message: `${n} of ${components} Components ${n === 1 ? 'has' : 'have'} ownerless KPIs: set the owner persona or a kpi-owner annotation on ${n === 1 ? 'it' : 'them'}.`,
      entities: withGaps,
    },
  ];
}

/** The invalid kpi-owner and kpi-target annotations of the entity and its chain. */
export function kpiAnnotationWarnings(chain: ChainLink[]): PersonaWarning[] {
  const warnings: PersonaWarning[] = [];
  for (const link of chain) {
    for (const w of link.parsed.warnings) {
      if (
        w.key?.startsWith(KPI_OWNER_ANNOTATION_PREFIX) ||
        w.key?.startsWith(KPI_TARGET_ANNOTATION_PREFIX)
      ) {
        warnings.push(link === chain[0] ? w : { ...w, entityRef: link.ref });
      }
    }
  }
  return warnings;
}
