import fs from 'node:fs';
import path from 'node:path';
import { parseSloDocuments, parseTimeSliceWindow } from './parseOpenSlo';
import { SloDefinition } from './sloDefinition';
import { timeWindowBounds } from './sloWindow';

// OpenSLO v1 documents as OpenSLO's own tools and examples lay them out (see
// __fixtures__/openslo): every valid one is read without a word, every
// invalid one is an invalid-slo warning naming the document and the field.

const FIXTURES = path.join(__dirname, '__fixtures__', 'openslo');
// The example catalog's own SLOs (the example portal shows them too).
const PROJECT_EXAMPLES = path.join(
  __dirname,
  '..',
  '__fixtures__',
  'example-catalog',
  'openslo',
);

const read = (file: string, source?: string) =>
  parseSloDocuments(
    file,
    fs.readFileSync(path.join(FIXTURES, file), 'utf8'),
    source,
  );

/** The SLO of that name; fails the test when it was not read. */
function sloNamed(slos: SloDefinition[], name: string): SloDefinition {
  const slo = slos.find(s => s.name === name);
  if (!slo)
    throw new Error(
      `no SLO "${name}" among ${slos.map(s => s.name).join(', ')}`,
    );
  return slo;
}

const invalid = (message: string) => ({ code: 'invalid-slo', message });

const prometheus = (query: string, sourceRef?: string) => ({
  type: 'Prometheus',
  query,
  ...(sourceRef ? { sourceRef } : {}),
});

