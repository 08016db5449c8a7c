import { BuiltInKpiId } from '@devops-personas/plugin-devops-personas-common';
import { FactFamily, ScopeSql, Sql } from '../database/FactQueries';

const sql = (text: string): Sql => ({ sql: text, bindings: [] });

/**
 * The facts each family of KPIs counts (SPEC §4), as SQL on the facts
 * table (alias `f`). A deployment is one that reached production.
 */
export const FAMILIES = {
  deployments: {
    type: 'deployment',
    time: 'at_ms',
    where: `f.production AND f.status IN ('success', 'rolled_back')`,
    counts: {
      rolledBack: () => sql(`f.status = 'rolled_back'`),
      rework: () => sql(`f.rework`),
      // rolled back, or named by an incident of the entity set known at `until`
      failed: (s: ScopeSql) => {
        const inSet = s.inSetByLookup('i.entity_ref');
        return {
          sql: `f.status = 'rolled_back' OR EXISTS (SELECT 1 FROM devops_personas_facts i WHERE i.caused_by = f.event_id AND i.type = 'incident' AND i.at_ms < ${s.until} AND ${inSet.sql})`,
          bindings: inSet.bindings,
        };
      },
    },
  },
  incidentsStarted: {
    type: 'incident',
    time: 'at_ms',
    counts: { customerImpacting: () => sql(`f.customer_impacting`) },
  },
  incidentsResolved: { type: 'incident', time: 'end_ms', value: 'f.end_ms - f.at_ms' },
  // resolved incidents that name a deployment of the entity set as their cause
  failedDeploymentRecoveries: {
    type: 'incident',
    time: 'end_ms',
    value: 'f.end_ms - f.at_ms',
    where: (s: ScopeSql) => {
      const inSet = s.inSetByLookup('d.entity_ref');
      return {
        sql: `f.caused_by IS NOT NULL AND EXISTS (SELECT 1 FROM devops_personas_facts d WHERE d.event_id = f.caused_by AND d.type = 'deployment' AND d.at_ms < ${s.until} AND ${inSet.sql})`,
        bindings: inSet.bindings,
      };
    },
  },
  criticalFixes: {
    type: 'vulnerability',
    time: 'end_ms',
    where: `f.status = 'critical'`,
    value: 'f.end_ms - f.at_ms',
  },
  alerts: { type: 'alert', time: 'at_ms', counts: { noise: () => sql(`NOT f.actionable`) } },
  pipelineRuns: {
    type: 'pipeline-run',
    time: 'at_ms',
    counts: {
      decided: () => sql(`f.status IN ('success', 'failure')`),
      succeeded: () => sql(`f.status = 'success'`),
      flaky: () => sql(`f.flaky`),
    },
  },
  // due in the window; closed by the due time, as known at `until`
  actionsDue: {
    type: 'postmortem-action',
    time: 'due_ms',
    counts: {
      closedInTime: (s: ScopeSql) =>
        sql(`f.end_ms IS NOT NULL AND f.end_ms < ${s.until} AND f.end_ms <= f.due_ms`),
    },
  },
  merges: { type: 'change', time: 'end_ms', value: 'f.end_ms - f.at_ms' },
} satisfies Record<string, FactFamily>;

/** A family of KPIs reading the same facts; `leadTime` joins changes to their first deployment. */
export type FamilyId = keyof typeof FAMILIES | 'leadTime';

type CountName<F extends keyof typeof FAMILIES> = (typeof FAMILIES)[F] extends {
  counts: infer C;
}
  ? keyof C & string
  : never;

/** How a KPI's value comes out of its family's facts over one window. */
export type KpiMeasure =
  | { kind: 'per-week'; family: 'deployments'; role: string }
  | {
      [F in keyof typeof FAMILIES]: {
        kind: 'rate';
        family: F;
        hit: CountName<F>;
        /** The facts divided by; all the family's facts when not given. */
        of?: CountName<F>;
        roles: { hit: string; other: string };
      };
    }[keyof typeof FAMILIES]
  | {
      [F in keyof typeof FAMILIES]: { kind: 'count'; family: F; hit: CountName<F>; role: string };
    }[keyof typeof FAMILIES]
  | {
      kind: 'median';
      family: 'incidentsResolved' | 'failedDeploymentRecoveries' | 'criticalFixes' | 'merges';
      role: string;
    }
  | { kind: 'lead-time'; family: 'leadTime' };

/** A built-in KPI's computation: its formula (shown by explain) and its measure. */
export interface KpiComputation {
  formula: string;
  measure: KpiMeasure;
}

