import { Entity } from '@backstage/catalog-model';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { computeSloFromEvents, sloWindow } from './computeSlo';
import { SliSample } from './sliFigures';
import { readSloRef } from './SloDocuments';
import { parseSloDocuments } from './parseOpenSlo';
import { SloDefinition } from './sloDefinition';
import { SloService } from './SloService';
import { mockServices } from '@backstage/backend-test-utils';

const UNTIL = Date.parse('2026-06-30T00:00:00Z');
const at = (iso: string) => Date.parse(iso);

const occurrences: SloDefinition = {
  name: 'checkout-availability',
  budgetingMethod: 'Occurrences',
  timeWindow: { duration: '30d', isRolling: true },
  objectives: [{ displayName: '99 %', target: 0.99 }],
  source: 'test',
};

const samples: SliSample[] = [
  { startMs: at('2026-05-30T23:00:00Z'), good: 0, total: 1000 }, // before the window
  { startMs: at('2026-05-31T00:00:00Z'), good: 990, total: 1000 }, // at the start: in
  { startMs: at('2026-06-15T00:00:00Z'), good: 1000, total: 1000 },
  { startMs: at('2026-06-29T23:00:00Z'), good: 950, total: 1000 }, // the last hour
  { startMs: at('2026-06-30T00:00:00Z'), good: 0, total: 1000 }, // at `until`: out
];

