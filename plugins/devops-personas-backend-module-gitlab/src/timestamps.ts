// GitLab writes timestamps three ways, depending on the hook and the
// version: "2021-04-28 21:50:00 +0200" (deployment hooks),
// "2016-08-12 15:23:28 UTC" (pipeline hooks, older issue and merge request
// hooks) and ISO 8601 ("2013-12-03T17:15:43Z", "2021-02-23T02:41:37.886Z").
const GITLAB_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})? ?(Z|UTC|([+-])(\d{2})(?::?(\d{2}))?)$/i;

const MAX_OFFSET_MINUTES = 14 * 60;

/**
 * Turns a GitLab timestamp into ISO 8601 with an offset, keeping the wall
 * clock time and offset GitLab gave: `2021-04-28 21:50:00 +0200` becomes
 * `2021-04-28T21:50:00+02:00`, `2016-08-12 15:23:28 UTC` becomes
 * `2016-08-12T15:23:28Z`.
 *
 * @param value - the timestamp as the webhook sent it
 * @param field - where it was found, for the error message
 * @throws Error when `value` is not a timestamp in one of GitLab's formats,
 *   or names a date or time that does not exist
 */
export function parseGitlabTimestamp(value: unknown, field: string): string {
  const match = typeof value === 'string' ? GITLAB_TIMESTAMP.exec(value) : null;
  if (!match) {
    throw new Error(
      `${field} must be a GitLab timestamp such as "2021-04-28 21:50:00 +0200", ` +
        `"2021-04-28 19:50:00 UTC" or "2021-04-28T19:50:00Z"; got ${describe(
          value,
        )}`,
    );
  }
  const [, year, month, day, hour, minute, second, fraction = ''] = match;
  const [sign, offsetHours, offsetMinutes = '00'] = match.slice(9);

  if (!isExistingDate(Number(year), Number(month), Number(day))) {
    throw new Error(`${field} names a date that does not exist: "${value}"`);
  }
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) {
    throw new Error(`${field} names a time that does not exist: "${value}"`);
  }

  // Without a sign the zone is `Z` or `UTC`.
  let offset = 'Z';
  if (sign) {
    const minutes = Number(offsetHours) * 60 + Number(offsetMinutes);
    if (Number(offsetMinutes) > 59 || minutes > MAX_OFFSET_MINUTES) {
      throw new Error(`${field} has an impossible UTC offset: "${value}"`);
    }
    offset = `${sign}${offsetHours}:${offsetMinutes}`;
  }
  return `${year}-${month}-${day}T${hour}:${minute}:${second}${fraction}${offset}`;
}

function isExistingDate(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) {
    return false;
  }
  // Day 0 of the next month is the last day of this one.
  const lastDay = new Date(Date.UTC(2000, month, 0)).getUTCDate();
  const isLeap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && !isLeap ? 28 : lastDay);
}

function describe(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  }
  return value === null ? 'null' : typeof value;
}
