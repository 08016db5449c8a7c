import {
  DoraTier,
  isTargetMet,
  KPI_OWNER_ANNOTATION_PREFIX,
  KPI_TARGET_ANNOTATION_PREFIX,
  KpiOwner,
  KpiResult,
  PersonaWarning,
} from '@internal/plugin-devops-personas-common';
import { KpiDefinition } from '../service/config';
import { ChainLink, PersonaAssignment } from '../service/PersonaResolver';
import { ComputedKpis, Evaluation, KpiFigures } from './compute';
import { doraTier } from './tiers';
import { iso, TimeWindow } from './window';

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

/** The answer for one KPI: its figures with owner, target, baseline change, response and trend. */
export function kpiResult(options: {
  kpi: KpiDefinition;
  figures: KpiFigures;
  computed: ComputedKpis;
  chain: ChainLink[];
  assignments: PersonaAssignment[];
  buckets: TimeWindow[];
}): KpiResult {
  const { kpi, figures, computed, buckets } = options;
  const base = kpiBase(kpi, options.chain, options.assignments);
  const { value, sampleSize } = figures.current;
  const baseline = figures.baseline;
  const change = value !== null && baseline !== null ? value - baseline : null;
  const result: KpiResult = {
    ...base,
    value,
    tier: tierOf(kpi, value, computed.deploymentFrequencyTier),
    sampleSize,
    baseline,
    baselineWindow: figures.baselineWindow
      ? { start: iso(figures.baselineWindow.startMs), end: iso(figures.baselineWindow.endMs) }
      : null,
    change,
    changeRatio: change !== null && baseline ? change / Math.abs(baseline) : null,
    met: base.target ? isTargetMet(value, base.target) : null,
    trend: buckets.map((b, i) => ({ start: iso(b.startMs), end: iso(b.endMs), value: figures.trend[i] })),
  };
  if (kpi.id === 'critical-vulnerability-fix-time') {
    result.overdue = computed.overdueCriticalVulnerabilities;
  }
  return result;
}

function tierOf(kpi: KpiDefinition, value: number | null, frequencyTier: DoraTier): DoraTier | null {
  if (kpi.kind !== 'built-in') return null;
  // a frequency of 0 is a value (tier low), not missing data
  if (kpi.id === 'deployment-frequency') return frequencyTier;
  return doraTier(kpi.id, value);
}

/** Fast but breaking: deployment frequency up by more than 20 % while CFR or TTR got worse. */
export function guardrailWarning(figures: Map<string, KpiFigures>): PersonaWarning | undefined {
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
  const pct = dfBefore ? `${Math.round((dfNow / dfBefore - 1) * 100)} %` : 'from zero';
  return {
    code: 'guardrail',
    message: `Deployment frequency rose ${pct} against the previous window while ${worse.join(' and ')} got worse: fast, but breaking. Slow down until stability recovers.`,
    kpi: 'deployment-frequency',
  };
}

/** Ownerless KPIs, and the KPI annotation warnings of the entity and its chain. */
export function kpiWarnings(
  kpis: KpiResult[],
  definitions: KpiDefinition[],
  chain: ChainLink[],
): PersonaWarning[] {
  const warnings: PersonaWarning[] = [];
  for (const kpi of kpis) {
    if (kpi.owner.provenance !== 'unassigned') continue;
    const persona = definitions.find(k => k.id === kpi.id)?.ownerPersona;
    warnings.push({
      code: 'ownerless-kpi',
      message: persona
        ? `${kpi.title} has no owner: neither ${KPI_OWNER_ANNOTATION_PREFIX}${kpi.id} nor the ${persona} persona is set.`
        : `${kpi.title} has no owner: set ${KPI_OWNER_ANNOTATION_PREFIX}${kpi.id}.`,
      kpi: kpi.id,
      ...(persona ? { persona } : {}),
    });
  }
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