/**
 * How each built-in KPI of SPEC §4 is computed (its title, unit, owner and
 * response are its definition in the common package). `slo-compliance`
 * comes from the SLO engine.
 */
export const KPI_COMPUTATIONS: Record<Exclude<BuiltInKpiId, 'slo-compliance'>, KpiComputation> = {
  'deployment-frequency': {
    formula:
      'production deployments with status success or rolled_back finished in the window ÷ window length in weeks',
    measure: { kind: 'per-week', family: 'deployments', role: 'deployment' },
  },
  'lead-time-for-changes': {
    formula:
      'median of (first deployment finishedAt − change createdAt) over changes whose first production deployment finished in the window; differences ≤ 0 ignored',
    measure: { kind: 'lead-time', family: 'leadTime' },
  },
  'change-failure-rate': {
    formula:
      'deployments in the window that were rolled_back or caused an incident (causedByDeploymentId) ÷ deployments in the window',
    measure: {
      kind: 'rate',
      family: 'deployments',
      hit: 'failed',
      roles: { hit: 'failed-deployment', other: 'deployment' },
    },
  },
  'time-to-restore': {
    formula: 'median of (resolvedAt − startedAt) over incidents resolved in the window',
    measure: { kind: 'median', family: 'incidentsResolved', role: 'incident' },
  },
  'failed-deployment-recovery-time': {
    formula:
      'median of (resolvedAt − startedAt) over incidents resolved in the window whose causedByDeploymentId names a deployment of the entity set',
    measure: { kind: 'median', family: 'failedDeploymentRecoveries', role: 'failed-deployment-incident' },
  },
  'deployment-rework-rate': {
    formula: 'deployments in the window with rework: true ÷ deployments in the window',
    measure: {
      kind: 'rate',
      family: 'deployments',
      hit: 'rework',
      roles: { hit: 'rework-deployment', other: 'deployment' },
    },
  },
  'rollback-rate': {
    formula: 'rolled_back deployments in the window ÷ deployments in the window',
    measure: {
      kind: 'rate',
      family: 'deployments',
      hit: 'rolledBack',
      roles: { hit: 'rolled-back-deployment', other: 'deployment' },
    },
  },
  'alert-noise': {
    formula: 'alerts fired in the window with actionable: false ÷ all alerts fired in the window',
    measure: {
      kind: 'rate',
      family: 'alerts',
      hit: 'noise',
      roles: { hit: 'non-actionable-alert', other: 'alert' },
    },
  },
  'critical-vulnerability-fix-time': {
    formula: 'median of (fixedAt − detectedAt) over critical vulnerabilities fixed in the window',
    measure: { kind: 'median', family: 'criticalFixes', role: 'fixed-vulnerability' },
  },
  'pipeline-success-rate': {
    formula: 'success runs ÷ (success + failure) runs finished in the window; cancelled runs left out',
    measure: {
      kind: 'rate',
      family: 'pipelineRuns',
      hit: 'succeeded',
      of: 'decided',
      roles: { hit: 'success-run', other: 'failure-run' },
    },
  },
  'flaky-test-rate': {
    formula: 'runs with flaky: true ÷ all runs finished in the window',
    measure: {
      kind: 'rate',
      family: 'pipelineRuns',
      hit: 'flaky',
      roles: { hit: 'flaky-run', other: 'run' },
    },
  },
  'postmortem-action-closure-rate': {
    formula:
      'actions due in the window (dueAt, else createdAt + 30 days) closed by their due time ÷ actions due in the window',
    measure: {
      kind: 'rate',
      family: 'actionsDue',
      hit: 'closedInTime',
      roles: { hit: 'closed-in-time', other: 'not-closed-in-time' },
    },
  },
  'customer-impacting-incidents': {
    formula: 'incidents started in the window with customerImpacting: true',
    measure: {
      kind: 'count',
      family: 'incidentsStarted',
      hit: 'customerImpacting',
      role: 'customer-impacting-incident',
    },
  },
  'pr-turnaround-time': {
    formula: 'median of (mergedAt − createdAt) over changes merged in the window',
    measure: { kind: 'median', family: 'merges', role: 'merged-change' },
  },
};

/** The facts of a measurement KPI (config-declared, fed by `measurement` events). */
export function measurementFamily(kpiId: string): FactFamily {
  return { type: 'measurement', time: 'at_ms', kpi: kpiId, value: 'f.value' };
}

export function measurementFormula(kpiId: string): string {
  return `the latest "${kpiId}" measurement in the window`;
}
