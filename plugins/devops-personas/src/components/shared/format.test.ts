import {
  formatChange,
  formatChangeRatio,
  formatDateRange,
  formatDateTime,
  formatDay,
  formatKpiValue,
  formatPercent,
  formatPeriod,
  formatTarget,
} from './format';

describe('formatKpiValue', () => {
  it.each([
    [45, 'seconds', '45 s'],
    [1500, 'seconds', '25 min'],
    [68400, 'seconds', '19 h'],
    [5400, 'seconds', '90 min'],
    [36 * 3600, 'seconds', '36 h'],
    [3 * 86400, 'seconds', '3 d'],
    [9 * 86400, 'seconds', '9 d'],
    [0.08, 'fraction', '8 %'],
    [0.1234, 'fraction', '12 %'],
    [3.2333, 'per-week', '3.2 / week'],
    [2, 'count', '2'],
    [78.4, 'percent', '78 %'],
    [12, 'minutes', '12 minutes'],
    [null, 'seconds', 'no data'],
  ])('%p %s is %p', (value, unit, text) => {
    expect(formatKpiValue(value as number | null, unit)).toBe(text);
  });

  it('formats targets', () => {
    expect(formatTarget({ op: '<', value: 86400 }, 'seconds')).toBe('< 24 h');
    expect(formatTarget(null, 'seconds')).toBe('no target');
  });
});

describe('formatChange', () => {
  it.each([
    [-0.05, 'fraction', '−5 pts'],
    [0.01, 'fraction', '+1 pt'],
    [0.004, 'fraction', '+0.4 pts'],
    [-0.123, 'fraction', '−12 pts'],
    [-18000, 'seconds', '−5 h'],
    [0.4, 'per-week', '+0.4 / week'],
    [3, 'count', '+3'],
  ])('%p %s is %p', (change, unit, text) => {
    expect(formatChange(change, unit)).toBe(text);
  });

  it.each([
    [0, 'fraction'],
    [-0.0004, 'fraction'],
    [0.0001, 'fraction'],
    [-0.01, 'seconds'],
    [0.02, 'per-week'],
    [0.4, 'count'],
    [-0.04, 'percent'],
    [null, 'seconds'],
  ])('%p %s rounds to no change', (change, unit) => {
    expect(formatChange(change as number | null, unit)).toBeNull();
  });

  it('never writes a percentage for a change of a fraction', () => {
    expect(formatChange(-0.05, 'fraction')).not.toMatch(/%/);
  });
});

describe('formatChangeRatio', () => {
  it('writes a signed whole percentage, nothing when it rounds to zero', () => {
    expect(formatChangeRatio(-18000 / 86400)).toBe('−21 %');
    expect(formatChangeRatio(0.5)).toBe('+50 %');
    expect(formatChangeRatio(-0.004)).toBeNull();
    expect(formatChangeRatio(null)).toBeNull();
  });
});

describe('dates', () => {
  it('writes a day in words, in UTC', () => {
    expect(formatDay('2026-11-29T23:30:00Z')).toBe('29 Nov 2026');
    expect(formatDay('2026-11-29T23:30:00-02:00')).toBe('30 Nov 2026');
    expect(formatDay('2026-11-29T00:00:00Z', { year: false })).toBe('29 Nov');
    expect(formatDateTime('2026-11-03T14:05:59Z')).toBe(
      '3 Nov 2026, 14:05 UTC',
    );
  });

  it('writes a period [start, end) as the days it covers', () => {
    expect(
      formatDateRange('2026-09-01T00:00:00Z', '2026-09-29T00:00:00Z'),
    ).toBe('1 Sep – 28 Sep 2026');
    expect(
      formatDateRange('2025-12-15T00:00:00Z', '2026-01-12T00:00:00Z'),
    ).toBe('15 Dec 2025 – 11 Jan 2026');
    expect(
      formatDateRange('2026-09-01T10:00:00Z', '2026-09-01T18:00:00Z'),
    ).toBe('1 Sep 2026');
    // an end that is not midnight is a day inside the period
    expect(
      formatDateRange('2026-10-31T15:59:00Z', '2026-11-30T15:59:00Z'),
    ).toBe('31 Oct – 30 Nov 2026');
  });

  it('writes the length of a period and its last day', () => {
    expect(formatPeriod('2026-09-07T00:00:00Z', '2026-11-30T00:00:00Z')).toBe(
      '12 weeks to 29 Nov',
    );
    expect(formatPeriod('2026-11-23T00:00:00Z', '2026-11-30T00:00:00Z')).toBe(
      '1 week to 29 Nov',
    );
    expect(formatPeriod('2026-11-20T00:00:00Z', '2026-11-30T00:00:00Z')).toBe(
      '10 days to 29 Nov',
    );
  });
});

describe('formatPercent', () => {
  it('writes a fraction with fixed decimals', () => {
    expect(formatPercent(0.99624)).toBe('99.62 %');
    expect(formatPercent(1)).toBe('100.00 %');
    expect(formatPercent(null)).toBe('no data');
  });
});