describe('computeSlo', () => {
  it('computes attainment, budget and burn rates of an Occurrences SLO by hand', () => {
    const result = computeSloFromEvents(occurrences, samples, UNTIL);
    expect(result.window).toEqual({
      duration: '30d',
      isRolling: true,
      start: '2026-05-31T00:00:00.000Z',
      end: '2026-06-30T00:00:00.000Z',
    });
    expect(result.sampleSize).toBe(3);
    const [o] = result.objectives;
    // 2940 good of 3000
    expect(o.attainment).toBeCloseTo(0.98, 12);
    expect(o.errorBudget).toBeCloseTo(0.01, 12);
    // 1 − 0.02 / 0.01: overspent
    expect(o.budgetRemaining).toBeCloseTo(-1, 10);
    expect(o.met).toBe(false);
    // only the last-hour slice lies in the short windows: 5 % bad ÷ 1 % budget
    expect(o.burnRates['5m']).toBeNull();
    expect(o.burnRates['30m']).toBeNull();
    for (const w of ['1h', '2h', '6h', '1d', '3d'] as const) expect(o.burnRates[w]).toBeCloseTo(5, 10);
    // 1d and 2h above 3: ticket; nothing reaches 14.4 or 6 with its short window
    expect(o.alert).toBe('ticket');
    expect(o.burnDown).toHaveLength(30);
    // the window's budget is 1 % of 3000; the first day spent 10 of those 30
    expect(o.burnDown[0]).toEqual({ at: '2026-06-01T00:00:00.000Z', budgetRemaining: expect.closeTo(1 - 10 / 30, 10) });
    expect(o.burnDown[27].budgetRemaining).toBeCloseTo(1 - 10 / 30, 10);
    expect(o.burnDown[29].budgetRemaining).toBeCloseTo(-1, 10);
  });

  it('pages when the 1 h and 5 m burn rates both exceed 14.4', () => {
    const fast = [
      { startMs: at('2026-06-29T23:10:00Z'), good: 80, total: 100 },
      { startMs: at('2026-06-29T23:56:00Z'), good: 80, total: 100 },
    ];
    const [o] = computeSloFromEvents(occurrences, fast, UNTIL).objectives;
    expect(o.burnRates['5m']).toBeCloseTo(20, 10);
    expect(o.burnRates['1h']).toBeCloseTo(20, 10);
    expect(o.alert).toBe('page');
    const [slow] = computeSloFromEvents(occurrences, [{ startMs: at('2026-06-29T23:56:00Z'), good: 999, total: 1000 }], UNTIL).objectives;
    expect(slow.burnRates['5m']).toBeCloseTo(0.1, 10);
    expect(slow.alert).toBe('ok');
  });

  it('counts good slices for Timeslices, leaving out empty ones', () => {
    const slo: SloDefinition = {
      ...occurrences,
      budgetingMethod: 'Timeslices',
      objectives: [{ displayName: 'slices', target: 0.9, timeSliceTarget: 0.95 }],
    };
    const slices: SliSample[] = [
      { startMs: at('2026-06-01T00:00:00Z'), good: 990, total: 1000 },
      { startMs: at('2026-06-02T00:00:00Z'), good: 1000, total: 1000 },
      { startMs: at('2026-06-03T00:00:00Z'), good: 950, total: 1000 }, // exactly 0.95: good
      { startMs: at('2026-06-04T00:00:00Z'), good: 0, total: 0 }, // left out
      { startMs: at('2026-06-05T00:00:00Z'), good: 900, total: 1000 }, // bad
    ];
    const [o] = computeSloFromEvents(slo, slices, UNTIL).objectives;
    expect(o.attainment).toBe(0.75);
    expect(o.budgetRemaining).toBeCloseTo(1 - 0.25 / 0.1, 10);
  });

  it('uses the calendar period that contains `until`, cut at it', () => {
    const monthly: SloDefinition = {
      ...occurrences,
      timeWindow: { duration: '1M', isRolling: false, calendar: { timeZone: 'UTC' } },
    };
    const until = at('2026-06-10T12:00:00Z');
    expect(sloWindow(monthly, until)).toEqual({ startMs: at('2026-06-01T00:00:00Z'), endMs: until });
    const berlin = { ...monthly, timeWindow: { ...monthly.timeWindow, calendar: { timeZone: 'Europe/Berlin' } } };
    expect(sloWindow(berlin, until).startMs).toBe(at('2026-05-31T22:00:00Z'));
    const weekly = { ...monthly, timeWindow: { duration: '2w', isRolling: false, calendar: { startTime: '2026-05-04 00:00:00', timeZone: 'UTC' } } };
    // fortnights from Monday 4 May: 4 May, 18 May, 1 June
    expect(sloWindow(weekly, until).startMs).toBe(at('2026-06-01T00:00:00Z'));
    const result = computeSloFromEvents(monthly, [
      { startMs: at('2026-05-31T23:00:00Z'), good: 0, total: 10 },
      { startMs: at('2026-06-05T00:00:00Z'), good: 9, total: 10 },
    ], until);
    expect(result.objectives[0].attainment).toBe(0.9);
  });

  it('gives null, not 0, without data', () => {
    const [o] = computeSloFromEvents(occurrences, [], UNTIL).objectives;
    expect(o).toMatchObject({ attainment: null, budgetRemaining: null, met: null, alert: 'ok' });
    expect(o.burnRates['1h']).toBeNull();
  });
});

const GOOD_DOCS = `apiVersion: openslo/v1
kind: SLI
metadata:
  name: checkout-success
spec:
  ratioMetric:
    counter: true
    good: { metricSource: { type: Prometheus, spec: { query: ok } } }
    total: { metricSource: { type: Prometheus, spec: { query: all } } }
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-availability
  displayName: Checkout availability
spec:
  service: checkout
  indicatorRef: checkout-success
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 30d
      isRolling: true
  objectives:
    - displayName: 99.5 % of requests succeed
      target: 0.995
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-latency
spec:
  indicator:
    metadata: { name: checkout-latency-sli }
    spec: { thresholdMetric: { metricSource: { type: Prometheus, spec: { query: p99 } } } }
  budgetingMethod: Timeslices
  timeWindow:
    - duration: 1M
      isRolling: false
      calendar: { startTime: '2026-01-01 00:00:00', timeZone: UTC }
  objectives:
    - target: 0.95
      timeSliceTarget: 0.99
`;

