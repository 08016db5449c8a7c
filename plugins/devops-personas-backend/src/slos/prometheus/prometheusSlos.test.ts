import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  EntitySlosResponse,
  SloResult,
} from '@devops-personas/plugin-devops-personas-common';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { devopsPersonasPlugin } from '../../plugin';
import {
  describeWithPrometheus,
  RunningPrometheus,
  startPrometheus,
  toOpenMetrics,
} from '../../__testUtils__/prometheus';
import { testDatabaseIds } from '../../__testUtils__/testDatabases';

/*
 * SLIs read from a real Prometheus (Debian package `prometheus`, started
 * here on a loopback port by __testUtils__/prometheusServer.js with a
 * history backfilled through promtool) must give the very figures that the
 * same counts give when pushed as sli events (SPEC §5). Without Prometheus
 * the suite is skipped, unless DEVOPS_PERSONAS_TEST_STRICT is set (npm test
 * sets it): then it fails.
 */

jest.setTimeout(120_000);

const MINUTE = 60_000;
const SLICE = 5 * MINUTE;
const HOUR = 60 * MINUTE;
// A whole hour (every window edge falls on a sample): 12:00 UTC yesterday,
// never the start of a calendar window below (a Berlin week starts on
// Sunday 22:00 or 23:00 UTC, a New York day at 04:00 or 05:00 UTC), so
// every calendar SLO has data at any time of day the tests run.
const UNTIL_MS = Math.floor(Date.now() / (24 * HOUR)) * 24 * HOUR - 12 * HOUR;
const UNTIL = new Date(UNTIL_MS).toISOString();
const FIRST_MS = UNTIL_MS - 9 * 24 * HOUR;
const TOKEN = 'prometheus-test-token';

// Seeded, so a failure can be reproduced; not tuned to any figure.
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** Requests and errors per five-minute slice: a calm week, bursts, and a bad last two hours. */
function traffic() {
  const next = random(20261129);
  const slices: Array<{ startMs: number; good: number; bad: number }> = [];
  for (let startMs = FIRST_MS; startMs < UNTIL_MS; startMs += SLICE) {
    const total = 800 + Math.floor(next() * 400);
    const recent = startMs >= UNTIL_MS - 2 * HOUR;
    const burst = next() < 0.03;
    let rate = next() * 0.002;
    if (burst) rate = 0.01 + next() * 0.05;
    if (recent) rate = 0.02 + next() * 0.03;
    const bad = Math.round(total * rate);
    slices.push({ startMs, good: total - bad, bad });
  }
  return slices;
}

const SLICES = traffic();

/** The counters Prometheus holds: one sample per slice edge, from zero. */
function history(): string {
  const good: Array<[number, number]> = [[FIRST_MS, 0]];
  const bad: Array<[number, number]> = [[FIRST_MS, 0]];
  const ratio: Array<[number, number]> = [];
  let goodCount = 0;
  let badCount = 0;
  for (const s of SLICES) {
    goodCount += s.good;
    badCount += s.bad;
    good.push([s.startMs + SLICE, goodCount]);
    bad.push([s.startMs + SLICE, badCount]);
  }
  for (let at = FIRST_MS; at <= UNTIL_MS; at += SLICE) ratio.push([at, 0.998]);
  return toOpenMetrics([
    {
      name: 'checkout_requests_total',
      labels: { code: '200', job: 'checkout' },
      samples: good,
    },
    {
      name: 'checkout_requests_total',
      labels: { code: '503', job: 'checkout' },
      samples: bad,
    },
    {
      name: 'checkout_success_ratio',
      labels: { job: 'checkout' },
      samples: ratio,
    },
  ]);
}

const GOOD = 'checkout_requests_total{code!~"5.."}';
const BAD = 'checkout_requests_total{code=~"5.."}';
const TOTAL = 'checkout_requests_total';

