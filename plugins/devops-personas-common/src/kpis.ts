/**
 * Unit of a built-in KPI: durations in seconds, rates as fractions in
 * [0, 1], deployment frequency per week, plain counts.
 *
 * @public
 */
export type BuiltInKpiUnit = 'seconds' | 'fraction' | 'per-week' | 'count';

/**
 * Unit of a KPI value: a built-in unit, or the unit a measurement KPI
 * declares in config.
 *
 * @public
 */
export type KpiUnit = BuiltInKpiUnit | string;

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
