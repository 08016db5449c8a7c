import { DateTime } from 'luxon';
import { parseSloDuration, SloTimeWindow, timeWindowBounds, timeWindowProblem } from './sloWindow';

const at = (iso: string) => Date.parse(iso);

/** The obvious way, period by period from the start time: the reference for small distances. */
function steppedPeriodStart(window: SloTimeWindow, untilMs: number): number {
  const zone = window.calendar?.timeZone ?? 'UTC';
  const until = DateTime.fromMillis(untilMs, { zone });
  const { amount, unit } = parseSloDuration(window.duration);
  const key = { m: 'minutes', h: 'hours', d: 'days', w: 'weeks', M: 'months', Q: 'quarters', Y: 'years' }[unit];
  const step = (start: DateTime, k: number) => start.plus({ [key]: k * amount });
  const anchor = DateTime.fromISO(window.calendar!.startTime!.replace(' ', 'T'), { zone });
  let k = 0;
  if (anchor > until) while (step(anchor, k) > until) k--;
  else while (step(anchor, k + 1) <= until) k++;
  return step(anchor, k).toMillis();
}

describe('timeWindowBounds', () => {
  it.each([
    ['1m', '2026-03-01 00:00:30', 'UTC'],
    ['7m', '2025-12-31 23:59:00', 'UTC'],
    ['5h', '2026-01-01 03:00:00', 'Europe/Berlin'],
    ['1d', '2026-01-01 06:00:00', 'America/New_York'],
    ['3d', '2025-10-20 00:00:00', 'Europe/Berlin'],
    ['2w', '2026-05-04 00:00:00', 'UTC'],
    ['1M', '2026-01-31 12:00:00', 'UTC'],
    ['2M', '2025-01-15 00:00:00', 'Asia/Kolkata'],
    ['1Q', '2025-02-01 00:00:00', 'UTC'],
    ['1y', '2024-02-29 00:00:00', 'UTC'],
  ])('finds the %s period from %s (%s) as stepping would, before and after DST changes', (duration, startTime, timeZone) => {
    const window = { duration, isRolling: false, calendar: { startTime, timeZone } };
    const { amount, unit } = parseSloDuration(duration);
    const periodMs = amount * { m: 60e3, h: 3.6e6, d: 8.64e7, w: 6.048e8, M: 2.63e9, Q: 7.9e9, Y: 3.156e10 }[unit];
    const startMs = DateTime.fromISO(startTime.replace(' ', 'T'), { zone: timeZone }).toMillis();
    // 40 periods either side of the start time, at odd offsets, crossing DST
    // changes and month ends
    for (let ms = startMs - 40 * periodMs; ms < startMs + 40 * periodMs; ms += periodMs * 0.37 + 61_000) {
      expect(new Date(timeWindowBounds(window, ms).startMs).toISOString()).toBe(
        new Date(steppedPeriodStart(window, ms)).toISOString(),
      );
    }
  });

  it('finds the period of a window that started a thousand years ago by arithmetic', () => {
    const until = at('2026-06-30T00:00:30Z');
    const started = Date.now();
    const minute = timeWindowBounds(
      { duration: '1m', isRolling: false, calendar: { startTime: '1000-01-01 00:00:00', timeZone: 'UTC' } },
      until,
    );
    expect(minute).toEqual({ startMs: at('2026-06-30T00:00:00Z'), endMs: until });
    const month = timeWindowBounds(
      { duration: '1M', isRolling: false, calendar: { startTime: '1000-01-31 00:00:00', timeZone: 'UTC' } },
      until,
    );
    // luxon clamps the 31st to the month's last day; June has 30
    expect(new Date(month.startMs).toISOString()).toBe('2026-06-30T00:00:00.000Z');
    // no stepping: both answers take far less than the second SPEC allows
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('ends a rolling window at until and starts it one duration before', () => {
    expect(timeWindowBounds({ duration: '28d', isRolling: true }, at('2026-06-30T00:00:00Z'))).toEqual({
      startMs: at('2026-06-02T00:00:00Z'),
      endMs: at('2026-06-30T00:00:00Z'),
    });
  });
});

describe('timeWindowProblem', () => {
  it.each([
    [{ duration: '0d', isRolling: false, calendar: { startTime: '2020-01-01 00:00:00' } }, 'duration', /must be longer than zero/],
    [{ duration: '0m', isRolling: true }, 'duration', /must be longer than zero/],
    [{ duration: '367d', isRolling: true }, 'duration', /longer than 366 days/],
    [{ duration: '53w', isRolling: true }, 'duration', /longer than 366 days/],
    [{ duration: '13M', isRolling: true }, 'duration', /longer than 366 days/],
    [{ duration: '2y', isRolling: true }, 'duration', /longer than 366 days/],
    [{ duration: '527041m', isRolling: true }, 'duration', /longer than 366 days/],
    [{ duration: '30 days', isRolling: true }, 'duration', /is not a duration like 30d/],
    [{ duration: 30, isRolling: true } as unknown as SloTimeWindow, 'duration', /is not a duration/],
    [{ duration: '1M', isRolling: false, calendar: { timeZone: 'Mars/Olympus_Mons' } }, 'calendar.timeZone', /not an IANA time zone/],
    [{ duration: '1M', isRolling: false, calendar: { startTime: 'yesterday', timeZone: 'UTC' } }, 'calendar.startTime', /not a start time/],
    [{ duration: '1M', isRolling: false, calendar: { startTime: '2020-02-30 00:00:00', timeZone: 'UTC' } }, 'calendar.startTime', /not a valid date/],
  ])('refuses %j, naming %s', (window, field, reason) => {
    const problem = timeWindowProblem(window as SloTimeWindow);
    expect(problem?.field).toBe(field);
    expect(problem?.reason).toMatch(reason);
  });

  it.each([
    { duration: '366d', isRolling: true },
    { duration: '527040m', isRolling: true },
    { duration: '12M', isRolling: false, calendar: { startTime: '2020-01-01 00:00:00', timeZone: 'UTC' } },
    { duration: '1y', isRolling: false, calendar: { timeZone: 'Europe/Berlin' } },
    { duration: '1m', isRolling: false, calendar: { startTime: '1000-01-01 00:00:00', timeZone: 'UTC' } },
  ])('takes %j', window => {
    expect(timeWindowProblem(window)).toBeUndefined();
  });
});
