import { BuiltInKpiId } from './ids';

/**
 * Unit of a KPI value: durations in seconds, rates as fractions in [0, 1],
 * deployment frequency per week, plain counts.
 *
 * @public
 */
export type KpiUnit = 'seconds' | 'fraction' | 'per-week' | 'count' | string;

/**
 * Units of the built-in KPIs.
 *
 * @public
 */
export const BUILT_IN_KPI_UNITS: Readonly<Record<BuiltInKpiId, KpiUnit>> = {
  'deployment-frequency': 'per-week',
  'lead-time-for-changes': 'seconds',
  'change-failure-rate': 'fraction',
  'time-to-restore': 'seconds',
  'deployment-rework-rate': 'fraction',
  'rollback-rate': 'fraction',
  'slo-compliance': 'fraction',
  'alert-noise': 'fraction',
  'critical-vulnerability-fix-time': 'seconds',
  'pipeline-success-rate': 'fraction',
  'flaky-test-rate': 'fraction',
  'postmortem-action-closure-rate': 'fraction',
  'customer-impacting-incidents': 'count',
  'pr-turnaround-time': 'seconds',
};

/**
 * Comparison of a KPI target.
 *
 * @public
 */
export type KpiTargetOp = '<' | '<=' | '>' | '>=' | '=';

/**
 * A KPI target, in the KPI's own unit (seconds, fraction, per week, count).
 *
 * @public
 */
export interface KpiTarget {
  op: KpiTargetOp;
  value: number;
}

const DURATION_SECONDS: Record<string, number> = {
  s: 1,
  sec: 1,
  m: 60,
  min: 60,
  h: 3600,
  d: 86400,
  w: 604800,
};

const PER_WEEK: Record<string, number> = {
  '/week': 1,
  '/w': 1,
  '/day': 7,
  '/d': 7,
};

const TARGET_PATTERN =
  /^(<=|>=|<|>|=)\s*(\d+(?:\.\d+)?)\s*(%|[a-z]+|\/[a-z]+)?$/;

/**
 * Parses a KPI target such as `< 1d`, `>= 99.5%`, `<= 10%` or `>= 3/week`
 * into the KPI's unit. Durations accept `s`, `m`, `h`, `d`, `w`; fractions
 * accept a percentage or a plain number in [0, 1]; frequencies accept
 * `/week` or `/day`.
 *
 * @returns the target, or an error message saying what is wrong
 * @public
 */
export function parseKpiTarget(
  raw: string,
  unit: KpiUnit,
): { target: KpiTarget } | { error: string } {
  const match = TARGET_PATTERN.exec(raw.trim().toLowerCase());
  if (!match) {
    return {
      error: `expected a comparison and a number, like "< 1d", ">= 99.5%" or "<= 10%"`,
    };
  }
  const op = match[1] as KpiTargetOp;
  const amount = Number(match[2]);
  if (!Number.isFinite(amount)) {
    return { error: `"${match[2]}" is too large a number` };
  }
  const suffix = match[3];
  // Own keys only: "constructor" is no unit.
  const has = (table: Record<string, number>, key: string) =>
    Object.prototype.hasOwnProperty.call(table, key);
  const target = (value: number) => ({ target: { op, value } });

  switch (unit) {
    case 'seconds':
      if (suffix === undefined) return target(amount);
      if (has(DURATION_SECONDS, suffix)) {
        return target(amount * DURATION_SECONDS[suffix]);
      }
      return {
        error: `"${suffix}" is not a duration unit; use s, m, h, d or w`,
      };
    case 'fraction': {
      let value = amount;
      if (suffix === '%') value = amount / 100;
      else if (suffix !== undefined) {
        return { error: `"${suffix}" is not a rate; use a percentage like 10%` };
      }
      if (value > 1) {
        return { error: `a rate must lie between 0% and 100%` };
      }
      return target(value);
    }
    case 'per-week':
      if (suffix === undefined) return target(amount);
      if (has(PER_WEEK, suffix)) return target(amount * PER_WEEK[suffix]);
      return {
        error: `"${suffix}" is not a frequency; use /week or /day`,
      };
    default:
      if (suffix === undefined) return target(amount);
      if (suffix === '%' && unit === 'percent') return target(amount);
      return {
        error: `"${suffix}" does not fit the unit "${unit}"; give a plain number`,
      };
  }
}

