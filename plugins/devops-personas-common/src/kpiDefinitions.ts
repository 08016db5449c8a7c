import type { BuiltInPersonaId } from './ids';
import type { BuiltInKpiUnit, KpiUnit } from './kpis';

/**
 * The sections of the KPIs tab, in display order. Every KPI answer names one
 * of them in its `group`.
 *
 * @public
 */
export const KPI_GROUPS = [
  { id: 'dora', title: 'DORA metrics' },
  { id: 'flow', title: 'Flow' },
  { id: 'stability', title: 'Stability' },
  { id: 'risk', title: 'Risk' },
  { id: 'measurements', title: 'Measurements' },
] as const satisfies ReadonlyArray<{ id: string; title: string }>;

/**
 * Id of a section of the KPIs tab.
 *
 * @public
 */
export type KpiGroupId = (typeof KPI_GROUPS)[number]['id'];

/**
 * The group of the DORA KPIs; no other KPI may be in it.
 *
 * @public
 */
export const DORA_KPI_GROUP = 'dora' satisfies KpiGroupId;

/**
 * The group of `measurement` KPIs declared in config, unless config puts
 * one elsewhere.
 *
 * @public
 */
export const MEASUREMENT_KPI_GROUP = 'measurements' satisfies KpiGroupId;

/**
 * Everything the plugins know about a built-in KPI apart from how the
 * backend computes it.
 *
 * @public
 */
export interface BuiltInKpiDefinition {
  /** Lower-case id, used in annotations, config and the API (SPEC §4). */
  id: string;
  /** Display title. */
  title: string;
  unit: BuiltInKpiUnit;
  /** Whether a higher value is better. */
  direction: 'higher' | 'lower';
  /** The persona that owns the KPI when no `kpi-owner.*` annotation names one. */
  ownerPersona: BuiltInPersonaId;
  /** The section of the KPIs tab it is shown in. */
  group: KpiGroupId;
  /** One of the DORA KPIs, given a performance tier. */
  dora: boolean;
  /** The agreed response when the KPI deteriorates; config can replace it. */
  response: string;
}

/**
 * The KPIs computed from events, in the order of SPEC §4: one object per
 * KPI. Adding a KPI means adding its object here and its computation in the
 * backend; every other table is derived from this one.
 *
 * @public
 */
export const BUILT_IN_KPIS = [
  {
    id: 'deployment-frequency',
    title: 'Deployment frequency',
    unit: 'per-week',
    direction: 'higher',
    ownerPersona: 'platform-engineer',
    group: 'dora',
    dora: true,
    response:
      'Find what makes releases big or slow (batching, manual approvals, flaky pipelines) and cut the next change smaller.',
  },
  {
    id: 'lead-time-for-changes',
    title: 'Lead time for changes',
    unit: 'seconds',
    direction: 'lower',
    ownerPersona: 'tech-lead',
    group: 'dora',
    dora: true,
    response:
      'Look at where changes wait (review, queue, release train) and remove the longest wait first.',
  },
  {
    id: 'change-failure-rate',
    title: 'Change failure rate',
    unit: 'fraction',
    direction: 'lower',
    ownerPersona: 'tech-lead',
    group: 'dora',
    dora: true,
    response:
      'Review the failed deployments in the next retrospective; add the missing test or check to the pipeline before adding more features.',
  },
  {
    id: 'time-to-restore',
    title: 'Time to restore',
    unit: 'seconds',
    direction: 'lower',
    ownerPersona: 'service-owner',
    group: 'dora',
    dora: true,
    response:
      'Check that the runbook and rollback path work; practise a restore and make rollback one click.',
  },
  {
    id: 'failed-deployment-recovery-time',
    title: 'Failed deployment recovery time',
    unit: 'seconds',
    direction: 'lower',
    ownerPersona: 'service-owner',
    group: 'dora',
    dora: true,
    response:
      'Make rolling back or forward the first move after a bad deployment: one command, rehearsed, and a deployment marker on the dashboards.',
  },
  {
    id: 'deployment-rework-rate',
    title: 'Deployment rework rate',
    unit: 'fraction',
    direction: 'lower',
    ownerPersona: 'tech-lead',
    group: 'flow',
    dora: false,
    response:
      'Trace the unplanned fixes back to their cause and strengthen the quality gate that missed them.',
  },
  {
    id: 'rollback-rate',
    title: 'Rollback rate',
    unit: 'fraction',
    direction: 'lower',
    ownerPersona: 'release-manager',
    group: 'stability',
    dora: false,
    response:
      'Review the rollback plans and pre-production checks of the rolled-back releases.',
  },
  {
    id: 'slo-compliance',
    title: 'SLO compliance',
    unit: 'fraction',
    direction: 'higher',
    ownerPersona: 'service-owner',
    group: 'stability',
    dora: false,
    response:
      'Freeze feature releases for this service until the error budget recovers; spend the time on reliability work.',
  },
  {
    id: 'alert-noise',
    title: 'Alert noise',
    unit: 'fraction',
    direction: 'lower',
    ownerPersona: 'service-owner',
    group: 'stability',
    dora: false,
    response:
      'Delete or tune every alert nobody acted on; page only on symptoms users feel.',
  },
  {
    id: 'critical-vulnerability-fix-time',
    title: 'Critical vulnerability fix time',
    unit: 'seconds',
    direction: 'lower',
    ownerPersona: 'security-owner',
    group: 'risk',
    dora: false,
    response:
      'Escalate overdue critical vulnerabilities to the tech lead and plan the fixes before new features.',
  },
  {
    id: 'pipeline-success-rate',
    title: 'Pipeline success rate',
    unit: 'fraction',
    direction: 'higher',
    ownerPersona: 'platform-engineer',
    group: 'flow',
    dora: false,
    response:
      'Fix or quarantine the top failing stages; a red pipeline stops the line.',
  },
  {
    id: 'flaky-test-rate',
    title: 'Flaky test rate',
    unit: 'fraction',
    direction: 'lower',
    ownerPersona: 'quality-engineer',
    group: 'flow',
    dora: false,
    response:
      'Quarantine flaky tests within a day and give each an owner to fix or delete it.',
  },
  {
    id: 'postmortem-action-closure-rate',
    title: 'Postmortem action closure rate',
    unit: 'fraction',
    direction: 'higher',
    ownerPersona: 'service-owner',
    group: 'stability',
    dora: false,
    response:
      'Review open postmortem actions weekly; re-plan or close them explicitly, never let them rot.',
  },
  {
    id: 'customer-impacting-incidents',
    title: 'Customer-impacting incidents',
    unit: 'count',
    direction: 'lower',
    ownerPersona: 'product-owner',
    group: 'stability',
    dora: false,
    response:
      'Prioritise the reliability work from the last postmortems over new scope in the next release.',
  },
  {
    id: 'pr-turnaround-time',
    title: 'PR turnaround time',
    unit: 'seconds',
    direction: 'lower',
    ownerPersona: 'tech-lead',
    group: 'flow',
    dora: false,
    response:
      'Agree a review time budget (e.g. same day) and keep pull requests small.',
  },
] as const satisfies readonly BuiltInKpiDefinition[];