/** The SLOs under test; `indicator` is the SLI spec of the Prometheus version. */
const SLOS: Array<{
  name: string;
  method: string;
  window: string;
  objectives: string;
  indicator: string;
}> = [
  {
    name: 'availability-rolling',
    method: 'Occurrences',
    window: '{ duration: 7d, isRolling: true }',
    objectives: '[{ displayName: Requests succeed, target: 0.999 }]',
    indicator: `{ ratioMetric: { counter: true, good: { metricSource: { type: Prometheus, spec: { query: '${GOOD}' } } }, total: { metricSource: { type: prometheus, spec: { query: '${TOTAL}' } } } } }`,
  },
  {
    name: 'availability-calendar',
    method: 'Occurrences',
    window:
      '{ duration: 1w, calendar: { startTime: "2026-01-05 00:00:00", timeZone: Europe/Berlin } }',
    objectives: '[{ targetPercent: 99.5 }]',
    indicator: `{ ratioMetric: { bad: { metricSource: { type: Prometheus, spec: { query: '${BAD}' } } }, total: { metricSource: { type: Prometheus, spec: { query: '${TOTAL}' } } } } }`,
  },
  {
    name: 'availability-sloth',
    method: 'Occurrences',
    window: '{ duration: 3d, isRolling: true }',
    objectives: '[{ target: 0.99 }]',
    indicator: `{ ratioMetric: { bad: { metricSource: { type: Prometheus, spec: { query: 'sum(increase(${BAD}[{{.window}}]))' } } }, total: { metricSource: { type: Prometheus, spec: { query: 'sum(increase(${TOTAL}[{{.window}}]))' } } } } }`,
  },
  {
    name: 'slices-rolling',
    method: 'Timeslices',
    window: '{ duration: 7d, isRolling: true }',
    objectives:
      '[{ target: 0.95, timeSliceTarget: 0.995, timeSliceWindow: 5m }, { displayName: quarter hours, target: 0.9, timeSliceTarget: 0.99, timeSliceWindow: 15 }]',
    indicator: `{ ratioMetric: { good: { metricSource: { type: Prometheus, spec: { query: '${GOOD}' } } }, total: { metricSource: { type: Prometheus, spec: { query: '${TOTAL}' } } } } }`,
  },
  {
    name: 'slices-calendar',
    method: 'RatioTimeslices',
    window:
      '{ duration: 1d, isRolling: false, calendar: { timeZone: America/New_York } }',
    objectives: '[{ target: 0.995, timeSliceWindow: 10m }]',
    indicator: `{ ratioMetric: { good: { metricSource: { type: Prometheus, spec: { query: '${GOOD}' } } }, total: { metricSource: { type: Prometheus, spec: { query: '${TOTAL}' } } } } }`,
  },
];

const sloDocument = (slo: (typeof SLOS)[number], indicator: string) => `
- apiVersion: openslo/v1
  kind: SLO
  metadata: { name: ${slo.name} }
  spec:
    indicator: { metadata: { name: ${slo.name}-sli }${
  indicator ? `, spec: ${indicator}` : ''
} }
    budgetingMethod: ${slo.method}
    timeWindow: [${slo.window}]
    objectives: ${slo.objectives}
`;

// A composite SLO: each objective has its own SLI (good/total, bad/total),
// both fed by the SLO's sli events in the twin.
const COMPOSITE = 'composite';
const compositeDocument = (fromPrometheus: boolean) => {
  const sli = (name: string, spec: string) =>
    fromPrometheus
      ? `{ metadata: { name: ${name} }, spec: ${spec} }`
      : `{ metadata: { name: ${name} } }`;
  return `
- apiVersion: openslo/v1
  kind: SLO
  metadata: { name: ${COMPOSITE} }
  spec:
    budgetingMethod: Occurrences
    timeWindow: [{ duration: 7d, isRolling: true }]
    objectives:
      - displayName: by good
        target: 0.99
        indicator: ${sli('by-good', SLOS[0].indicator)}
      - displayName: by bad
        target: 0.999
        compositeWeight: 2
        indicator: ${sli('by-bad', SLOS[1].indicator)}
`;
};