/**
 * Whether a value meets a target; `null` when there is no value.
 *
 * @public
 */
export function isTargetMet(
  value: number | null,
  target: KpiTarget,
): boolean | null {
  if (value === null) return null;
  switch (target.op) {
    case '<':
      return value < target.value;
    case '<=':
      return value <= target.value;
    case '>':
      return value > target.value;
    case '>=':
      return value >= target.value;
    default:
      return value === target.value;
  }
}

/**
 * Display titles of the built-in KPIs.
 *
 * @public
 */
export const BUILT_IN_KPI_TITLES: Readonly<Record<BuiltInKpiId, string>> = {
  'deployment-frequency': 'Deployment frequency',
  'lead-time-for-changes': 'Lead time for changes',
  'change-failure-rate': 'Change failure rate',
  'time-to-restore': 'Time to restore',
  'deployment-rework-rate': 'Deployment rework rate',
  'rollback-rate': 'Rollback rate',
  'slo-compliance': 'SLO compliance',
  'alert-noise': 'Alert noise',
  'critical-vulnerability-fix-time': 'Critical vulnerability fix time',
  'pipeline-success-rate': 'Pipeline success rate',
  'flaky-test-rate': 'Flaky test rate',
  'postmortem-action-closure-rate': 'Postmortem action closure rate',
  'customer-impacting-incidents': 'Customer-impacting incidents',
  'pr-turnaround-time': 'PR turnaround time',
};

/**
 * Whether a higher value of each built-in KPI is better.
 *
 * @public
 */
export const BUILT_IN_KPI_DIRECTIONS: Readonly<
  Record<BuiltInKpiId, 'higher' | 'lower'>
> = {
  'deployment-frequency': 'higher',
  'lead-time-for-changes': 'lower',
  'change-failure-rate': 'lower',
  'time-to-restore': 'lower',
  'deployment-rework-rate': 'lower',
  'rollback-rate': 'lower',
  'slo-compliance': 'higher',
  'alert-noise': 'lower',
  'critical-vulnerability-fix-time': 'lower',
  'pipeline-success-rate': 'higher',
  'flaky-test-rate': 'lower',
  'postmortem-action-closure-rate': 'higher',
  'customer-impacting-incidents': 'lower',
  'pr-turnaround-time': 'lower',
};

/**
 * The agreed response when a built-in KPI deteriorates; config can replace it.
 *
 * @public
 */
export const BUILT_IN_KPI_RESPONSES: Readonly<Record<BuiltInKpiId, string>> = {
  'deployment-frequency':
    'Find what makes releases big or slow (batching, manual approvals, flaky pipelines) and cut the next change smaller.',
  'lead-time-for-changes':
    'Look at where changes wait (review, queue, release train) and remove the longest wait first.',
  'change-failure-rate':
    'Review the failed deployments in the next retrospective; add the missing test or check to the pipeline before adding more features.',
  'time-to-restore':
    'Check that the runbook and rollback path work; practise a restore and make rollback one click.',
  'deployment-rework-rate':
    'Trace the unplanned fixes back to their cause and strengthen the quality gate that missed them.',
  'rollback-rate':
    'Review the rollback plans and pre-production checks of the rolled-back releases.',
  'slo-compliance':
    'Freeze feature releases for this service until the error budget recovers; spend the time on reliability work.',
  'alert-noise':
    'Delete or tune every alert nobody acted on; page only on symptoms users feel.',
  'critical-vulnerability-fix-time':
    'Escalate overdue critical vulnerabilities to the tech lead and plan the fixes before new features.',
  'pipeline-success-rate':
    'Fix or quarantine the top failing stages; a red pipeline stops the line.',
  'flaky-test-rate':
    'Quarantine flaky tests within a day and give each an owner to fix or delete it.',
  'postmortem-action-closure-rate':
    'Review open postmortem actions weekly; re-plan or close them explicitly, never let them rot.',
  'customer-impacting-incidents':
    'Prioritise the reliability work from the last postmortems over new scope in the next release.',
  'pr-turnaround-time':
    'Agree a review time budget (e.g. same day) and keep pull requests small.',
};
