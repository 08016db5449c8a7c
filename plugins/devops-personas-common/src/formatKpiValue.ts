/** Whole above 10, one decimal below: what a person reads at a glance. */
function roundForDisplay(n: number): number {
  return Math.abs(n) >= 10 ? Math.round(n) : Math.round(n * 10) / 10;
}

/**
 * Formats a KPI value in human units: durations from seconds, rates from
 * fractions, frequencies per week. The KPI tabs and the notifications say a
 * value the same way.
 *
 * @public
 */
export function formatKpiValue(value: number | null, unit: string): string {
  if (value === null || value === undefined) return 'no data';
  const round = (n: number) => roundForDisplay(n).toString();
  switch (unit) {
    case 'seconds': {
      const abs = Math.abs(value);
      if (abs < 120) return `${round(value)} s`;
      if (abs < 2 * 3600) return `${round(value / 60)} min`;
      if (abs < 48 * 3600) return `${round(value / 3600)} h`;
      return `${round(value / 86400)} d`;
    }
    case 'fraction':
      return `${round(value * 100)} %`;
    case 'per-week':
      return `${round(value)} / week`;
    case 'count':
      return `${Math.round(value)}`;
    case 'percent':
      return `${round(value)} %`;
    default:
      return `${round(value)} ${unit}`;
  }
}

/**
 * Formats a target such as `{op: '<', value: 86400}` as "< 1 d".
 *
 * @public
 */
export function formatTarget(target: { op: string; value: number } | null, unit: string): string {
  if (!target) return 'no target';
  return `${target.op} ${formatKpiValue(target.value, unit)}`;
}