// The SLO files, in a directory of their own written before the suite runs
// (not when it is skipped).
let dir: string;
function writeSloFiles() {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-prometheus-slos-'));
  fs.writeFileSync(
    path.join(dir, 'from-prometheus.yaml'),
    SLOS.map(s => sloDocument(s, s.indicator)).join('') +
      compositeDocument(true),
  );
  fs.writeFileSync(
    path.join(dir, 'from-events.yaml'),
    SLOS.map(s => sloDocument(s, '')).join('') + compositeDocument(false),
  );
  fs.writeFileSync(
    path.join(dir, 'troubled.yaml'),
    `apiVersion: openslo/v1
kind: SLI
metadata: { name: down-sli }
spec:
  ratioMetric:
    good: { metricSource: { metricSourceRef: down, type: Prometheus, spec: { query: '${GOOD}' } } }
    total: { metricSource: { metricSourceRef: down, type: Prometheus, spec: { query: '${TOTAL}' } } }
---
apiVersion: openslo/v1
kind: SLO
metadata: { name: unreachable }
spec:
  indicatorRef: down-sli
  budgetingMethod: Occurrences
  timeWindow: [{ duration: 7d, isRolling: true }]
  objectives: [{ target: 0.99 }]
---
apiVersion: openslo/v1
kind: SLO
metadata: { name: too-slow }
spec:
  indicator:
    metadata: { name: slow-sli }
    spec:
      ratioMetric:
        good: { metricSource: { metricSourceRef: slow, type: Prometheus, spec: { query: '${GOOD}' } } }
        total: { metricSource: { metricSourceRef: slow, type: Prometheus, spec: { query: '${TOTAL}' } } }
  budgetingMethod: Timeslices
  timeWindow: [{ duration: 7d, isRolling: true }]
  objectives: [{ target: 0.99, timeSliceTarget: 0.99, timeSliceWindow: 5m }]
---
apiVersion: openslo/v1
kind: SLO
metadata: { name: broken-query }
spec:
  indicator:
    metadata: { name: broken }
    spec:
      ratioMetric:
        good: { metricSource: { type: Prometheus, spec: { query: 'checkout_requests_total{code=' } } }
        total: { metricSource: { type: Prometheus, spec: { query: '${TOTAL}' } } }
  budgetingMethod: Occurrences
  timeWindow: [{ duration: 7d, isRolling: true }]
  objectives: [{ target: 0.99 }]
---
apiVersion: openslo/v1
kind: SLO
metadata: { name: unknown-source }
spec:
  indicator:
    metadata: { name: elsewhere }
    spec:
      ratioMetric:
        good: { metricSource: { metricSourceRef: nowhere, type: Prometheus, spec: { query: '${GOOD}' } } }
        total: { metricSource: { metricSourceRef: nowhere, type: Prometheus, spec: { query: '${TOTAL}' } } }
  budgetingMethod: Occurrences
  timeWindow: [{ duration: 7d, isRolling: true }]
  objectives: [{ target: 0.99 }]
---
apiVersion: openslo/v1
kind: SLO
metadata: { name: no-data }
spec:
  indicator:
    metadata: { name: nothing }
    spec:
      ratioMetric:
        good: { metricSource: { type: Prometheus, spec: { query: 'nothing_total{code="200"}' } } }
        total: { metricSource: { type: Prometheus, spec: { query: nothing_total } } }
  budgetingMethod: Occurrences
  timeWindow: [{ duration: 7d, isRolling: true }]
  objectives: [{ target: 0.99 }]
---
apiVersion: openslo/v1
kind: SLO
metadata: { name: no-good-series }
spec:
  indicator:
    metadata: { name: none-good }
    spec:
      ratioMetric:
        good: { metricSource: { type: Prometheus, spec: { query: 'checkout_requests_total{code="299"}' } } }
        total: { metricSource: { type: Prometheus, spec: { query: '${TOTAL}' } } }
  budgetingMethod: Timeslices
  timeWindow: [{ duration: 1d, isRolling: true }]
  objectives: [{ target: 0.9, timeSliceTarget: 0.5, timeSliceWindow: 5m }]
---
apiVersion: openslo/v1
kind: SLO
metadata: { name: precomputed }
spec:
  indicator:
    metadata: { name: success-ratio }
    spec:
      ratioMetric:
        rawType: success
        raw: { metricSource: { type: Prometheus, spec: { query: checkout_success_ratio } } }
  budgetingMethod: Occurrences
  timeWindow: [{ duration: 7d, isRolling: true }]
  objectives: [{ target: 0.995 }]
`,
  );
}

const component = (name: string, sloRef: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'backstage.io/managed-by-location': `file:${path.join(
        dir,
        'catalog-info.yaml',
      )}`,
      'devops-personas.io/slo-ref': sloRef,
    },
  },
  spec: { type: 'service', owner: 'team', lifecycle: 'production' },
});

const entities = () => [
  component('from-prometheus', './from-prometheus.yaml'),
  component('from-events', './from-events.yaml'),
  component('troubled', './troubled.yaml'),
];

