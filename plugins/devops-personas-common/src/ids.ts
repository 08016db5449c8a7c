/**
 * The id of this plugin, used for its backend route and permissions.
 *
 * @public
 */
export const DEVOPS_PERSONAS_PLUGIN_ID = 'devops-personas';

/**
 * The prefix of every annotation this plugin reads.
 *
 * @public
 */
export const ANNOTATION_PREFIX = 'devops-personas.io/';

/**
 * The seven built-in personas, in the order they are shown.
 *
 * @public
 */
export const BUILT_IN_PERSONA_IDS = [
  'product-owner',
  'tech-lead',
  'platform-engineer',
  'service-owner',
  'security-owner',
  'quality-engineer',
  'release-manager',
] as const;

/**
 * Id of a built-in persona.
 *
 * @public
 */
export type BuiltInPersonaId = (typeof BUILT_IN_PERSONA_IDS)[number];

/**
 * The personas every entity is expected to have; a missing one raises an
 * `unassigned-persona` warning.
 *
 * @public
 */
export const CORE_PERSONA_IDS: readonly BuiltInPersonaId[] = [
  'product-owner',
  'tech-lead',
  'platform-engineer',
  'service-owner',
  'security-owner',
];

/**
 * The KPIs computed from events (SPEC §4).
 *
 * @public
 */
export const BUILT_IN_KPI_IDS = [
  'deployment-frequency',
  'lead-time-for-changes',
  'change-failure-rate',
  'time-to-restore',
  'deployment-rework-rate',
  'rollback-rate',
  'slo-compliance',
  'alert-noise',
  'critical-vulnerability-fix-time',
  'pipeline-success-rate',
  'flaky-test-rate',
  'postmortem-action-closure-rate',
  'customer-impacting-incidents',
  'pr-turnaround-time',
] as const;

/**
 * Id of a built-in KPI.
 *
 * @public
 */
export type BuiltInKpiId = (typeof BUILT_IN_KPI_IDS)[number];

/**
 * The four DORA KPIs, shown first and given a performance tier.
 *
 * @public
 */
export const DORA_KPI_IDS: readonly BuiltInKpiId[] = [
  'deployment-frequency',
  'lead-time-for-changes',
  'change-failure-rate',
  'time-to-restore',
];

/**
 * The persona that owns each KPI when no `kpi-owner.*` annotation names one.
 *
 * @public
 */
export const DEFAULT_KPI_OWNER_PERSONAS: Readonly<
  Record<BuiltInKpiId, BuiltInPersonaId>
> = {
  'deployment-frequency': 'platform-engineer',
  'lead-time-for-changes': 'tech-lead',
  'change-failure-rate': 'tech-lead',
  'time-to-restore': 'service-owner',
  'deployment-rework-rate': 'tech-lead',
  'rollback-rate': 'release-manager',
  'slo-compliance': 'service-owner',
  'alert-noise': 'service-owner',
  'critical-vulnerability-fix-time': 'security-owner',
  'pipeline-success-rate': 'platform-engineer',
  'flaky-test-rate': 'quality-engineer',
  'postmortem-action-closure-rate': 'service-owner',
  'customer-impacting-incidents': 'product-owner',
  'pr-turnaround-time': 'tech-lead',
};