describe('OpenSLO v1 documents', () => {
  describe('every kind of v1, as YAML documents or as a top-level list', () => {
    const ORDERS_QUERY = 'orders_requests_total';
    const SEARCH_QUERY =
      'histogram_quantile(0.99, sum by (le) (rate(search_duration_seconds_bucket[5m])))';
    const expected: SloDefinition[] = [
      {
        name: 'orders-availability',
        displayName: 'Orders availability',
        description: 'Orders are accepted',
        budgetingMethod: 'Occurrences',
        timeWindow: { duration: '28d', isRolling: true },
        objectives: [{ displayName: 'Orders accepted', target: 0.995 }],
        indicator: 'order-requests',
        sli: {
          name: 'order-requests',
          ratio: {
            counter: true,
            // type: left out, inferred from the DataSource the source names
            parts: {
              good: prometheus(
                `${ORDERS_QUERY}{code!~"5.."}`,
                'bookshop-prometheus',
              ),
              total: prometheus(ORDERS_QUERY, 'bookshop-prometheus'),
            },
          },
        },
        source: 'bookshop',
      },
      {
        name: 'search-latency',
        displayName: 'Search latency',
        budgetingMethod: 'Timeslices',
        timeWindow: { duration: '1w', isRolling: true },
        objectives: [
          {
            displayName: 'Searches answer within 300 ms',
            target: 0.95,
            timeSliceTarget: 0.9,
            timeSliceWindow: { text: '5m', ms: 5 * 60_000 },
          },
        ],
        indicator: 'search-duration',
        sli: {
          name: 'search-duration',
          threshold: prometheus(SEARCH_QUERY, 'bookshop-prometheus'),
        },
        source: 'bookshop',
      },
    ];

    it('reads all SLOs of a file of YAML documents (labels, annotations, alert objects and all) without a warning', async () => {
      const { slos, warnings } = await read('all-kinds.yaml', 'bookshop');
      expect(warnings).toEqual([]);
      expect(slos).toEqual(expected);
    });

    it('reads the same objects written as one top-level list the same way', async () => {
      const { slos, warnings } = await read('all-kinds-list.yaml', 'bookshop');
      expect(warnings).toEqual([]);
      expect(slos).toEqual(expected);
    });
  });

  it('reads every shape of SLI: good/total, bad/total, raw success and failure, thresholds with each op', async () => {
    const { slos, warnings } = await read('indicators.yaml');
    expect(warnings).toEqual([]);
    const sliOf = (name: string) => sloNamed(slos, name).sli;

    expect(sliOf('basket-good-total')).toEqual({
      name: 'basket-requests',
      ratio: {
        counter: true,
        parts: {
          good: {
            type: 'prometheus',
            query: 'basket_requests_total{code!~"5.."}',
          },
          total: { type: 'prometheus', query: 'basket_requests_total' },
        },
      },
    });
    expect(sliOf('basket-bad-total')).toEqual({
      name: 'basket-errors',
      ratio: {
        counter: false,
        parts: {
          bad: {
            type: 'Datadog',
            sourceRef: 'warehouse-datadog',
            query: 'sum:basket.errors{env:prod}.as_count()',
          },
          total: {
            type: 'Datadog',
            sourceRef: 'warehouse-datadog',
            query: 'sum:basket.requests{env:prod}.as_count()',
          },
        },
      },
    });
    // counter left out: true, as OpenSLO says
    expect(sliOf('wifi-raw-success')).toEqual({
      name: 'wifi-satisfaction',
      ratio: {
        counter: true,
        rawType: 'success',
        parts: {
          raw: prometheus(
            'avg_over_time(wifi_client_satisfaction_ratio[{{.window}}])',
          ),
        },
      },
    });
    expect(sliOf('wifi-raw-failure')).toEqual({
      name: 'wifi-drops',
      ratio: {
        counter: true,
        rawType: 'failure',
        parts: {
          raw: prometheus('avg_over_time(wifi_client_drop_ratio[{{.window}}])'),
        },
      },
    });

    const threshold = {
      name: 'page-render-seconds',
      threshold: prometheus(
        'histogram_quantile(0.95, sum by (le) (rate(page_render_seconds_bucket[5m])))',
      ),
    };
    for (const name of ['render-lte', 'render-gte', 'render-lt', 'render-gt']) {
      const slo = sloNamed(slos, name);
      expect(slo.sli).toEqual(threshold);
      expect(slo.indicator).toBe('page-render-seconds');
      expect(slo.objectives).toEqual([{ displayName: '99 %', target: 0.99 }]);
    }
  });

  it('names an indicatorRef that finds no SLI, and still computes the SLO from its sli events', async () => {
    const { slos, warnings } = await read('missing-indicator.yaml');
    expect(warnings).toEqual([
      invalid(
        'missing-indicator.yaml document 1 (wishlist-availability): spec.indicatorRef "wishlist-requests" names no SLI ' +
          'in missing-indicator.yaml; the SLO is computed from its sli events',
      ),
    ]);
    expect(slos).toHaveLength(1);
    expect(slos[0]).toMatchObject({
      name: 'wishlist-availability',
      indicator: 'wishlist-requests',
      sli: { name: 'wishlist-requests' },
    });
    expect(slos[0].sli?.ratio).toBeUndefined();
  });

  it('accepts alert policies inline, by alertPolicyRef and left empty, without a warning', async () => {
    const { slos, warnings } = await read('alert-policies.yaml');
    expect(warnings).toEqual([]);
    expect(slos.map(s => s.name)).toEqual([
      'checkout-inline-policy',
      'checkout-referenced-policy',
      'checkout-no-policy',
    ]);
    for (const slo of slos)
      expect(slo.sli?.ratio?.parts.good?.query).toBe(
        'checkout_requests_total{code!~"5.."}',
      );
  });

  it('reads display names, targets and percentages, and warns about an objective that gives both', async () => {
    const { slos, warnings } = await read('objectives.yaml');
    expect(warnings).toEqual([
      invalid(
        'objectives.yaml document 2 (delivery-twice): spec.objectives[0] has both target and targetPercent; give one',
      ),
    ]);
    const onTime = sloNamed(slos, 'delivery-on-time');
    expect(onTime.displayName).toBe('Deliveries on time');
    expect(onTime.timeWindow).toEqual({ duration: '4w', isRolling: true });
    // targetPercent 99.9 is the same target as 0.999, to the last bit
    expect(onTime.objectives).toEqual([
      { displayName: 'Most deliveries arrive on time', target: 0.95 },
      { displayName: 'Nearly all deliveries arrive on time', target: 0.999 },
      { displayName: '90 %', target: 0.9 },
    ]);
    const twice = sloNamed(slos, 'delivery-twice');
    expect(twice.displayName).toBeUndefined();
    expect(twice.objectives).toEqual([{ displayName: '90 %', target: 0.9 }]);
  });

  it('reads Occurrences, Timeslices with each way to write a slice, and RatioTimeslices without a timeSliceTarget', async () => {
    const { slos, warnings } = await read('budgeting-methods.yaml');
    expect(warnings).toEqual([]);
    expect(slos.map(s => [s.name, s.budgetingMethod])).toEqual([
      ['payments-occurrences', 'Occurrences'],
      ['payments-timeslices', 'Timeslices'],
      ['payments-ratio-timeslices', 'RatioTimeslices'],
    ]);
    expect(sloNamed(slos, 'payments-occurrences').objectives).toEqual([
      { displayName: '99.5 %', target: 0.995 },
    ]);
    expect(sloNamed(slos, 'payments-timeslices').objectives).toEqual([
      {
        displayName: 'Minutes',
        target: 0.99,
        timeSliceTarget: 0.95,
        timeSliceWindow: { text: '1m', ms: 60_000 },
      },
      {
        displayName: 'Five minutes',
        target: 0.99,
        timeSliceTarget: 0.95,
        timeSliceWindow: { text: '5m', ms: 300_000 },
      },
      {
        displayName: 'Hours',
        target: 0.9,
        timeSliceTarget: 1,
        timeSliceWindow: { text: '1h', ms: 3_600_000 },
      },
      // a bare number is minutes
      {
        displayName: 'Five minutes, as a number',
        target: 0.99,
        timeSliceTarget: 0.95,
        timeSliceWindow: { text: '5m', ms: 300_000 },
      },
    ]);
    expect(sloNamed(slos, 'payments-ratio-timeslices').objectives).toEqual([
      {
        displayName: '99 %',
        target: 0.99,
        timeSliceWindow: { text: '1m', ms: 60_000 },
      },
    ]);
  });

  describe('time windows', () => {
    // A Tuesday in summer: New York on EDT (UTC−4), Berlin on CEST (UTC+2).
    const UNTIL = Date.parse('2026-06-30T09:30:45Z');
    const windowsOf = async () => {
      const { slos, warnings } = await read('calendar-windows.yaml');
      expect(warnings).toEqual([]);
      return (name: string) => sloNamed(slos, name).timeWindow;
    };
    const startOf = (window: SloDefinition['timeWindow'], until: number) => {
      const bounds = timeWindowBounds(window, until);
      expect(bounds.endMs).toBe(until);
      return new Date(bounds.startMs).toISOString();
    };

    it('reads calendar windows as written, an unquoted start time included', async () => {
      const windowOf = await windowsOf();
      expect(windowOf('monthly-berlin')).toEqual({
        duration: '1M',
        isRolling: false,
        calendar: {
          startTime: '2024-01-01 00:00:00',
          timeZone: 'Europe/Berlin',
        },
      });
      expect(windowOf('weekly-new-york')).toEqual({
        duration: '1w',
        isRolling: false,
        calendar: {
          startTime: '2022-01-01 12:00:00',
          timeZone: 'America/New_York',
        },
      });
    });

    it.each([
      // the month in Berlin starts at 00:00 CEST
      ['monthly-berlin', '2026-05-31T22:00:00.000Z'],
      // weeks from Saturday 1 January 2022 12:00 in New York: Saturday 27 June 2026, 12:00 EDT
      ['weekly-new-york', '2026-06-27T16:00:00.000Z'],
      // quarters from 1 February: February, May, August, November
      ['quarterly', '2026-05-01T00:00:00.000Z'],
      // years from 1 July: 30 June is the last day of the year that began in 2025
      ['yearly', '2025-07-01T00:00:00.000Z'],
      // minutes from 12:00:30 New York time: each starts at :30 seconds
      ['minutely-since-2022', '2026-06-30T09:30:30.000Z'],
      // isRolling left out with a calendar: the calendar month (UTC)
      ['calendar-implied', '2026-06-01T00:00:00.000Z'],
      // isRolling left out without a calendar: the last 7 days
      ['rolling-implied', '2026-06-23T09:30:45.000Z'],
      // no time window: the last 30 days
      ['no-time-window', '2026-05-31T09:30:45.000Z'],
    ])('finds the window of %s ending at `until`', async (name, start) => {
      const windowOf = await windowsOf();
      expect(startOf(windowOf(name), UNTIL)).toBe(start);
    });

    it('tells calendar windows from rolling ones when isRolling is left out', async () => {
      const windowOf = await windowsOf();
      expect(windowOf('calendar-implied')).toEqual({
        duration: '1M',
        isRolling: false,
        calendar: { timeZone: 'UTC' },
      });
      expect(windowOf('rolling-implied')).toEqual({
        duration: '7d',
        isRolling: true,
      });
      expect(windowOf('no-time-window')).toEqual({
        duration: '30d',
        isRolling: true,
      });
    });

    it('keeps calendar periods on local time across daylight saving', async () => {
      const windowOf = await windowsOf();
      // Wednesday 14 January 2026, 07:00 EST: the week began Saturday 10 January, 12:00 EST
      expect(
        startOf(
          windowOf('weekly-new-york'),
          Date.parse('2026-01-14T12:00:00Z'),
        ),
      ).toBe('2026-01-10T17:00:00.000Z');
      // 1 March 2026, 00:30 CET is still in the March period (and 23:30 UTC the day before)
      expect(
        startOf(windowOf('monthly-berlin'), Date.parse('2026-02-28T23:30:00Z')),
      ).toBe('2026-02-28T23:00:00.000Z');
    });

    it('finds the minute of a one-minute calendar counted from 2022 at any `until`, boundaries included', async () => {
      const minutely = (await windowsOf())('minutely-since-2022');
      // exactly on a period's start: the window is that period, empty so far
      expect(startOf(minutely, Date.parse('2026-06-30T09:31:30Z'))).toBe(
        '2026-06-30T09:31:30.000Z',
      );
      // one millisecond before it: still the period before
      expect(startOf(minutely, Date.parse('2026-06-30T09:31:29.999Z'))).toBe(
        '2026-06-30T09:30:30.000Z',
      );
      // in winter (EST) and decades on: the same seconds past the minute
      expect(startOf(minutely, Date.parse('2026-01-15T10:00:10Z'))).toBe(
        '2026-01-15T09:59:30.000Z',
      );
      expect(startOf(minutely, Date.parse('2099-12-31T23:59:59Z'))).toBe(
        '2099-12-31T23:59:30.000Z',
      );
    });
  });

  it('reads a composite SLO: an indicator per objective, inline or by ref, weights allowed', async () => {
    const { slos, warnings } = await read('composite.yaml');
    expect(warnings).toEqual([]);
    expect(slos).toHaveLength(1);
    const [slo] = slos;
    expect(slo).toMatchObject({
      name: 'buy-a-book',
      displayName: 'Buying a book, end to end',
      budgetingMethod: 'Occurrences',
    });
    expect(slo.indicator).toBeUndefined();
    expect(slo.sli).toBeUndefined();
    expect(slo.objectives).toEqual([
      {
        displayName: 'Browse the catalogue',
        target: 0.99,
        sli: {
          name: 'catalogue-requests',
          // counter left out: true
          ratio: {
            counter: true,
            parts: {
              good: prometheus('catalogue_requests_total{code!~"5.."}'),
              total: prometheus('catalogue_requests_total'),
            },
          },
        },
      },
      {
        displayName: 'Pay',
        target: 0.995,
        sli: {
          name: 'card-payments',
          ratio: {
            counter: true,
            parts: {
              bad: prometheus('card_payments_total{result="declined_by_us"}'),
              total: prometheus('card_payments_total'),
            },
          },
        },
      },
      {
        displayName: 'Ship',
        target: 0.98,
        sli: {
          name: 'shipments',
          ratio: {
            counter: false,
            parts: {
              good: { type: 'Datadog', query: 'sum:shipments.on_time{*}' },
              total: { type: 'Datadog', query: 'sum:shipments.all{*}' },
            },
          },
        },
      },
    ]);
  });

  it('validates SLI documents: each broken rule is a warning naming the SLI and the field', async () => {
    const { slos, warnings } = await read('invalid-slis.yaml');
    const item = (n: number, name: string, problem: string) =>
      invalid(`invalid-slis.yaml document 1 item ${n} (${name}): ${problem}`);
    expect(warnings).toEqual([
      item(
        1,
        'good-and-bad',
        'spec.ratioMetric has both good and bad; give one of them with total',
      ),
      item(
        2,
        'raw-and-good',
        'spec.ratioMetric.raw cannot be used together with good',
      ),
      item(
        3,
        'raw-without-type',
        'spec.ratioMetric.rawType must be success or failure when raw is given',
      ),
      item(
        4,
        'type-without-raw',
        'spec.ratioMetric.rawType is only used with raw',
      ),
      item(5, 'no-total', 'spec.ratioMetric.total is missing'),
      item(6, 'no-metric', 'spec needs a ratioMetric or a thresholdMetric'),
      item(
        7,
        'both-metrics',
        'spec has both ratioMetric and thresholdMetric; give one',
      ),
      item(
        8,
        'counter-as-text',
        'spec.ratioMetric.counter must be true or false',
      ),
    ]);
    // The SLOs are read; the one naming a broken SLI is left to its sli events.
    expect(sloNamed(slos, 'fine').sli?.ratio?.parts.good).toEqual(
      prometheus('ok_total'),
    );
    expect(sloNamed(slos, 'names-a-broken-sli').sli).toEqual({
      name: 'good-and-bad',
    });
  });

  it('says so, once and naming them, when a location holds SLIs but no SLO', async () => {
    const { slos, warnings } = await read('only-slis.yaml');
    expect(slos).toEqual([]);
    expect(warnings).toEqual([
      invalid(
        'only-slis.yaml: holds only SLIs (catalogue-requests, catalogue-latency), no SLO; ' +
          'add an SLO (kind: SLO) that names one in spec.indicatorRef to see its budget',
      ),
    ]);
  });

  it('warns about other apiVersions and kinds, and reads the v1 SLO beside them', async () => {
    const { slos, warnings } = await read('other-versions.yaml');
    expect(warnings).toEqual([
      invalid(
        'other-versions.yaml document 1 (legacy-search): apiVersion "openslo/v1alpha" is not supported; use openslo/v1',
      ),
      invalid(
        'other-versions.yaml document 2 (next-search): apiVersion "openslo.com/v2alpha" is not supported; use openslo/v1',
      ),
      invalid(
        'other-versions.yaml document 3 (search-board): kind "Dashboard" is not an OpenSLO v1 kind',
      ),
    ]);
    expect(slos.map(s => s.name)).toEqual(['search-availability']);
  });

  it('warns about each broken rule of SLO indicators, objectives and windows, keeping what can be computed', async () => {
    const { slos, warnings } = await read('slo-rules.yaml');
    const item = (n: number, name: string, problem: string) =>
      invalid(`slo-rules.yaml document 1 item ${n} (${name}): ${problem}`);
    expect(warnings).toEqual([
      item(
        2,
        'indicator-left-empty',
        'spec.indicator is missing (give an inline indicator or an indicatorRef, or one per objective)',
      ),
      item(
        3,
        'indicator-and-ref',
        'spec has both indicator and indicatorRef; give one (the inline indicator is read)',
      ),
      item(
        4,
        'objective-indicator-unread',
        "spec.objectives[0] names an indicator, which only a composite SLO (no spec.indicator or spec.indicatorRef) reads; the SLO's own is used",
      ),
      item(
        5,
        'composite-gap',
        'spec.objectives[1].indicator is missing: each objective of a composite SLO gives an indicator or indicatorRef',
      ),
      item(
        6,
        'composite-weightless',
        'spec.objectives[0].compositeWeight must be a number above 0 (default 1)',
      ),
      item(
        7,
        'odd-comparison',
        'spec.objectives[0].op "eq" is not one of lte, gte, lt, gt',
      ),
      item(7, 'odd-comparison', 'spec.objectives[0].value must be a number'),
      item(
        8,
        'rolling-calendar',
        'spec.timeWindow[0].calendar cannot be used with isRolling: true; the window rolls (set isRolling: false for a calendar window)',
      ),
      item(9, 'unnamed-inline', 'spec.indicator.metadata.name is missing'),
      item(
        10,
        'source-without-spec',
        'spec.indicator.spec.ratioMetric.good.metricSource.spec is missing (the query, and whatever else the source needs)',
      ),
      item(
        11,
        'ref-not-a-name',
        'spec.indicatorRef must be the name of an SLI',
      ),
      item(
        12,
        'monthly-slices',
        'spec.objectives[0].timeSliceWindow "1M" has no fixed length; give minutes, hours, days or weeks, e.g. 1m, 5m, 1h or 1d; ' +
          'each sli event is a slice meanwhile',
      ),
      item(
        13,
        'slices-without-target',
        'spec.objectives[0].timeSliceTarget is required for Timeslices: a number above 0 and at most 1, e.g. 0.95',
      ),
    ]);
    expect(slos.map(s => s.name)).toEqual([
      'indicator-and-ref',
      'objective-indicator-unread',
      'composite-gap',
      'composite-weightless',
      'odd-comparison',
      'rolling-calendar',
      'unnamed-inline',
      'source-without-spec',
      'ref-not-a-name',
      'monthly-slices',
      'threshold-left-empty',
    ]);
    expect(sloNamed(slos, 'indicator-and-ref').indicator).toBe(
      'inline-requests',
    );
    expect(sloNamed(slos, 'objective-indicator-unread')).toMatchObject({
      indicator: 'requests',
      objectives: [{ target: 0.99 }],
    });
    expect(
      sloNamed(slos, 'objective-indicator-unread').objectives[0].sli,
    ).toBeUndefined();
    expect(sloNamed(slos, 'composite-gap').objectives).toEqual([
      expect.objectContaining({
        displayName: 'With an indicator',
        sli: expect.objectContaining({ name: 'requests' }),
      }),
    ]);
    expect(sloNamed(slos, 'rolling-calendar').timeWindow).toEqual({
      duration: '1M',
      isRolling: true,
    });
    expect(sloNamed(slos, 'source-without-spec').sli).toEqual({
      name: 'queryless',
    });
    expect(sloNamed(slos, 'monthly-slices').objectives).toEqual([
      { displayName: '99 %', target: 0.99 },
    ]);
    // `thresholdMetric:` left empty is as good as absent
    expect(
      sloNamed(slos, 'threshold-left-empty').sli?.ratio?.parts.total,
    ).toEqual(prometheus('all_total'));
  });

  it.each(
    fs.readdirSync(PROJECT_EXAMPLES).filter(file => file.endsWith('.yaml')),
  )("reads the project's own example %s without a warning", async file => {
    const { slos, warnings } = await parseSloDocuments(
      file,
      fs.readFileSync(path.join(PROJECT_EXAMPLES, file), 'utf8'),
    );
    expect(warnings).toEqual([]);
    expect(slos.length).toBeGreaterThan(0);
    for (const slo of slos)
      expect(slo.sli?.ratio ?? slo.sli?.threshold).toBeDefined();
  });
});

