import { DateTime } from 'luxon';
import { parseOffsetTimestamp } from './timestamps';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

describe('parseOffsetTimestamp', () => {
  it('reads what luxon reads, to the millisecond, for 5,000 generated timestamps', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 5000; i++) {
      const year = [1, 99, 100, 1900, 1970, 2000, 2024, 2026, 2100, 9999][random(10)];
      const month = 1 + random(12);
      const day = 1 + random(DateTime.utc(year, month).daysInMonth!);
      const time = `${pad(random(24))}:${pad(random(60))}`;
      const seconds = [``, `:${pad(random(60))}`, `:${pad(random(60))}.${pad(random(1000), 3)}`, `:05.123456789`, `:59.9`][random(5)];
      const offsetMinutes = random(14 * 60 + 1);
      const offset = [
        'Z',
        'z',
        `+${pad(Math.floor(offsetMinutes / 60))}:${pad(offsetMinutes % 60)}`,
        `-${pad(Math.floor(offsetMinutes / 60))}${pad(offsetMinutes % 60)}`,
        `+${pad(random(15))}`,
      ][random(5)];
      const text = `${pad(year, 4)}-${pad(month)}-${pad(day)}T${time}${seconds}${offset}`;
      const expected = DateTime.fromISO(text, { setZone: true });
      expect({ text, ms: parseOffsetTimestamp(text) }).toEqual({ text, ms: expected.toMillis() });
    }
  });

  it.each([
    ['2026-02-29T00:00:00Z', /2026-02 has no day 29/],
    ['2100-02-29T00:00:00Z', /2100-02 has no day 29/],
    ['2026-04-31T00:00:00Z', /2026-04 has no day 31/],
    ['2026-00-10T00:00:00Z', /there is no month 00/],
    ['2026-13-10T00:00:00Z', /there is no month 13/],
    ['2026-01-00T00:00:00Z', /has no day 00/],
    ['0000-01-01T00:00:00Z', /there is no year 0000/],
    ['2026-01-01T24:00:00Z', /not a valid time/],
    ['2026-01-01T12:60:00Z', /not a valid time/],
    ['2026-06-30T23:59:60Z', /not a valid time/],
    ['2026-01-01T00:00:00+14:01', /impossible offset \+14:01/],
    ['2026-01-01T00:00:00-15', /impossible offset -15:00/],
    ['2026-01-01T00:00:00', /with an offset/],
    ['2026-01-01 00:00:00Z', /with an offset/],
    ['+012026-01-01T00:00:00Z', /with an offset/],
  ])('refuses %p', (text, reason) => {
    expect(() => parseOffsetTimestamp(text)).toThrow(reason);
  });

  it('takes 29 February of leap years, and ±14:00', () => {
    expect(parseOffsetTimestamp('2024-02-29T00:00:00Z')).toBe(Date.parse('2024-02-29T00:00:00Z'));
    expect(parseOffsetTimestamp('2000-02-29T14:00:00+14:00')).toBe(Date.parse('2000-02-29T00:00:00Z'));
    expect(parseOffsetTimestamp('2026-01-01T00:00:00-14:00')).toBe(Date.parse('2026-01-01T14:00:00Z'));
  });
});
