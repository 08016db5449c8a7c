import { DoraTier, KpiOwner, PersonaWarning } from './types';

/**
 * A KPI of one entity that got worse since the previous week: its value over
 * the KPI window ending at the review's `until`, against the same window
 * ending a week earlier, judged by the KPI's direction (changes below the
 * steady threshold are left out).
 *
 * @public
 */
export interface ReviewKpiLine {
  entityRef: string;
  kpi: string;
  title: string;
  /** `seconds`, `fraction`, `per-week`, `count`, or a measurement KPI's unit. */
  unit: string;
  direction: 'higher' | 'lower';
  /** Over the window ending at `until`. */
  value: number;
  /** Over the window ending a week before `until`. */
  previous: number;
  /** value − previous, in the KPI's unit. */
  change: number;
  /** (value − previous) / previous; null when previous is 0. */
  changeRatio: number | null;
  target: { op: string; value: number } | null;
  met: boolean | null;
  /** DORA KPIs: the tier now and a week ago (null without one). */
  tier?: DoraTier | null;
  previousTier?: DoraTier | null;
  owner: KpiOwner;
  /** The agreed response when the KPI deteriorates. */
  response: string;
}

/**
 * An SLO objective that spent error budget during the review's week, or
 * whose alert is `page` or `ticket`.
 *
 * @public
 */
export interface ReviewSloLine {
  entityRef: string;
  slo: string;
  displayName?: string;
  objective: string;
  target: number;
  /** Budget remaining at `until` (fraction of the budget; negative when overspent). */
  budgetRemaining: number | null;
  /** Budget remaining a week before `until`. */
  previousBudgetRemaining: number | null;
  /** previousBudgetRemaining − budgetRemaining: the share of the budget spent this week; null without both. */
  budgetSpent: number | null;
  alert: 'page' | 'ticket' | 'ok';
  /** The owner of `slo-compliance` for the SLO's entity. */
  owner: KpiOwner;
  response: string;
}

/**
 * A critical vulnerability open at `until` and detected longer than the SLA
 * before it.
 *
 * @public
 */
export interface ReviewVulnerabilityLine {
  entityRef: string;
  id: string;
  source: string;
  detectedAt: string;
  /** When it became overdue: detectedAt + the SLA. */
  overdueSince: string;
  url?: string;
  /** The owner of `critical-vulnerability-fix-time` for the entity. */
  owner: KpiOwner;
  response: string;
}

/**
 * A postmortem action still open at `until`: `late` when its due time
 * (dueAt, else createdAt + 30 days) has passed, `due` when it falls in the
 * week after `until`.
 *
 * @public
 */
export interface ReviewPostmortemActionLine {
  entityRef: string;
  id: string;
  source: string;
  dueAt: string;
  status: 'late' | 'due';
  incidentId?: string;
  url?: string;
  /** The owner of `postmortem-action-closure-rate` for the entity. */
  owner: KpiOwner;
  response: string;
}

/**
 * Answer of `GET /review/:kind/:namespace/:name?until=`: the weekly review's
 * agenda of a System, Group or other entity (SPEC §9). Every line names its
 * owner; `holderNames` gives their display names.
 *
 * @public
 */
export interface ReviewAgendaResponse {
  entityRef: string;
  /** The week under review: `[until − 7 days, until)`. */
  week: { start: string; end: string };
  /** The KPI window compared (e.g. `30d`), ending at `until` and a week before it. */
  kpiWindow: string;
  /** The entities reviewed: the entity itself, or a rollup's Components. */
  entities: string[];
  /**
   * Components beyond the first 300 (in ref order) whose KPIs were not
   * compared; absent when none were left out. Their SLOs, vulnerabilities
   * and postmortem actions are on the agenda all the same.
   */
  kpisOmitted?: number;
  /** KPIs that got worse since the previous week; targets missed first. */
  kpisWorse: ReviewKpiLine[];
  /** SLO objectives by budget spent this week, most first. */
  slosBurning: ReviewSloLine[];
  /** Overdue critical vulnerabilities, oldest first. */
  overdueVulnerabilities: ReviewVulnerabilityLine[];
  /** Open postmortem actions late or due within a week, earliest due first. */
  postmortemActions: ReviewPostmortemActionLine[];
  /** Display names of every holder the lines name, by ref. */
  holderNames: Record<string, string>;
  /** E.g. lines whose KPI has no owner, or SLOs that could not be read. */
  warnings: PersonaWarning[];
}
