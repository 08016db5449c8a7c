const MAX_OFFSET_MINUTES = 14 * 60;

// ISO 8601 date and time with an explicit offset; a time without one is
// ambiguous and rejected rather than guessed.
const TIMESTAMP_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2})(?::?(\d{2}))?)$/i;

/**
 * Why a UTC offset such as `+02:00`, `-0530` or `+99` cannot be: offsets lie
 * within ±14:00 and their minutes below 60. Undefined when it can be.
 */
export function offsetProblem(sign: string, hours: string, minutes = '00'): string | undefined {
  if (Number(minutes) < 60 && Number(hours) * 60 + Number(minutes) <= MAX_OFFSET_MINUTES) {
    return undefined;
  }
  return `has an impossible offset ${sign}${hours}:${minutes}; offsets lie within ±14:00 and their minutes below 60`;
}

/** A timestamp that cannot be read; the message says why. */
export class TimestampError extends Error {}

/**
 * Reads an ISO 8601 timestamp with an offset into epoch milliseconds (UTC).
 * Fractions beyond milliseconds are cut, as JavaScript dates keep none. The
 * date must exist: no 30 February, no year 0000, no hour 24, no second 60.
 * Parsed by hand: it is the hottest path of ingest (5,000 a request).
 */
export function parseOffsetTimestamp(value: string): number {
  const match = TIMESTAMP_PATTERN.exec(value);
  if (!match) {
    throw new TimestampError(
      'must be an ISO 8601 timestamp with an offset, like 2026-06-30T12:00:00Z or 2026-06-30T14:00:00+02:00',
    );
  }
  const [, y, mo, d, h, mi, s = '00', fraction = '', sign, offsetHours, offsetMinutes = '00'] = match;
  const badOffset = sign ? offsetProblem(sign, offsetHours, offsetMinutes) : undefined;
  if (badOffset) throw new TimestampError(badOffset);
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
  if (year < 1) throw new TimestampError('is not a valid date: there is no year 0000');
  if (month < 1 || month > 12) throw new TimestampError(`is not a valid date: there is no month ${mo}`);
  // Day 0 of the next month is the last day of this one.
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeapYear(year) ? 1 : 0);
  if (day < 1 || day > daysInMonth) {
    throw new TimestampError(`is not a valid date: ${y}-${mo} has no day ${d}`);
  }
  if (hour > 23 || minute > 59 || second > 59) {
    throw new TimestampError(`is not a valid time: ${h}:${mi}:${s} (hours 00–23, minutes and seconds 00–59)`);
  }
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, Number(fraction.slice(0, 3).padEnd(3, '0')));
  const offsetMs = sign ? (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000 : 0;
  return date.getTime() - offsetMs;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