/** A loopback proxy in front of Prometheus that checks the configured header and counts queries. */
function startProxy(target: string) {
  const seen = { queries: 0, unauthorized: 0 };
  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      seen.unauthorized++;
      res.writeHead(401).end();
      return;
    }
    seen.queries++;
    const upstream = http.request(
      `${target}${req.url}`,
      { method: req.method, headers: req.headers },
      answer => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  return new Promise<{
    url: string;
    seen: typeof seen;
    close(): Promise<void>;
  }>(resolve =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        seen,
        close: () => new Promise(done => server.close(() => done())),
      });
    }),
  );
}

/** A loopback port that nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise(resolve => {
    const server = http.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

let prometheus: RunningPrometheus;
let proxy: Awaited<ReturnType<typeof startProxy>>;
let downUrl: string;
let silent: { url: string; close(): Promise<void> };

/** A server that takes requests and never answers. */
function startSilentServer() {
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer(() => {});
  server.on('connection', socket => sockets.add(socket));
  return new Promise<{ url: string; close(): Promise<void> }>(resolve =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => {
          sockets.forEach(s => s.destroy());
          return new Promise(done => server.close(() => done()));
        },
      });
    }),
  );
}

describeWithPrometheus()('with a real Prometheus', () => {
  beforeAll(async () => {
    writeSloFiles();
    prometheus = await startPrometheus({ openMetrics: history() });
    proxy = await startProxy(prometheus.baseUrl);
    downUrl = `http://127.0.0.1:${await closedPort()}`;
    silent = await startSilentServer();
  });

  afterAll(async () => {
    await proxy?.close();
    await silent?.close();
    await prometheus?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const figures = (slo: SloResult) =>
    slo.objectives.map(o => ({
      displayName: o.displayName,
      attainment: o.attainment,
      budgetRemaining: o.budgetRemaining,
      burnRates: o.burnRates,
      alert: o.alert,
    }));

  /** Equal up to float rounding, null for null. */
  function expectSameFigures(
    actual: unknown,
    expected: unknown,
    where: string,
  ) {
    if (typeof expected === 'number') {
      expect({ where, value: actual }).toEqual({
        where,
        value: expect.closeTo(expected, 9),
      });
    } else if (expected && typeof expected === 'object') {
      for (const [key, value] of Object.entries(expected)) {
        expectSameFigures(
          (actual as Record<string, unknown>)[key],
          value,
          `${where}.${key}`,
        );
      }
    } else {
      expect({ where, value: actual }).toEqual({ where, value: expected });
    }
  }

  describe.each(testDatabaseIds())(
    'SLIs read from Prometheus on %s',
    databaseId => {
      const databases = TestDatabases.create({ ids: [databaseId] });

      async function startBackend() {
        const knex = await databases.init(databaseId);
        const { server } = await startTestBackend({
          features: [
            devopsPersonasPlugin,
            catalogServiceMock.factory({ entities: entities() }),
            mockServices.database.factory({ knex }),
            mockServices.rootConfig.factory({
              data: {
                devopsPersonas: {
                  sources: {
                    prometheus: {
                      default: {
                        baseUrl: proxy.url,
                        externalUrl: 'https://prometheus.example.com/',
                        headers: { Authorization: `Bearer ${TOKEN}` },
                      },
                      down: { baseUrl: downUrl, timeout: '2s' },
                      slow: { baseUrl: silent.url, timeout: '1s' },
                    },
                  },
                },
              },
            }),
          ],
        });
        return server;
      }

      const slosOf = async (
        server: Parameters<typeof request>[0],
        name: string,
      ): Promise<EntitySlosResponse> => {
        const res = await request(server)
          .get(
            `/api/devops-personas/v1/entities/component/default/${name}/slos`,
          )
          .query({ until: UNTIL })
          .set('Authorization', mockCredentials.user.header());
        expect(res.status).toBe(200);
        return res.body;
      };

      it('gives the same attainment, budget, burn rates and alert state as the same counts pushed as sli events', async () => {
        const server = await startBackend();
        // The same counts, pushed for the twin entity: one sli event per slice.
        const events = [...SLOS.map(s => s.name), COMPOSITE].flatMap(slo =>
          SLICES.map(s => ({
            type: 'sli',
            id: `${slo}-${s.startMs}`,
            entityRef: 'from-events',
            slo,
            windowStart: new Date(s.startMs).toISOString(),
            windowEnd: new Date(s.startMs + SLICE).toISOString(),
            good: s.good,
            total: s.good + s.bad,
          })),
        );
        for (let i = 0; i < events.length; i += 5000) {
          const sent = await request(server)
            .post('/api/devops-personas/v1/events')
            .set('Authorization', mockCredentials.service.header())
            .send({ events: events.slice(i, i + 5000) });
          expect(sent.status).toBe(202);
        }

        const before = proxy.seen.queries;
        const fromPrometheus = await slosOf(server, 'from-prometheus');
        const fromEvents = await slosOf(server, 'from-events');
        expect(fromPrometheus.warnings).toEqual([]);
        expect(fromEvents.warnings).toEqual([]);
        expect(proxy.seen.queries).toBeGreaterThan(before);
        expect(proxy.seen.unauthorized).toBe(0);

        const byName = (r: EntitySlosResponse) =>
          new Map(r.slos.map(s => [s.name, s]));
        const [prom, pushed] = [byName(fromPrometheus), byName(fromEvents)];
        expect([...prom.keys()].sort()).toEqual(
          [...SLOS.map(s => s.name), COMPOSITE].sort(),
        );
        for (const name of [...SLOS.map(s => s.name), COMPOSITE]) {
          const [a, b] = [prom.get(name)!, pushed.get(name)!];
          expect(a.dataSource.type).toBe('prometheus');
          expect(b.dataSource.type).toBe('events');
          expect(a.window).toEqual(b.window);
          // Something to compare: every objective has data.
          for (const o of b.objectives) expect(o.attainment).not.toBeNull();
          // Prometheus reads whole slices: a burn window shorter than an
          // objective's slice has none (sli events would make a partial slice).
          const slicesLongerThan5m = a.objectives.map(o =>
            ['10m', '15m'].includes(o.timeSliceWindow ?? ''),
          );
          const comparable = (r: SloResult) =>
            figures(r).map((f, i) => ({
              ...f,
              burnRates: {
                ...f.burnRates,
                ...(slicesLongerThan5m[i] ? { '5m': undefined } : {}),
              },
            }));
          expectSameFigures(comparable(a), comparable(b), name);
          expect(
            a.objectives
              .filter((_, i) => slicesLongerThan5m[i])
              .map(o => o.burnRates['5m']),
          ).toEqual(
            a.objectives
              .filter((_, i) => slicesLongerThan5m[i])
              .map(() => null),
          );
        }

        // The composite SLO's objectives each read their own SLI.
        const composite = prom.get(COMPOSITE)!;
        expect(
          composite.dataSource.type === 'prometheus' &&
            composite.dataSource.queries.map(q => `${q.role} ${q.query}`),
        ).toEqual([`good ${GOOD}`, `total ${TOTAL}`, `bad ${BAD}`]);

        // The burn-down ends at the budget remaining; on the way, Prometheus
        // extrapolates buckets whose edges fall between samples, a little.
        for (const name of ['availability-rolling', 'availability-calendar']) {
          const [a, b] = [
            prom.get(name)!.objectives[0],
            pushed.get(name)!.objectives[0],
          ];
          expect(a.burnDown.map(p => p.at)).toEqual(b.burnDown.map(p => p.at));
          expect(a.burnDown[29].budgetRemaining).toBeCloseTo(
            a.budgetRemaining!,
            9,
          );
          a.burnDown.forEach((p, i) =>
            expect(
              Math.abs(p.budgetRemaining! - b.burnDown[i].budgetRemaining!),
            ).toBeLessThan(0.01),
          );
        }

        // The story of the data: the last two hours burn the 99.9 % budget fast.
        const rolling = prom.get('availability-rolling')!;
        expect(rolling.objectives[0].alert).toBe('page');
        expect(rolling.objectives[0].burnRates['1h']).toBeGreaterThan(14.4);
        // Queries as written, sent to the configured entry, linked to its graph page.
        expect(rolling.dataSource).toEqual({
          type: 'prometheus',
          counter: true,
          queries: [
            {
              role: 'good',
              query: GOOD,
              source: 'default',
              graphUrl: expect.stringMatching(
                /^https:\/\/prometheus\.example\.com\/graph\?/,
              ),
            },
            expect.objectContaining({
              role: 'total',
              query: TOTAL,
              source: 'default',
            }),
          ],
        });
        expect(
          new URL(
            rolling.dataSource.type === 'prometheus'
              ? rolling.dataSource.queries[0].graphUrl!
              : '',
          ).searchParams.get('g0.expr'),
        ).toBe(GOOD);
        // Timeslices count slices with data in the window: 7 days of 5 minutes.
        expect(prom.get('slices-rolling')!.sampleSize).toBe(7 * 288);
        expect(
          prom.get('slices-rolling')!.objectives.map(o => o.timeSliceWindow),
        ).toEqual(['5m', '15m']);

        // Asked again within the refresh interval: answered from the cache.
        const cached = proxy.seen.queries;
        await slosOf(server, 'from-prometheus');
        expect(proxy.seen.queries).toBe(cached);
      });

      it('says why an SLO has no figures, and still shows the others', async () => {
        const server = await startBackend();
        const body = await slosOf(server, 'troubled');
        const byName = new Map(body.slos.map(s => [s.name, s]));
        const warningOf = (slo: string) =>
          body.warnings.filter(w => w.message.includes(`SLO "${slo}"`));

        // Prometheus down: a warning with the query, no figures, nothing broken.
        const unreachable = byName.get('unreachable')!;
        expect(unreachable.objectives[0].attainment).toBeNull();
        expect(unreachable.dataSource).toEqual(
          expect.objectContaining({
            type: 'prometheus',
            error: expect.stringContaining('cannot be reached'),
          }),
        );
        expect(warningOf('unreachable')).toEqual([
          expect.objectContaining({
            code: 'slo-source-unavailable',
            message: expect.stringMatching(
              new RegExp(
                `Prometheus "down" cannot be reached .*query: ${GOOD.replace(
                  /[{}.*+?^$|()[\]\\]/g,
                  '\\$&',
                )}`,
              ),
            ),
          }),
        ]);

        // A Prometheus that never answers: given up after the configured timeout.
        expect(warningOf('too-slow')).toEqual([
          expect.objectContaining({
            code: 'slo-source-unavailable',
            message: expect.stringContaining(
              'Prometheus "slow" did not answer within 1 s',
            ),
          }),
        ]);
        expect(byName.get('too-slow')!.objectives[0].attainment).toBeNull();

        // A bad query: Prometheus's own words.
        expect(warningOf('broken-query')).toEqual([
          expect.objectContaining({
            code: 'slo-source-unavailable',
            message: expect.stringMatching(
              /bad_data: .*parse error.*good query: checkout_requests_total\{code=/,
            ),
          }),
        ]);
        expect(
          byName.get('broken-query')!.objectives[0].budgetRemaining,
        ).toBeNull();

        // No series at all: said, not shown as a perfect 100 %.
        expect(warningOf('no-data')).toEqual([
          expect.objectContaining({
            code: 'slo-source-unavailable',
            message: expect.stringContaining(
              "answered no data over the SLO's window for the total query: nothing_total",
            ),
          }),
        ]);

        // A source that is not configured: invalid-slo naming it; read from sli events meanwhile.
        expect(warningOf('unknown-source')).toEqual([
          expect.objectContaining({
            code: 'invalid-slo',
            message: expect.stringContaining(
              '"nowhere" names no configured Prometheus',
            ),
          }),
        ]);
        expect(byName.get('unknown-source')!.dataSource).toEqual({
          type: 'events',
        });

        // A good query that matches nothing: every slice counted bad, not good.
        const noGood = byName.get('no-good-series')!;
        expect(warningOf('no-good-series')).toEqual([]);
        expect(noGood.sampleSize).toBe(288);
        expect(noGood.objectives[0].attainment).toBe(0);

        // A precomputed success ratio of 0.998 everywhere: attainment 0.998, budget 1 − 0.002/0.005.
        const precomputed = byName.get('precomputed')!;
        expect(warningOf('precomputed')).toEqual([]);
        expect(precomputed.dataSource).toEqual(
          expect.objectContaining({ rawType: 'success' }),
        );
        expect(precomputed.objectives[0].attainment).toBeCloseTo(0.998, 9);
        expect(precomputed.objectives[0].budgetRemaining).toBeCloseTo(0.6, 9);
        expect(precomputed.objectives[0].burnRates['1h']).toBeCloseTo(0.4, 9);
        expect(precomputed.objectives[0].alert).toBe('ok');
      });
    },
  );
});
