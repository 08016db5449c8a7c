import { createHash } from 'crypto';
import {
  EntityKpisResponse,
  KpiResult,
  PersonaWarning,
  SloObjectiveResult,
  SloResult,
} from '@devops-personas/plugin-devops-personas-common';
import { ConditionKind } from './transitions';

/** An entity's own SLOs as computed, with the warnings of reading them. */
export interface EntitySloFigures {
  slos: SloResult[];
  warnings: PersonaWarning[];
}

/** One condition of an entity as it is now. */
export interface Observation {
  /** Its key, e.g. `kpi:change-failure-rate` or `slo:checkout-availability:0`. */
  condition: string;
  kind: ConditionKind;
  state: string;
  /** The KPI it belongs to: its owner and response go with the notification. */
  kpi: KpiResult;
  slo?: { result: SloResult; objective: SloObjectiveResult };
  /** The guardrail warning's sentence. */
  guardrail?: string;
}

const MAX_CONDITION_LENGTH = 255;

/** A condition key that fits its column: long SLO names are hashed. */
function sloCondition(name: string, objective: number): string {
  const key = `slo:${name}:${objective}`;
  if (key.length <= MAX_CONDITION_LENGTH) return key;
  return `slo:${createHash('sha256').update(name).digest('hex')}:${objective}`;
}

/**
 * The conditions SPEC §9 watches on one entity, read off its KPI and SLO
 * answers: each KPI with a target (met or missed), each DORA tier, overdue
 * critical vulnerabilities, the guardrail, and the alert of each objective
 * of the entity's own SLOs. Opted-out KPIs are left out, with what belongs
 * to them (`slo-compliance`: the SLO alerts; `deployment-frequency`: the
 * guardrail).
 */
export function observe(
  kpis: EntityKpisResponse,
  slos: EntitySloFigures | undefined,
  excluded: ReadonlySet<string>,
): Observation[] {
  const observations: Observation[] = [];
  const byId = new Map(kpis.kpis.map(k => [k.id, k]));
  for (const kpi of kpis.kpis) {
    if (excluded.has(kpi.id)) continue;
    if (kpi.met !== null) {
      observations.push({ condition: `kpi:${kpi.id}`, kind: 'kpi', state: kpi.met ? 'met' : 'missed', kpi });
    }
    if (kpi.dora && kpi.tier) {
      observations.push({ condition: `tier:${kpi.id}`, kind: 'tier', state: kpi.tier, kpi });
    }
    if (kpi.id === 'critical-vulnerability-fix-time' && typeof kpi.overdue === 'number') {
      observations.push({ condition: 'vulnerabilities', kind: 'vulnerabilities', state: String(kpi.overdue), kpi });
    }
  }

  const frequency = byId.get('deployment-frequency');
  if (frequency && !excluded.has(frequency.id)) {
    const warning = kpis.warnings.find(w => w.code === 'guardrail');
    observations.push({
      condition: 'guardrail',
      kind: 'guardrail',
      state: warning ? 'raised' : 'clear',
      kpi: frequency,
      guardrail: warning?.message,
    });
  }

  const compliance = byId.get('slo-compliance');
  if (compliance && !excluded.has(compliance.id)) {
    for (const result of slos?.slos ?? []) {
      if (result.entityRef !== kpis.entityRef) continue;
      // Figures that could not be read, or no data yet: the alert is unknown, not ok.
      const unread = result.dataSource.type === 'prometheus' && Boolean(result.dataSource.error);
      result.objectives.forEach((objective, index) => {
        if (unread || objective.attainment === null) return;
        observations.push({
          condition: sloCondition(result.name, index),
          kind: 'slo',
          state: objective.alert,
          kpi: compliance,
          slo: { result, objective },
        });
      });
    }
  }
  return observations;
}

/**
 * Whether the SLO answer is complete enough to tell that an SLO condition
 * not observed is gone: no document that could not be read, no objective
 * without figures.
 */
export function slosFullyRead(slos: EntitySloFigures | undefined): boolean {
  if (!slos) return true;
  if (slos.warnings.some(w => w.code === 'slo-source-unavailable' || w.code === 'invalid-slo')) return false;
  return slos.slos.every(
    slo =>
      !(slo.dataSource.type === 'prometheus' && slo.dataSource.error) &&
      slo.objectives.every(o => o.attainment !== null),
  );
}