describe('parseSloDocuments', () => {
  it('reads SLOs with an inline indicator or an indicatorRef', async () => {
    const { slos, warnings } = await parseSloDocuments('openslo.yaml', GOOD_DOCS);
    expect(warnings).toEqual([]);
    expect(slos.map(s => [s.name, s.budgetingMethod, s.indicator, s.timeWindow.isRolling])).toEqual([
      ['checkout-availability', 'Occurrences', 'checkout-success', true],
      ['checkout-latency', 'Timeslices', 'checkout-latency-sli', false],
    ]);
    expect(slos[1].objectives).toEqual([{ displayName: '95 %', target: 0.95, timeSliceTarget: 0.99 }]);
  });

  it.each([
    ['bad YAML', 'apiVersion: openslo/v1\nkind: SLO\n  metadata: [', /openslo.yaml document 1: is not valid YAML/],
    ['an unknown kind', 'apiVersion: openslo/v1\nkind: Dashboard\nmetadata: { name: x }', /document 1 \(x\): kind "Dashboard" is not an OpenSLO v1 kind/],
    ['another apiVersion', 'apiVersion: openslo/v2alpha\nkind: SLO\nmetadata: { name: x }', /apiVersion "openslo\/v2alpha" is not supported/],
    ['a missing field', 'apiVersion: openslo/v1\nkind: SLO\nmetadata: { name: x }\nspec: { budgetingMethod: Occurrences, timeWindow: [{ duration: 30d, isRolling: true }], objectives: [{ target: 0.9 }] }', /\(x\): spec.indicator is missing/],
    ['an unsupported budgeting method', 'apiVersion: openslo/v1\nkind: SLO\nmetadata: { name: x }\nspec: { budgetingMethod: Weekly }', /spec.budgetingMethod "Weekly" is not supported; use Occurrences, Timeslices or RatioTimeslices/],
    ['no objectives', 'apiVersion: openslo/v1\nkind: SLO\nmetadata: { name: x }\nspec: { indicator: { metadata: { name: i } }, budgetingMethod: Occurrences, timeWindow: [{ duration: 30d }] }', /spec.objectives is missing/],
    ['a target out of range', 'apiVersion: openslo/v1\nkind: SLO\nmetadata: { name: x }\nspec: { indicator: { metadata: { name: i } }, budgetingMethod: Occurrences, timeWindow: [{ duration: 30d }], objectives: [{ target: 99.5 }] }', /spec.objectives\[0\].target must be a number from 0 up to \(not including\) 1/],
    ['Timeslices without timeSliceTarget', 'apiVersion: openslo/v1\nkind: SLO\nmetadata: { name: x }\nspec: { indicator: { metadata: { name: i } }, budgetingMethod: Timeslices, timeWindow: [{ duration: 30d }], objectives: [{ target: 0.9 }] }', /timeSliceTarget is required/],
  ])('turns %s into a warning naming document and field', async (_what, text, message) => {
    const { slos, warnings } = await parseSloDocuments('openslo.yaml', text);
    expect(slos).toEqual([]);
    expect(warnings).toEqual([expect.objectContaining({ code: 'invalid-slo', message: expect.stringMatching(message) })]);
  });

  it('keeps the good SLOs of a file that also has a bad one', async () => {
    const { slos, warnings } = await parseSloDocuments('f.yaml', `${GOOD_DOCS}---\napiVersion: openslo/v1\nkind: SLO\nmetadata: { name: broken }\nspec: {}\n`);
    expect(slos).toHaveLength(2);
    expect(warnings).toHaveLength(1);
  });

  it('gives up on a document the YAML parser would take minutes over, without holding the event loop', async () => {
    // 60,000 keys in one map: quadratic in the yaml parser's duplicate-key check
    const text = Array.from({ length: 60_000 }, (_, i) => `k${i}: 1`).join('\n');
    let ticks = 0;
    const ticking = setInterval(() => ticks++, 10);
    const { slos, warnings } = await parseSloDocuments('huge.yaml', text);
    clearInterval(ticking);
    expect(slos).toEqual([]);
    expect(warnings).toEqual([
      expect.objectContaining({ code: 'invalid-slo', message: 'huge.yaml: took longer than 750 ms to read; keep OpenSLO files small and plain' }),
    ]);
    // the event loop kept running while the worker parsed
    expect(ticks).toBeGreaterThan(10);
  });

  it('reads at most 500 documents and keeps 50 warnings of a location', async () => {
    const { warnings } = await parseSloDocuments('many.yaml', Array(600).fill('kind: Nothing').join('\n---\n'));
    expect(warnings).toHaveLength(51);
    expect(warnings[0].message).toBe('many.yaml: holds 600 documents; only the first 500 are read');
    expect(warnings[1].message).toBe('many.yaml document 1: apiVersion "" is not supported; use openslo/v1');
    expect(warnings[50].message).toBe('many.yaml: has 451 more problems');
  });

  it('refuses a document over 1 MiB before parsing it', async () => {
    const { warnings } = await parseSloDocuments('big.yaml', `a: ${'x'.repeat(1024 * 1024)}`);
    expect(warnings.map(w => w.message)).toEqual(['big.yaml: is larger than 1024 KiB']);
  });
});