/**
 * Id of a built-in KPI.
 *
 * @public
 */
export type BuiltInKpiId = (typeof BUILT_IN_KPIS)[number]['id'];

function byKpiId<T>(
  pick: (kpi: (typeof BUILT_IN_KPIS)[number]) => T,
): Readonly<Record<BuiltInKpiId, T>> {
  return Object.fromEntries(
    BUILT_IN_KPIS.map(kpi => [kpi.id, pick(kpi)]),
  ) as Record<BuiltInKpiId, T>;
}

/**
 * Ids of the built-in KPIs, in the order of {@link BUILT_IN_KPIS}.
 *
 * @public
 */
export const BUILT_IN_KPI_IDS: readonly BuiltInKpiId[] = BUILT_IN_KPIS.map(
  kpi => kpi.id,
);

/**
 * The DORA KPIs (the four keys and failed-deployment recovery time), shown first and given a performance tier.
 *
 * @public
 */
export const DORA_KPI_IDS: readonly BuiltInKpiId[] = BUILT_IN_KPIS.filter(
  kpi => kpi.dora,
).map(kpi => kpi.id);

/**
 * The persona that owns each KPI when no `kpi-owner.*` annotation names one.
 *
 * @public
 */
export const DEFAULT_KPI_OWNER_PERSONAS: Readonly<
  Record<BuiltInKpiId, BuiltInPersonaId>
> = byKpiId(kpi => kpi.ownerPersona);

/**
 * Units of the built-in KPIs.
 *
 * @public
 */
export const BUILT_IN_KPI_UNITS: Readonly<Record<BuiltInKpiId, KpiUnit>> =
  byKpiId(kpi => kpi.unit);

/**
 * Display titles of the built-in KPIs.
 *
 * @public
 */
export const BUILT_IN_KPI_TITLES: Readonly<Record<BuiltInKpiId, string>> =
  byKpiId(kpi => kpi.title);

/**
 * Whether a higher value of each built-in KPI is better.
 *
 * @public
 */
export const BUILT_IN_KPI_DIRECTIONS: Readonly<
  Record<BuiltInKpiId, 'higher' | 'lower'>
> = byKpiId(kpi => kpi.direction);

/**
 * The agreed response when a built-in KPI deteriorates; config can replace it.
 *
 * @public
 */
export const BUILT_IN_KPI_RESPONSES: Readonly<Record<BuiltInKpiId, string>> =
  byKpiId(kpi => kpi.response);
