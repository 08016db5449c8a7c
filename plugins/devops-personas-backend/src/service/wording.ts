import { DAY_MS } from '../kpis/window';

/**
 * A count with its noun (or noun and verb) in the right number: "1 KPI
 * has", "3 KPIs have". The sentences of answers and notifications say it so.
 */
export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A window length as a sentence says it: "30 days", "1 day", "12 hours". */
export function windowInWords(ms: number): string {
  return ms % DAY_MS === 0
    ? plural(ms / DAY_MS, 'day', 'days')
    : plural(Math.round(ms / 3_600_000), 'hour', 'hours');
}
