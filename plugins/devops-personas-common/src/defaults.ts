import { ANNOTATION_PREFIX, BuiltInPersonaId, CORE_PERSONA_IDS } from './ids';
import { PersonaCanvas, PersonaDefinition } from './types';

/**
 * Display titles of the built-in personas.
 *
 * @public
 */
export const BUILT_IN_PERSONA_TITLES: Readonly<
  Record<BuiltInPersonaId, string>
> = {
  'product-owner': 'Product Owner',
  'tech-lead': 'Tech Lead',
  'platform-engineer': 'Platform Engineer',
  'service-owner': 'Service Owner',
  'security-owner': 'Security Owner',
  'quality-engineer': 'Quality Engineer',
  'release-manager': 'Release Manager',
};

/**
 * The built-in persona canvas: one per persona, from the persona canvas idea
 * of the product contract. Config can change or extend any of it.
 *
 * @public
 */
export const BUILT_IN_PERSONA_CANVAS: Readonly<
  Record<BuiltInPersonaId, PersonaCanvas>
> = {
  'product-owner': {
    mission:
      'Maximise the value the service delivers to its users, and make the trade-off between features and reliability explicit.',
    decisions: [
      'Priority and scope of each release',
      'Business go-live approval',
      'How much error budget may be spent on feature work',
    ],
    accountability:
      'The outcome for users and the business: the right things ship, in the right order.',
    deliverables: [
      'Ordered backlog and release goals',
      'Acceptance criteria',
      'Stakeholder communication for releases and incidents',
    ],
    kpis: [
      'customer-impacting-incidents',
      'deployment-frequency',
      'lead-time-for-changes',
      'slo-compliance',
    ],
    interfaces: ['tech-lead', 'service-owner', 'release-manager'],
    antiGoals: [
      'Deadlines that override the error budget',
      'A feature factory that never pays back technical debt',
      'Scope changes after the release freeze',
    ],
  },
  'tech-lead': {
    mission:
      'Keep the architecture sound and the code changeable, so the team can deliver small changes safely and often.',
    decisions: [
      'Architecture and technical standards',
      'Changes to the delivery pipeline of the service',
      'Technical go-live readiness and rollback plans',
    ],
    accountability:
      'Technical quality: changes reach production quickly without breaking it.',
    deliverables: [
      'Architecture decision records',
      'Coding and review standards',
      'Technical debt register',
    ],
    kpis: [
      'lead-time-for-changes',
      'change-failure-rate',
      'deployment-rework-rate',
      'pr-turnaround-time',
    ],
    interfaces: [
      'product-owner',
      'platform-engineer',
      'service-owner',
      'security-owner',
    ],
    antiGoals: [
      'Hero mode: one person who knows and merges everything',
      'Big-bang releases',
      'Reviews that wait for days',
    ],
  },
  'platform-engineer': {
    mission:
      'Offer a golden path (CI/CD, infrastructure as code, environments) that makes the safe way the easy way.',
    decisions: [
      'CI/CD tooling and pipeline templates',
      'Infrastructure as code modules and environment standards',
      'Golden-path defaults',
    ],
    accountability:
      'A reliable, self-service delivery platform that teams actually use.',
    deliverables: [
      'Pipeline templates',
      'Infrastructure as code modules',
      'Self-service environments and docs',
    ],
    kpis: [
      'deployment-frequency',
      'pipeline-success-rate',
      'flaky-test-rate',
      'lead-time-for-changes',
    ],
    interfaces: ['tech-lead', 'security-owner', 'service-owner'],
    antiGoals: [
      'Manual arming of deployments',
      'A ticket factory for environments',
      'Snowflake pipelines per team',
    ],
  },
  'service-owner': {
    mission:
      'Run the service reliably in production: SLOs that users feel, alerts that matter, incidents handled and learned from.',
    decisions: [
      'SLOs, alerting rules and on-call rotation',
      'Operational go-live approval',
      'Freezing releases when the error budget is spent',
    ],
    accountability:
      'Availability and performance as users see them, and the follow-up of every incident.',
    deliverables: [
      'SLO definitions and dashboards',
      'Runbooks and on-call rotation',
      'Postmortems with tracked actions',
    ],
    kpis: [
      'slo-compliance',
      'time-to-restore',
      'alert-noise',
      'postmortem-action-closure-rate',
      'change-failure-rate',
    ],
    interfaces: ['tech-lead', 'product-owner', 'platform-engineer'],
    antiGoals: [
      'Alert fatigue: pages nobody acts on',
      'Blame in postmortems',
      'Postmortem actions that are never closed',
    ],
  },
  'security-owner': {
    mission:
      'Build security into the pipeline so that vulnerabilities are found early and fixed within their SLA.',
    decisions: [
      'SAST, SCA and IaC scanning policy',
      'Vulnerability severity and fix SLAs',
      'Security exceptions',
    ],
    accountability:
      'Known critical vulnerabilities are fixed in time and nothing ships around the controls.',
    deliverables: [
      'Pipeline security controls',
      'Vulnerability SLA and exception process',
      'Threat models for critical changes',
    ],
    kpis: [
      'critical-vulnerability-fix-time',
      'pipeline-success-rate',
      'change-failure-rate',
    ],
    interfaces: ['platform-engineer', 'tech-lead', 'quality-engineer'],
    antiGoals: [
      'Security as a gate at the end of the release',
      'Findings thrown over the wall without context',
      'Permanent exceptions',
    ],
  },
  'quality-engineer': {
    mission:
      'Make quality visible and automatic: a test strategy and quality gates the team trusts.',
    decisions: [
      'Test strategy and automation priorities',
      'Quality gates in the pipeline',
      'Quarantine of flaky tests',
    ],
    accountability:
      'Tests that catch regressions before users do, and stay fast and deterministic.',
    deliverables: [
      'Test strategy',
      'Automated test suites and quality gates',
      'Flaky-test reports',
    ],
    kpis: [
      'flaky-test-rate',
      'change-failure-rate',
      'deployment-rework-rate',
      'pipeline-success-rate',
    ],
    interfaces: ['tech-lead', 'platform-engineer', 'release-manager'],
    antiGoals: [
      'Manual regression phases before every release',
      'Tests that are retried until green',
      'QA as the only owner of quality',
    ],
  },
  'release-manager': {
    mission:
      'Coordinate releases so they are predictable, reversible and boring.',
    decisions: [
      'Release schedule and freeze windows',
      'Rollback and roll-forward plans',
      'Change approval for coordinated releases',
    ],
    accountability:
      'Every release has a plan, an owner and a way back.',
    deliverables: [
      'Release calendar',
      'Rollback plans',
      'Release notes and change records',
    ],
    kpis: [
      'rollback-rate',
      'change-failure-rate',
      'deployment-frequency',
    ],
    interfaces: ['tech-lead', 'product-owner', 'quality-engineer'],
    antiGoals: [
      'Change advisory boards that only add waiting',
      'Releases without a rollback plan',
      'Manual release checklists',
    ],
  },
};

