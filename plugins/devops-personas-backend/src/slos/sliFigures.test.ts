import { computeSloFromEvents } from './computeSlo';
import { SloDefinition } from './sloDefinition';

const UNTIL = Date.parse('2026-06-30T00:00:00Z');
const at = (iso: string) => Date.parse(iso);
const MINUTE = 60_000;

const slo = (method: SloDefinition['budgetingMethod'], objective: Partial<SloDefinition['objectives'][number]>): SloDefinition => ({
  name: 's',
  budgetingMethod: method,
  timeWindow: { duration: '1d', isRolling: true },
  objectives: [{ displayName: 'o', target: 0.9, ...objective }],
  source: 'test',
});

// Three one-minute samples in the slice 23:00–23:15 (epoch aligned), one in the next.
const samples = [
  { startMs: at('2026-06-29T23:00:00Z'), good: 90, total: 100 },
  { startMs: at('2026-06-29T23:05:00Z'), good: 100, total: 100 },
  { startMs: at('2026-06-29T23:14:00Z'), good: 0, total: 0 },
  { startMs: at('2026-06-29T23:20:00Z'), good: 50, total: 100 },
];
const window15m = { timeSliceWindow: { text: '15m', ms: 15 * MINUTE } };

describe('slices of sli events', () => {
  it('groups samples into epoch-aligned slices of timeSliceWindow for Timeslices', () => {
    const [o] = computeSloFromEvents(slo('Timeslices', { timeSliceTarget: 0.95, ...window15m }), samples, UNTIL).objectives;
    // 23:00 slice: 190 / 200 = 0.95 ≥ 0.95, good; 23:15 slice: 0.5, bad
    expect(o.attainment).toBe(0.5);
    expect(o.timeSliceWindow).toBe('15m');
  });

  it('makes each sample a slice without a timeSliceWindow, leaving out empty ones', () => {
    const [o] = computeSloFromEvents(slo('Timeslices', { timeSliceTarget: 0.95 }), samples, UNTIL).objectives;
    // 0.9 bad, 1.0 good, empty left out, 0.5 bad
    expect(o.attainment).toBeCloseTo(1 / 3, 12);
  });

  it('averages the slices\' good ÷ total for RatioTimeslices', () => {
    const [sliced] = computeSloFromEvents(slo('RatioTimeslices', window15m), samples, UNTIL).objectives;
    expect(sliced.attainment).toBeCloseTo((0.95 + 0.5) / 2, 12);
    // budget 0.1: 1 − 0.275 / 0.1
    expect(sliced.budgetRemaining).toBeCloseTo(1 - 0.275 / 0.1, 12);
    const [each] = computeSloFromEvents(slo('RatioTimeslices', {}), samples, UNTIL).objectives;
    expect(each.attainment).toBeCloseTo((0.9 + 1 + 0.5) / 3, 12);
  });

  it('counts in a burn window only the samples that start in it, then slices them', () => {
    const [o] = computeSloFromEvents(slo('RatioTimeslices', window15m), samples, UNTIL).objectives;
    // 1 h window from 23:00: both slices; 30 m window from 23:30: none
    expect(o.burnRates['1h']).toBeCloseTo((1 - 0.725) / 0.1, 12);
    expect(o.burnRates['30m']).toBeNull();
    const late = computeSloFromEvents(slo('RatioTimeslices', window15m), samples, at('2026-06-29T23:40:00Z')).objectives[0];
    // 30 m window from 23:10: the 23:14 (empty) sample and the 23:20 one; the 23:00 slice keeps only 23:14, empty
    expect(late.burnRates['30m']).toBeCloseTo(0.5 / 0.1, 12);
  });
});
