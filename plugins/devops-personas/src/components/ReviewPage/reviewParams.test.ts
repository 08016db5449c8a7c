import {
  entitiesInWords,
  kpiWindowInWords,
  nextWeekUntil,
  normaliseEntityRef,
} from './reviewParams';

describe('review parameters', () => {
  it('normalises entity refs to full lower-case refs, and rejects text that is none', () => {
    expect(normaliseEntityRef('System:Payments')).toBe(
      'system:default/payments',
    );
    expect(normaliseEntityRef(' group:Shop/SRE ')).toBe('group:shop/sre');
    expect(normaliseEntityRef('payments')).toBeUndefined();
    expect(normaliseEntityRef('')).toBeUndefined();
  });

  it('says the KPI window in words', () => {
    expect(kpiWindowInWords('30d')).toBe('30-day');
    expect(kpiWindowInWords('P90D')).toBe('90-day');
    expect(kpiWindowInWords('P4W')).toBe('4-week');
    expect(kpiWindowInWords('P1M')).toBe('P1M');
  });

  it('counts the entities reviewed in the right number', () => {
    expect(entitiesInWords(1)).toBe('1 entity reviewed');
    expect(entitiesInWords(12)).toBe('12 entities reviewed');
  });

  it('ends the next week a week later, or not at all when it has not ended yet', () => {
    const now = Date.parse('2026-12-10T12:00:00Z');
    expect(nextWeekUntil('2026-11-30T00:00:00.000Z', now)).toBe(
      '2026-12-07T00:00:00.000Z',
    );
    expect(nextWeekUntil('2026-12-07T00:00:00.000Z', now)).toBeUndefined();
  });
});
