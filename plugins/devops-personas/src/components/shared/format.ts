import { plural } from './plural';

import { formatKpiValue } from '@devops-personas/plugin-devops-personas-common';

// The KPI tabs and the notifications say a value the same way.
export {
  formatKpiValue,
  formatTarget,
} from '@devops-personas/plugin-devops-personas-common';

const MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];

/** The rounding of {@link formatKpiValue}: whole above 10, one decimal below. */
function roundForDisplay(n: number): number {
  return Math.abs(n) >= 10 ? Math.round(n) : Math.round(n * 10) / 10;
}

/**
 * A UTC calendar day in words: "29 Nov", or "29 Nov 2026" with the year.
 *
 * @public
 */
export function formatDay(
  at: string | number | Date,
  options: { year?: boolean } = {},
): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return String(at);
  const day = `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}`;
  return options.year === false ? day : `${day} ${date.getUTCFullYear()}`;
}

/**
 * A moment in words, to the minute, in UTC: "3 Nov 2026, 14:05 UTC".
 *
 * @public
 */
export function formatDateTime(at: string): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return at;
  const hh = String(date.getUTCHours()).padStart(2, '0');
  const mm = String(date.getUTCMinutes()).padStart(2, '0');
  return `${formatDay(date)}, ${hh}:${mm} UTC`;
}

/**
 * The last moment inside a period whose end is excluded (`[start, end)`):
 * a window ending at midnight of 29 Sep ends on 28 Sep.
 */
function lastInstant(start: string, end: string): Date {
  const from = Date.parse(start);
  const to = Date.parse(end);
  return new Date(to > from ? to - 1 : to);
}

/**
 * A period `[start, end)` as the UTC days it covers: "1 Sep – 28 Sep 2026",
 * "15 Dec 2025 – 11 Jan 2026", or "1 Sep 2026" for a single day.
 *
 * @public
 */
export function formatDateRange(start: string, end: string): string {
  const from = new Date(start);
  const to = lastInstant(start, end);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) {
    return `${start} – ${end}`;
  }
  const sameYear = from.getUTCFullYear() === to.getUTCFullYear();
  if (sameYear && formatDay(from) === formatDay(to)) return formatDay(from);
  return `${formatDay(from, { year: !sameYear })} – ${formatDay(to)}`;
}

/**
 * The length of a period `[start, end)` and the day it ends on: "12 weeks to
 * 29 Nov", "10 days to 29 Nov".
 *
 * @public
 */
export function formatPeriod(start: string, end: string): string {
  const days = Math.round((Date.parse(end) - Date.parse(start)) / 86_400_000);
  const length =
    days > 0 && days % 7 === 0 ? plural(days / 7, 'week') : plural(days, 'day');
  return `${length} to ${formatDay(lastInstant(start, end), { year: false })}`;
}

/**
 * A change against a baseline, signed, in the KPI's unit: "−5 pts" for
 * fractions (percentage points, never a percentage), "−5 h", "+0.4 / week".
 * `null` when there is no change or it rounds to zero: that is steady, and
 * must never read "−0 %" or "+0".
 *
 * @public
 */
export function formatChange(
  change: number | null,
  unit: string,
): string | null {
  if (change === null || change === undefined || !Number.isFinite(change)) {
    return null;
  }
  if (unit === 'fraction') {
    const points = roundForDisplay(Math.abs(change) * 100);
    if (points === 0) return null;
    return `${change > 0 ? '+' : '−'}${points} ${points === 1 ? 'pt' : 'pts'}`;
  }
  const text = formatKpiValue(Math.abs(change), unit);
  // zero after rounding, in whatever unit ("0 s", "0 / week", "0")
  if (/^0(?![.\d])/.test(text)) return null;
  return `${change > 0 ? '+' : '−'}${text}`;
}

/**
 * A relative change (`changeRatio`) as a signed whole percentage: "−21 %";
 * `null` when missing or when it rounds to zero.
 *
 * @public
 */
export function formatChangeRatio(ratio: number | null): string | null {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) {
    return null;
  }
  const percent = Math.round(Math.abs(ratio) * 100);
  if (percent === 0) return null;
  return `${ratio > 0 ? '+' : '−'}${percent} %`;
}

/**
 * A fraction as a percentage with a fixed number of decimals: "99.62 %".
 *
 * @public
 */
export function formatPercent(value: number | null, digits = 2): string {
  if (value === null || value === undefined) return 'no data';
  return `${(value * 100).toFixed(digits)} %`;
}