describe('readSloRef', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-slo-'));
  const catalogDir = path.join(root, 'catalog');
  fs.mkdirSync(path.join(catalogDir, 'slos'), { recursive: true });
  fs.writeFileSync(path.join(catalogDir, 'slos', 'openslo.yaml'), GOOD_DOCS);
  fs.writeFileSync(path.join(root, 'secret.yaml'), 'secret: true');
  fs.symlinkSync(path.join(root, 'secret.yaml'), path.join(catalogDir, 'link.yaml'));
  const entity = (location: string): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'checkout', annotations: { 'backstage.io/managed-by-location': location } },
    spec: {},
  });
  const urlReader = {
    readUrl: jest.fn(async (url: string) => ({ buffer: async () => Buffer.from(`# from ${url}`) })),
    readTree: jest.fn(),
    search: jest.fn(),
  };

  it('reads a file relative to the entity file location', async () => {
    const { text } = await readSloRef(entity(`file:${path.join(catalogDir, 'catalog-info.yaml')}`), './slos/openslo.yaml', urlReader as any);
    expect(text).toBe(GOOD_DOCS);
  });

  it.each(['../secret.yaml', '/etc/passwd', 'slos/../../secret.yaml', './link.yaml'])(
    'refuses %p, which leaves the directory of the entity location',
    async ref => {
      await expect(
        readSloRef(entity(`file:${path.join(catalogDir, 'catalog-info.yaml')}`), ref, urlReader as any),
      ).rejects.toThrow(/outside the directory/);
    },
  );

  it('reads url locations through the URL reader, relative to the entity file', async () => {
    const { source, text } = await readSloRef(
      entity('url:https://github.com/acme/checkout/blob/main/catalog-info.yaml'),
      './openslo.yaml',
      urlReader as any,
    );
    expect(source).toBe('https://github.com/acme/checkout/blob/main/openslo.yaml');
    expect(text).toBe('# from https://github.com/acme/checkout/blob/main/openslo.yaml');
  });

  it.each([
    '../slo.yaml',
    '/etc/passwd',
    'slos/../../slo.yaml',
    '%2e%2e/slo.yaml',
    '..%2fslo.yaml',
    'slos/..%5c..%5cslo.yaml',
    '//evil.example.com/slo.yaml',
    'file:///etc/passwd',
  ])('refuses %p on a url: location, which leaves the directory of the entity file', async ref => {
    urlReader.readUrl.mockClear();
    await expect(
      readSloRef(entity('url:https://github.com/acme/checkout/blob/main/catalog-info.yaml'), ref, urlReader as any),
    ).rejects.toThrow(/outside the directory/);
    expect(urlReader.readUrl).not.toHaveBeenCalled();
  });

  it.each(['ftp://example.com/slo.yaml', 'mailto:sre@example.com', 'data:text/plain,x'])(
    'refuses the scheme of %p',
    async ref => {
      await expect(
        readSloRef(entity('url:https://github.com/acme/checkout/blob/main/catalog-info.yaml'), ref, urlReader as any),
      ).rejects.toThrow(/must be a path relative to the entity's catalog file or an http\(s\) URL/);
    },
  );

  it('reads a file whose name starts with two dots, on url: and file: locations', async () => {
    fs.writeFileSync(path.join(catalogDir, '..slo.yaml'), GOOD_DOCS);
    const file = await readSloRef(entity(`file:${path.join(catalogDir, 'catalog-info.yaml')}`), '..slo.yaml', urlReader as any);
    expect(file).toEqual({ source: '..slo.yaml', text: GOOD_DOCS });
    const url = await readSloRef(
      entity('url:https://github.com/acme/checkout/blob/main/catalog-info.yaml'),
      'slos/../..slo.yaml',
      urlReader as any,
    );
    expect(url.source).toBe('https://github.com/acme/checkout/blob/main/..slo.yaml');
  });

  it('gives up on a URL that does not answer within 10 s, and aborts the read', async () => {
    jest.useFakeTimers();
    try {
      let signal: AbortSignal | undefined;
      const hanging = {
        readUrl: jest.fn((_url: string, options: { signal: AbortSignal }) => {
          signal = options.signal;
          return new Promise(() => {});
        }),
      };
      const result = readSloRef(
        entity('url:https://github.com/acme/checkout/blob/main/catalog-info.yaml'),
        './slo.yaml',
        hanging as any,
      ).catch(e => e);
      await jest.advanceTimersByTimeAsync(9_999);
      expect(signal?.aborted).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      expect((await result).message).toBe('reading https://github.com/acme/checkout/blob/main/slo.yaml took longer than 10 s');
      expect(signal?.aborted).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('names the annotation value, never a server path, when a file is missing', async () => {
    const error = await readSloRef(entity(`file:${path.join(catalogDir, 'catalog-info.yaml')}`), './missing.yaml', urlReader as any).catch(e => e);
    expect(error.message).toBe('no file "./missing.yaml" next to the entity\'s catalog file');
    expect(error.message).not.toContain(root);
    const outside = await readSloRef(entity(`file:${path.join(catalogDir, 'catalog-info.yaml')}`), '../secret.yaml', urlReader as any).catch(e => e);
    expect(outside.message).not.toContain(root);
  });
});

describe('SloService.documents', () => {
  it('reads a location once for viewers arriving together, and again after the refresh interval', async () => {
    let now = 0;
    const readUrl = jest.fn(async () => {
      await new Promise(resolve => setTimeout(resolve, 20));
      return { buffer: async () => Buffer.from(GOOD_DOCS) };
    });
    const service = new SloService(
      undefined as any,
      undefined as any,
      { readUrl, readTree: jest.fn(), search: jest.fn() } as any,
      mockServices.logger.mock(),
      60_000,
      undefined as any,
      undefined,
      () => now,
    );
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'checkout', annotations: { 'backstage.io/managed-by-location': 'url:https://github.com/acme/checkout/blob/main/catalog-info.yaml' } },
    };
    const answers = await Promise.all([1, 2, 3].map(() => service.documents(entity, './openslo.yaml')));
    expect(readUrl).toHaveBeenCalledTimes(1);
    expect(answers.map(a => a.slos.length)).toEqual([2, 2, 2]);
    now = 60_001;
    await service.documents(entity, './openslo.yaml');
    expect(readUrl).toHaveBeenCalledTimes(2);
  });
});
