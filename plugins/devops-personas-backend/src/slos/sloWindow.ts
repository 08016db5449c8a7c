import { DateTime, Duration, DurationLikeObject } from 'luxon';

/** An SLO's time window as its document gives it (`spec.timeWindow[0]`). */
export interface SloTimeWindow {
  duration: string;
  isRolling: boolean;
  calendar?: { startTime?: string; timeZone?: string };
}

type Unit = 'm' | 'h' | 'd' | 'w' | 'M' | 'Q' | 'Y';

const UNIT_NAMES: Record<Unit, keyof DurationLikeObject> = {
  m: 'minutes',
  h: 'hours',
  d: 'days',
  w: 'weeks',
  M: 'months',
  Q: 'quarters',
  Y: 'years',
};
// The longest window SPEC allows is 366 days; in each unit that is at most:
const MAX_AMOUNT: Record<Unit, number> = {
  m: 366 * 24 * 60,
  h: 366 * 24,
  d: 366,
  w: 52,
  M: 12,
  Q: 4,
  Y: 1,
};
const FIXED_MS: Partial<Record<Unit, number>> = { m: 60_000, h: 3_600_000 };
const DAYS_PER: Partial<Record<Unit, number>> = { d: 1, w: 7 };
const MONTHS_PER: Partial<Record<Unit, number>> = { M: 1, Q: 3, Y: 12 };
const START_OF: Record<Unit, 'day' | 'week' | 'month' | 'quarter' | 'year'> = {
  m: 'day',
  h: 'day',
  d: 'day',
  w: 'week',
  M: 'month',
  Q: 'quarter',
  Y: 'year',
};

/** A duration such as `30d`, `4w`, `1M`, `1Q` or `1y`. */
export interface SloDuration {
  amount: number;
  unit: Unit;
}

/** Parses an OpenSLO duration; throws with the reason when it is not one SPEC allows. */
export function parseSloDuration(text: unknown): SloDuration {
  const match = typeof text === 'string' ? /^(\d{1,9})([mhdwMQYy])$/.exec(text.trim()) : null;
  if (!match) {
    throw new Error(`${JSON.stringify(text ?? null)} is not a duration like 30d, 4w or 1M`);
  }
  const unit = (match[2] === 'y' ? 'Y' : match[2]) as Unit;
  const amount = Number(match[1]);
  if (amount <= 0) throw new Error(`"${text}" must be longer than zero`);
  if (amount > MAX_AMOUNT[unit]) {
    throw new Error(`"${text}" is longer than 366 days, the longest SLO window`);
  }
  return { amount, unit };
}

/** The calendar start time, in the calendar's zone; throws with the reason. */
function parseCalendarStart(startTime: string, zone: string): DateTime {
  const text = startTime.trim().replace(' ', 'T');
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(text)) {
    throw new Error(`"${startTime}" is not a start time like 2026-01-01 00:00:00`);
  }
  const start = DateTime.fromISO(text, { zone });
  if (!start.isValid) throw new Error(`"${startTime}" is not a valid date and time`);
  return start;
}

/**
 * Checks a time window against SPEC §5; returns the field at fault and why,
 * or nothing when the window can be used.
 */
export function timeWindowProblem(window: SloTimeWindow): { field: string; reason: string } | undefined {
  try {
    parseSloDuration(window.duration);
  } catch (e) {
    return { field: 'duration', reason: (e as Error).message };
  }
  if (window.isRolling) return undefined;
  const zone = window.calendar?.timeZone ?? 'UTC';
  if (typeof zone !== 'string' || !DateTime.now().setZone(zone).isValid) {
    return { field: 'calendar.timeZone', reason: `${JSON.stringify(zone)} is not an IANA time zone like Europe/Berlin` };
  }
  const startTime = window.calendar?.startTime;
  if (startTime !== undefined) {
    try {
      if (typeof startTime !== 'string') throw new Error(`${JSON.stringify(startTime)} is not a start time like 2026-01-01 00:00:00`);
      parseCalendarStart(startTime, zone);
    } catch (e) {
      return { field: 'calendar.startTime', reason: (e as Error).message };
    }
  }
  return undefined;
}

/**
 * Whole periods between `anchor` and `at`, counted without stepping through
 * them: a window that started in the year 1000 costs what one of last week
 * does. The answer is the start of the period that contains `at`.
 */
function periodStart(anchor: DateTime, at: DateTime, { amount, unit }: SloDuration): DateTime {
  const periodOf = (k: number): DurationLikeObject => ({ [UNIT_NAMES[unit]]: k * amount });
  let k: number;
  const fixed = FIXED_MS[unit];
  if (fixed) {
    k = Math.floor((at.toMillis() - anchor.toMillis()) / (fixed * amount));
  } else if (DAYS_PER[unit]) {
    // Calendar days in the zone (a day with a DST change is still one day).
    const day = (d: DateTime) => Date.UTC(d.year, d.month - 1, d.day) / 86_400_000;
    k = Math.floor((day(at) - day(anchor)) / (DAYS_PER[unit]! * amount));
  } else {
    const months = (at.year - anchor.year) * 12 + (at.month - anchor.month);
    k = Math.floor(months / (MONTHS_PER[unit]! * amount));
  }
  // The estimate is off by at most one period (time of day, day of month).
  let start = anchor.plus(periodOf(k));
  if (start > at) start = anchor.plus(periodOf(k - 1));
  else if (anchor.plus(periodOf(k + 1)) <= at) start = anchor.plus(periodOf(k + 1));
  return start;
}

/**
 * The SLO's own window ending at `until`: a rolling window ends at `until`;
 * a calendar window is the calendar period that contains `until`, cut at it.
 * The window must have passed {@link timeWindowProblem}.
 */
export function timeWindowBounds(window: SloTimeWindow, untilMs: number): { startMs: number; endMs: number } {
  const duration = parseSloDuration(window.duration);
  if (window.isRolling) {
    const length = Duration.fromObject({ [UNIT_NAMES[duration.unit]]: duration.amount });
    return { startMs: DateTime.fromMillis(untilMs, { zone: 'utc' }).minus(length).toMillis(), endMs: untilMs };
  }
  const zone = window.calendar?.timeZone ?? 'UTC';
  const until = DateTime.fromMillis(untilMs, { zone });
  const startTime = window.calendar?.startTime;
  // Without a start time, periods start where the calendar unit does.
  const anchor = startTime ? parseCalendarStart(startTime, zone) : until.startOf(START_OF[duration.unit]);
  return { startMs: periodStart(anchor, until, duration).toMillis(), endMs: untilMs };
}