/**
 * The built-in persona definitions, in display order.
 *
 * @public
 */
export const BUILT_IN_PERSONAS: readonly PersonaDefinition[] = (
  Object.keys(BUILT_IN_PERSONA_TITLES) as BuiltInPersonaId[]
).map(id => ({
  id,
  title: BUILT_IN_PERSONA_TITLES[id],
  annotation: `${ANNOTATION_PREFIX}${id}`,
  core: CORE_PERSONA_IDS.includes(id),
  canvas: BUILT_IN_PERSONA_CANVAS[id],
}));

/**
 * RACI role letter.
 *
 * @public
 */
export type RaciRole = 'R' | 'A' | 'C' | 'I';

/**
 * A RACI scenario: who is Responsible, Accountable, Consulted and Informed,
 * as persona ids. `stakeholders` stands for the entity's owner.
 *
 * @public
 */
export interface RaciScenario {
  id: string;
  title: string;
  R: string[];
  A: string[];
  C: string[];
  I: string[];
  /** Labels of the accountable personas when there are several by design. */
  accountableQualifiers?: Record<string, string>;
}

/**
 * The pseudo persona of the RACI table that stands for the entity's owner.
 *
 * @public
 */
export const STAKEHOLDERS = 'stakeholders';

/**
 * The nine default RACI scenarios (SPEC §3).
 *
 * @public
 */
export const DEFAULT_RACI_SCENARIOS: readonly RaciScenario[] = [
  {
    id: 'release-scope',
    title: 'Priority and release scope',
    R: ['product-owner'],
    A: ['product-owner'],
    C: ['tech-lead', 'service-owner'],
    I: [STAKEHOLDERS],
  },
  {
    id: 'pipeline-change',
    title: 'CI/CD pipeline change (new stage, new policy)',
    R: ['platform-engineer'],
    A: ['tech-lead'],
    C: ['security-owner', 'quality-engineer'],
    I: ['product-owner', 'service-owner'],
  },
  {
    id: 'slos-and-alerts',
    title: 'SLOs and alerts',
    R: ['service-owner'],
    A: ['service-owner'],
    C: ['tech-lead'],
    I: ['product-owner'],
  },
  {
    id: 'critical-incident',
    title: 'Critical incident affecting users',
    R: ['service-owner'],
    A: ['tech-lead'],
    C: ['product-owner', 'platform-engineer', 'security-owner'],
    I: [STAKEHOLDERS],
  },
  {
    id: 'postmortem',
    title: 'Incident postmortem and follow-up',
    R: ['service-owner'],
    A: ['service-owner'],
    C: ['tech-lead', 'platform-engineer'],
    I: ['product-owner'],
  },
  {
    id: 'critical-vulnerability',
    title: 'Critical vulnerability fix before release',
    R: ['security-owner'],
    A: ['tech-lead'],
    C: ['platform-engineer', 'quality-engineer'],
    I: ['product-owner', 'service-owner'],
  },
  {
    id: 'scanning-policy',
    title: 'SAST/SCA/IaC scanning policy',
    R: ['security-owner'],
    A: ['security-owner'],
    C: ['platform-engineer'],
    I: ['tech-lead', 'product-owner'],
  },
  {
    id: 'go-live-approval',
    title: 'Go-live approval (risk)',
    R: ['tech-lead'],
    A: ['product-owner', 'service-owner'],
    C: ['security-owner'],
    I: [STAKEHOLDERS],
    accountableQualifiers: {
      'product-owner': 'business',
      'service-owner': 'operational',
    },
  },
  {
    id: 'release-and-rollback',
    title: 'Release schedule and rollback plan',
    R: ['release-manager'],
    A: ['tech-lead'],
    C: ['platform-engineer', 'quality-engineer'],
    I: ['product-owner', 'service-owner'],
  },
];
