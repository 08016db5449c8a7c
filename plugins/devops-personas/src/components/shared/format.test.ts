import { formatKpiValue, formatTarget } from './format';

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
