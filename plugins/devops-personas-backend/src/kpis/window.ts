import { InputError } from '@backstage/errors';
import { DateTime, Duration } from 'luxon';
import { offsetProblem } from '../events/timestamps';

export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

/** A half-open interval `[startMs, endMs)` in epoch milliseconds. */
export interface TimeWindow {
  startMs: number;
  endMs: number;
}

export type Bucket = 'week' | 'month';

const MAX_WINDOW_DAYS = 3 * 366;

/** Parses `7d`, `30d`, `90d` (also `m`, `h`, `w`) or an ISO 8601 duration such as `P2W` or `PT12H`. */
export function parseWindowLength(raw: unknown, name = 'window'): number {
  if (raw === undefined || raw === '') return 30 * DAY_MS;
  if (typeof raw !== 'string') throw new InputError(`${name} must be a duration like 30d or P30D`);
  const short = /^(\d+)(m|h|d|w)$/.exec(raw.trim());
  const unitMs: Record<string, number> = { m: 60_000, h: 3_600_000, d: DAY_MS, w: WEEK_MS };
  // Whole milliseconds: window edges are integers all the way into SQL.
  const ms = Math.round(
    short ? Number(short[1]) * unitMs[short[2]] : Duration.fromISO(raw.trim().toUpperCase()).toMillis(),
  );
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new InputError(`${name} must be a positive duration like 7d, 30d, 90d or P30D; got "${raw}"`);
  }
  if (ms > MAX_WINDOW_DAYS * DAY_MS) {
    throw new InputError(`${name} must be at most ${MAX_WINDOW_DAYS} days; got "${raw}"`);
  }
  return ms;
}

/** Parses `until` (an ISO 8601 date or timestamp); defaults to now. */
export function parseUntil(raw: unknown, now: () => number = Date.now): number {
  if (raw === undefined || raw === '') return now();
  // Four-digit years from 0001: every answer can then be written as ISO 8601.
  const parsed =
    typeof raw === 'string' && /^(?!0000)\d{4}-\d{2}-\d{2}/.test(raw.trim())
      ? DateTime.fromISO(raw.trim(), { zone: 'utc' })
      : undefined;
  if (!parsed?.isValid) {
    throw new InputError(`until must be an ISO 8601 timestamp such as 2026-06-30T00:00:00Z; got "${raw}"`);
  }
  const offset = /([+-])(\d{2}):?(\d{2})?$/.exec((raw as string).trim());
  const badOffset = offset && /T/i.test(raw as string) ? offsetProblem(offset[1], offset[2], offset[3]) : undefined;
  if (badOffset) throw new InputError(`until ${badOffset}; got "${raw}"`);
  return parsed.toMillis();
}

export function parseBucket(raw: unknown): Bucket {
  if (raw === undefined || raw === '') return 'week';
  if (raw === 'week' || raw === 'month') return raw;
  throw new InputError(`bucket must be week or month; got "${raw}"`);
}

/** A trend bucket; `partial` when the window cuts it. */
export interface TrendBucket extends TimeWindow {
  partial: boolean;
}

/**
 * Trend buckets: UTC calendar weeks (starting Monday) or months that overlap
 * the window, cut at the window's edges (and then partial).
 */
export function trendBuckets(window: TimeWindow, bucket: Bucket): TrendBucket[] {
  const buckets: TrendBucket[] = [];
  let cursor = DateTime.fromMillis(window.startMs, { zone: 'utc' }).startOf(bucket);
  while (cursor.toMillis() < window.endMs) {
    const next = cursor.plus(bucket === 'week' ? { weeks: 1 } : { months: 1 });
    const startMs = Math.max(cursor.toMillis(), window.startMs);
    const endMs = Math.min(next.toMillis(), window.endMs);
    buckets.push({ startMs, endMs, partial: startMs > cursor.toMillis() || endMs < next.toMillis() });
    cursor = next;
  }
  return buckets;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function inWindow(ms: number | undefined, window: TimeWindow): boolean {
  return ms !== undefined && ms >= window.startMs && ms < window.endMs;
}
