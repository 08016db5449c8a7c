import { SloResult } from '@devops-personas/plugin-devops-personas-common';
import {
  budgetingMethodInWords,
  queryKindInWords,
  sampleSizeInWords,
  sliceLengthInWords,
} from './sloWording';

const slo = (extra: Partial<SloResult>): SloResult => ({
  name: 'checkout-availability',
  entityRef: 'component:default/checkout',
  budgetingMethod: 'Occurrences',
  dataSource: { type: 'events' },
  window: {
    duration: '30d',
    isRolling: true,
    start: '2026-05-31T00:00:00.000Z',
    end: '2026-06-30T00:00:00.000Z',
  },
  objectives: [],
  sampleSize: 1,
  source: 'openslo.yaml',
  ...extra,
});

const prometheus = {
  type: 'prometheus' as const,
  counter: true,
  queries: [{ role: 'good' as const, query: 'ok_total', source: 'default' }],
};

describe('sloWording', () => {
  it('names each budgeting method in words', () => {
    expect(budgetingMethodInWords('Occurrences')).toBe('Occurrences');
    expect(budgetingMethodInWords('Timeslices')).toBe('Timeslices');
    expect(budgetingMethodInWords('RatioTimeslices')).toBe('Ratio timeslices');
  });

  it('says a slice length in words when it is a number and a unit, else as written', () => {
    expect(sliceLengthInWords('1m')).toBe('1-minute slices');
    expect(sliceLengthInWords('5m')).toBe('5-minute slices');
    expect(sliceLengthInWords('30s')).toBe('30-second slices');
    expect(sliceLengthInWords('1h')).toBe('1-hour slices');
    expect(sliceLengthInWords('1d')).toBe('1-day slices');
    expect(sliceLengthInWords('1h30m')).toBe('slices of 1h30m');
    expect(sliceLengthInWords('PT5M')).toBe('slices of PT5M');
  });

  it('says what the sample size counts, in the singular for one', () => {
    expect(sampleSizeInWords(slo({}))).toBe('1 sli event');
    expect(sampleSizeInWords(slo({ sampleSize: 1200 }))).toBe(
      '1,200 sli events',
    );
    expect(
      sampleSizeInWords(slo({ dataSource: prometheus, sampleSize: 1 })),
    ).toBe('1 event counted');
    expect(
      sampleSizeInWords(slo({ dataSource: prometheus, sampleSize: 99.6 })),
    ).toBe('100 events counted');
    expect(
      sampleSizeInWords(
        slo({
          dataSource: prometheus,
          budgetingMethod: 'Timeslices',
          sampleSize: 1,
        }),
      ),
    ).toBe('1 slice with data');
    expect(
      sampleSizeInWords(
        slo({
          dataSource: prometheus,
          budgetingMethod: 'RatioTimeslices',
          sampleSize: 720,
        }),
      ),
    ).toBe('720 slices with data');
    expect(
      sampleSizeInWords(
        slo({
          dataSource: { ...prometheus, rawType: 'success' },
          sampleSize: 0,
        }),
      ),
    ).toBeUndefined();
  });

  it('says how a query is read: counter, summed gauge, or a raw ratio', () => {
    const good = prometheus.queries[0];
    expect(queryKindInWords(prometheus, good)).toBe('counter');
    expect(queryKindInWords({ ...prometheus, counter: false }, good)).toBe(
      'gauge (summed)',
    );
    const raw = { role: 'raw' as const, query: 'r', source: 'default' };
    expect(
      queryKindInWords(
        { ...prometheus, counter: false, rawType: 'success' },
        raw,
      ),
    ).toBe('ratio of successes');
    expect(
      queryKindInWords(
        { ...prometheus, counter: false, rawType: 'failure' },
        raw,
      ),
    ).toBe('ratio of failures');
    // a raw query without a rawType is read like the others
    expect(queryKindInWords(prometheus, raw)).toBe('counter');
  });
});