describe('parseTimeSliceWindow', () => {
  it.each([
    ['1m', { text: '1m', ms: 60_000 }],
    ['5m', { text: '5m', ms: 300_000 }],
    ['1h', { text: '1h', ms: 3_600_000 }],
    ['1d', { text: '1d', ms: 86_400_000 }],
    ['1w', { text: '1w', ms: 604_800_000 }],
    [5, { text: '5m', ms: 300_000 }],
    [0.5, { text: '0.5m', ms: 30_000 }],
  ])('reads %p', (value, expected) => {
    expect(parseTimeSliceWindow(value)).toEqual(expected);
  });

  it.each([
    [0, '0 must be a number of minutes from one second (1/60) to 366 days'],
    [
      1e-9,
      '1e-9 must be a number of minutes from one second (1/60) to 366 days',
    ],
    [
      '1M',
      '"1M" has no fixed length; give minutes, hours, days or weeks, e.g. 1m, 5m, 1h or 1d',
    ],
    [
      '5',
      '"5" is not a slice length like 1m, 5m, 1h or 1d (minutes when a number)',
    ],
    ['0m', '"0m" must be longer than zero and at most 366 days'],
    ['367d', '"367d" must be longer than zero and at most 366 days'],
  ])('refuses %p', (value, reason) => {
    expect(() => parseTimeSliceWindow(value)).toThrow(reason);
  });
});
