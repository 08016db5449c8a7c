import { isTargetMet, parseKpiTarget } from './kpis';

describe('parseKpiTarget', () => {
  it.each([
    ['< 1d', 'seconds', { op: '<', value: 86400 }],
    ['<=2h', 'seconds', { op: '<=', value: 7200 }],
    ['< 30m', 'seconds', { op: '<', value: 1800 }],
    ['< 1w', 'seconds', { op: '<', value: 604800 }],
    ['< 90', 'seconds', { op: '<', value: 90 }],
    ['>= 99.5%', 'fraction', { op: '>=', value: 0.995 }],
    ['<= 10%', 'fraction', { op: '<=', value: 0.1 }],
    ['<= 0.15', 'fraction', { op: '<=', value: 0.15 }],
    ['>= 3/week', 'per-week', { op: '>=', value: 3 }],
    ['>= 1/day', 'per-week', { op: '>=', value: 7 }],
    ['> 2', 'per-week', { op: '>', value: 2 }],
    ['= 0', 'count', { op: '=', value: 0 }],
  ])('reads %p for a %s KPI', (raw, unit, target) => {
    expect(parseKpiTarget(raw, unit)).toEqual({ target });
  });

  it.each([
    ['fast', 'seconds', /expected a comparison/],
    ['1d', 'seconds', /expected a comparison/],
    ['< 1 fortnight', 'seconds', /not a duration unit/],
    ['< 10%', 'seconds', /expected a comparison|not a duration/],
    ['<= 1d', 'fraction', /not a rate/],
    ['<= 120%', 'fraction', /between 0% and 100%/],
    ['>= 3/month', 'per-week', /not a frequency/],
    ['< -1', 'count', /expected a comparison/],
    ['< 1constructor', 'seconds', /"constructor" is not a duration unit/],
    ['>= 1/tostring', 'per-week', /"\/tostring" is not a frequency/],
    [`< 1${'0'.repeat(400)}d`, 'seconds', /too large a number/],
  ])('rejects %p for a %s KPI', (raw, unit, reason) => {
    const result = parseKpiTarget(raw, unit);
    expect('error' in result && result.error).toMatch(reason);
  });
});

describe('isTargetMet', () => {
  it('compares with each operator and gives null without a value', () => {
    expect(isTargetMet(5, { op: '<', value: 5 })).toBe(false);
    expect(isTargetMet(5, { op: '<=', value: 5 })).toBe(true);
    expect(isTargetMet(6, { op: '>', value: 5 })).toBe(true);
    expect(isTargetMet(4, { op: '>=', value: 5 })).toBe(false);
    expect(isTargetMet(5, { op: '=', value: 5 })).toBe(true);
    expect(isTargetMet(null, { op: '<', value: 5 })).toBeNull();
  });
});
