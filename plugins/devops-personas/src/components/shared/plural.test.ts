import { plural } from './plural';

describe('plural', () => {
  it('uses the singular for exactly one and the plural otherwise', () => {
    expect(plural(1, 'data point')).toBe('1 data point');
    expect(plural(0, 'data point')).toBe('0 data points');
    expect(plural(2, 'entity', 'entities')).toBe('2 entities');
    expect(plural(1, 'entity', 'entities')).toBe('1 entity');
    expect(plural(5110, 'hat')).toBe('5,110 hats');
  });
});
