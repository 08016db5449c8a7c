import { assessChange, tierWithEvidence } from './decorate';

const steady = { points: 2, ratio: 0.05 };
const window = { startMs: Date.parse('2026-06-01T00:00:00Z'), endMs: Date.parse('2026-06-08T00:00:00Z') };

describe('assessChange', () => {
  const rate = { unit: 'fraction', direction: 'lower' as const };
  const duration = { unit: 'seconds', direction: 'lower' as const };
  const frequency = { unit: 'per-week', direction: 'higher' as const };

  it('judges rates in percentage points, below the threshold steady', () => {
    expect(assessChange(rate, -0.01, -0.2, steady)).toBe('steady');
    expect(assessChange(rate, 0.019, 0.5, steady)).toBe('steady');
    expect(assessChange(rate, -0.05, -0.06, steady)).toBe('better');
    expect(assessChange(rate, 0.05, 0.06, steady)).toBe('worse');
  });

  it('judges other KPIs relative to their baseline, by direction', () => {
    expect(assessChange(duration, 100, 0.01, steady)).toBe('steady');
    expect(assessChange(duration, 3600, 0.5, steady)).toBe('worse');
    expect(assessChange(frequency, 2, 0.5, steady)).toBe('better');
    expect(assessChange(frequency, -2, -0.5, steady)).toBe('worse');
    // from a zero baseline there is no ratio: any change counts
    expect(assessChange(frequency, 1, null, steady)).toBe('better');
    expect(assessChange(frequency, 0, null, steady)).toBe('steady');
    expect(assessChange(frequency, null, null, steady)).toBeNull();
  });
});

describe('tierWithEvidence', () => {
  const builtIn = (id: string) => ({ id, kind: 'built-in' });

  it('gives a tier only from the minimum sample, saying why not below it', () => {
    expect(tierWithEvidence(builtIn('change-failure-rate'), { value: 0, sampleSize: 1 }, window, 'low', 5)).toEqual({
      tier: null,
      tierPeriod: { start: '2026-06-01T00:00:00.000Z', end: '2026-06-08T00:00:00.000Z' },
      tierNote: 'No tier: 1 deployment in this window; a tier needs at least 5.',
    });
    expect(tierWithEvidence(builtIn('change-failure-rate'), { value: 0, sampleSize: 5 }, window, 'low', 5).tier).toBe('elite');
    expect(tierWithEvidence(builtIn('time-to-restore'), { value: null, sampleSize: 0 }, window, 'low', 5).tierNote).toBe(
      'No tier: no resolved incidents in this window.',
    );
  });

  it("gives deployment frequency its 12-week tier whatever the window's sample", () => {
    expect(tierWithEvidence(builtIn('deployment-frequency'), { value: 0, sampleSize: 0 }, window, 'medium', 5)).toEqual({
      tier: 'medium',
      tierPeriod: { start: '2026-03-16T00:00:00.000Z', end: '2026-06-08T00:00:00.000Z' },
      tierNote: null,
    });
  });

  it('gives no tier, period or note to KPIs without tiers', () => {
    expect(tierWithEvidence(builtIn('rollback-rate'), { value: 0.1, sampleSize: 9 }, window, 'elite', 5)).toEqual({
      tier: null,
      tierPeriod: null,
      tierNote: null,
    });
    expect(tierWithEvidence({ id: 'coverage', kind: 'measurement' }, { value: 80, sampleSize: 9 }, window, 'elite', 5).tier).toBeNull();
  });
});
