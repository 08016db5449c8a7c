// RFC 3339, as Alertmanager writes times (Go's RFC3339Nano): seconds always,
// up to nine fraction digits, `Z` or a `±hh:mm` offset as the alert had it.
const RFC3339_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/i;

/** When an alert started, in the two forms the `alert` event needs. */
export interface AlertStart {
  /**
   * The instant in UTC with the fraction as precise as Alertmanager gave it
   * (trailing zeros dropped): `2026-06-01T10:00:00.123456789Z`. The same
   * instant always gives the same string, whatever offset or precision a
   * notification wrote it with, so it can be part of the event id.
   */
  canonical: string;
  /** The instant cut to milliseconds, as stored: `2026-06-01T10:00:00.123Z`. */
  firedAt: string;
}

/**
 * Reads an alert's `startsAt`. Undefined when it is not an RFC 3339 time or
 * names a date that does not exist.
 */
export function readAlertStart(value: string): AlertStart | undefined {
  const match = RFC3339_PATTERN.exec(value);
  if (!match) return undefined;
  const [
    ,
    y,
    mo,
    d,
    h,
    mi,
    s,
    fraction = '',
    zulu,
    sign,
    offsetHours,
    offsetMinutes,
  ] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(
    Number,
  );
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const offsetTotalMinutes = zulu
    ? 0
    : Number(offsetHours) * 60 + Number(offsetMinutes);
  // Offsets lie within ±14:00, as the ingest validation requires.
  if (Number(offsetMinutes) > 59 || offsetTotalMinutes > 14 * 60) {
    return undefined;
  }

  const local = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, 0);
  // A day that does not exist (30 February) rolls over into the next month.
  if (
    local.getUTCFullYear() !== year ||
    local.getUTCMonth() !== month - 1 ||
    local.getUTCDate() !== day
  ) {
    return undefined;
  }
  const offsetMs = (sign === '-' ? -1 : 1) * offsetTotalMinutes * 60_000;
  const wholeSecondsMs = local.getTime() - offsetMs;
  // 0001-01-01T00:30:00+01:00 is in year 0, which no event may name.
  if (new Date(wholeSecondsMs).getUTCFullYear() < 1) return undefined;

  const utcSeconds = new Date(wholeSecondsMs).toISOString().slice(0, 19);
  const significantFraction = fraction.replace(/0+$/, '');
  const millis = Number(fraction.slice(0, 3).padEnd(3, '0'));
  return {
    canonical: `${utcSeconds}${
      significantFraction ? `.${significantFraction}` : ''
    }Z`,
    firedAt: new Date(wholeSecondsMs + millis).toISOString(),
  };
}
