import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EntityKpisResponse, KpiResult } from '@devops-personas/plugin-devops-personas-common';
import request from 'supertest';
import { devopsPersonasPlugin } from '../plugin';
import { testDatabaseIds } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const UNTIL = '2026-06-30T00:00:00Z';
const DAY = 86400;

const component = (
  name: string,
  annotations: Record<string, string> = {},
  system?: string,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', owner: 'team', ...(system ? { system } : {}) },
  relations: system ? [{ type: 'partOf', targetRef: `system:default/${system}` }] : [],
});

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'bob', namespace: 'default' },
    spec: {},
  },
  component(
    'checkout',
    {
      'devops-personas.io/tech-lead': 'bob',
      'devops-personas.io/service-owner': 'carol',
      'devops-personas.io/kpi-owner.change-failure-rate': 'dan',
      'devops-personas.io/kpi-target.lead-time-for-changes': '< 1d',
      'devops-personas.io/kpi-target.change-failure-rate': '<= 10%',
    },
    'payments',
  ),
  component('cart', {}, 'payments'),
  component('empty'),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: {
      name: 'payments',
      namespace: 'default',
      annotations: {
        'devops-personas.io/kpi-owner.alert-noise': 'erin',
        'devops-personas.io/product-owner': 'alice',
      },
    },
    spec: { owner: 'team' },
    relations: [
      { type: 'hasPart', targetRef: 'component:default/checkout' },
      { type: 'hasPart', targetRef: 'component:default/cart' },
    ],
  },
];

const ev = (type: string, id: string, fields: Record<string, unknown>, entityRef = 'checkout') => ({
  type,
  id,
  entityRef,
  source: 'test',
  ...fields,
});

/** The hand-computed dataset; expectations are in the tests below. */
const dataset = [
  // deployments: window is [2026-05-31T00:00Z, 2026-06-30T00:00Z)
  ev('deployment', 'd0', { finishedAt: '2026-05-30T23:59:59Z', status: 'success', changeIds: ['c0'] }),
  ev('deployment', 'd1', { finishedAt: '2026-05-31T00:00:00Z', status: 'success', changeIds: ['c1'] }),
  ev('deployment', 'd2', { finishedAt: '2026-06-10T12:00:00+02:00', status: 'rolled_back', changeIds: ['c2'] }),
  ev('deployment', 'd3', { finishedAt: '2026-06-15T00:00:00Z', status: 'success', changeIds: ['c2', 'c3'], rework: true }),
  ev('deployment', 'd4', { finishedAt: '2026-06-20T00:00:00Z', status: 'failure', changeIds: ['c4'] }),
  ev('deployment', 'd5', { finishedAt: '2026-06-25T00:00:00Z', status: 'success', changeIds: ['c4'], environment: 'staging' }),
  ev('deployment', 'd6', { finishedAt: '2026-06-30T00:00:00Z', status: 'success', changeIds: ['c5'] }),
  ev('deployment', 'd7', { finishedAt: '2026-06-28T00:00:00Z', status: 'success', changeIds: ['c6', 'c7'] }),
  // changes
  ev('change', 'c0', { createdAt: '2026-05-29T00:00:00Z' }),
  ev('change', 'c1', { createdAt: '2026-05-30T12:00:00Z', mergedAt: '2026-05-30T20:00:00Z' }),
  ev('change', 'c2', { createdAt: '2026-06-09T10:00:00Z', mergedAt: '2026-06-10T08:00:00Z' }),
  ev('change', 'c3', { createdAt: '2026-06-14T18:00:00Z', mergedAt: '2026-06-14T20:00:00Z' }),
  ev('change', 'c4', { createdAt: '2026-06-19T00:00:00Z' }),
  ev('change', 'c5', { createdAt: '2026-06-29T00:00:00Z' }),
  ev('change', 'c6', { createdAt: '2026-06-28T00:00:00Z' }),
  ev('change', 'c7', { createdAt: '2026-06-25T00:00:00Z', mergedAt: '2026-06-26T00:00:00Z' }),
  // incidents
  ev('incident', 'i1', { startedAt: '2026-06-15T01:00:00Z', resolvedAt: '2026-06-15T03:00:00Z', causedByDeploymentId: 'd3', customerImpacting: true }),
  ev('incident', 'i2', { startedAt: '2026-05-30T22:00:00Z', resolvedAt: '2026-05-31T01:00:00+01:00', customerImpacting: true }),
  ev('incident', 'i3', { startedAt: '2026-06-29T23:00:00Z', resolvedAt: '2026-06-30T00:30:00Z', customerImpacting: true }),
  ev('incident', 'i4', { startedAt: '2026-06-20T00:00:00Z', resolvedAt: '2026-06-20T01:00:00Z', causedByDeploymentId: 'd4' }),
  // alerts
  ev('alert', 'a1', { firedAt: '2026-06-02T00:00:00Z', actionable: false }),
  ev('alert', 'a2', { firedAt: '2026-06-03T00:00:00Z', actionable: true }),
  ev('alert', 'a3', { firedAt: '2026-05-30T00:00:00Z', actionable: false }),
  // vulnerabilities
  ev('vulnerability', 'v1', { severity: 'critical', detectedAt: '2026-06-01T00:00:00Z', fixedAt: '2026-06-03T00:00:00Z' }),
  ev('vulnerability', 'v2', { severity: 'critical', detectedAt: '2026-05-20T00:00:00Z', fixedAt: '2026-06-05T00:00:00Z' }),
  ev('vulnerability', 'v3', { severity: 'high', detectedAt: '2026-06-01T00:00:00Z', fixedAt: '2026-06-02T00:00:00Z' }),
  ev('vulnerability', 'v4', { severity: 'critical', detectedAt: '2026-06-10T00:00:00Z' }),
  ev('vulnerability', 'v5', { severity: 'critical', detectedAt: '2026-06-25T00:00:00Z' }),
  ev('vulnerability', 'v6', { severity: 'critical', detectedAt: '2026-06-20T00:00:00Z', fixedAt: '2026-06-30T00:00:00Z' }),
  // pipeline runs
  ev('pipeline-run', 'r1', { finishedAt: '2026-06-01T00:00:00Z', status: 'success' }),
  ev('pipeline-run', 'r2', { finishedAt: '2026-06-02T00:00:00Z', status: 'success', flaky: true }),
  ev('pipeline-run', 'r3', { finishedAt: '2026-06-03T00:00:00Z', status: 'success' }),
  ev('pipeline-run', 'r4', { finishedAt: '2026-06-04T00:00:00Z', status: 'failure', flaky: true }),
  ev('pipeline-run', 'r5', { finishedAt: '2026-06-05T00:00:00Z', status: 'cancelled', flaky: true }),
  ev('pipeline-run', 'r6', { finishedAt: '2026-05-30T00:00:00Z', status: 'failure' }),
  // postmortem actions
  ev('postmortem-action', 'p1', { createdAt: '2026-06-01T00:00:00Z', dueAt: '2026-06-10T00:00:00Z', closedAt: '2026-06-09T00:00:00Z' }),
  ev('postmortem-action', 'p2', { createdAt: '2026-05-20T00:00:00Z', closedAt: '2026-06-25T00:00:00Z' }),
  ev('postmortem-action', 'p3', { createdAt: '2026-06-05T00:00:00Z', dueAt: '2026-06-20T00:00:00Z' }),
  ev('postmortem-action', 'p4', { createdAt: '2026-06-01T00:00:00Z' }),
  ev('postmortem-action', 'p5', { createdAt: '2026-05-01T00:00:00Z', closedAt: '2026-05-31T00:00:00Z' }),
];

describe.each(testDatabaseIds())('KPIs on %s', databaseId => {
  const databases = TestDatabases.create({ ids: [databaseId] });

  async function start(extraConfig: Record<string, unknown> = {}) {
    const knex = await databases.init(databaseId);
    const { server } = await startTestBackend({
      features: [
        devopsPersonasPlugin,
        catalogServiceMock.factory({ entities }),
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            devopsPersonas: {
              measurementKpis: [
                { id: 'test-coverage', title: 'Test coverage', unit: 'percent', owner: 'quality-engineer', direction: 'higher', target: '>= 80%' },
              ],
              ...extraConfig,
            },
          },
        }),
      ],
    });
    const send = (events: unknown[]) =>
      request(server)
        .post('/api/devops-personas/v1/events')
        .set('Authorization', mockCredentials.service.header())
        .send({ events });
    const kpis = async (ref: string, query = `until=${UNTIL}`): Promise<EntityKpisResponse> => {
      const res = await request(server)
        .get(`/api/devops-personas/v1/entities/${ref}/kpis?${query}`)
        .set('Authorization', mockCredentials.user.header());
      expect(res.status).toBe(200);
      return res.body;
    };
    return { server, send, kpis };
  }

  const byId = (body: EntityKpisResponse) =>
    Object.fromEntries(body.kpis.map(k => [k.id, k])) as Record<string, KpiResult>;

  it('computes every KPI of SPEC §4 as computed by hand', async () => {
    const { send, kpis } = await start();
    expect((await send(dataset)).status).toBe(202);
    const body = await kpis('component/default/checkout');
    expect(body.window).toEqual({ start: '2026-05-31T00:00:00.000Z', end: '2026-06-30T00:00:00.000Z' });
    const k = byId(body);

    // d1 (at the start: in), d2, d3, d7; not d0 (before), d6 (at the end), d4 (failure), d5 (staging)
    expect(k['deployment-frequency']).toMatchObject({ value: 4 / (30 / 7), sampleSize: 4, unit: 'per-week' });
    // c1 43200, c2 86400 (first at d2, not d3), c3 21600, c7 259200; c6 (0 s) ignored; c0 first deployed before the window
    // below the default minimum sample of 5: no tier, and the answer says why
    expect(k['lead-time-for-changes']).toMatchObject({
      value: 64800,
      sampleSize: 4,
      unit: 'seconds',
      tier: null,
      tierNote: 'No tier: 4 changes in this window; a tier needs at least 5.',
    });
    // d2 rolled back, d3 caused i1; i4 names a failure deployment that does not count
    expect(k['change-failure-rate']).toMatchObject({ value: 0.5, sampleSize: 4, tier: null, unit: 'fraction' });
    expect(k['change-failure-rate'].tierNote).toMatch(/4 deployments/);
    // i2 (resolved exactly at the start), i1, i4; i3 resolves after `until`
    expect(k['time-to-restore']).toMatchObject({ value: 7200, sampleSize: 3, tier: null });
    expect(k['time-to-restore'].tierNote).toMatch(/3 resolved incidents/);
    // i1 (2 h, caused by d3) and i4 (1 h, names d4: a deployment of the entity, though a failure)
    expect(k['failed-deployment-recovery-time']).toMatchObject({ value: 5400, sampleSize: 2, tier: null, unit: 'seconds' });
    expect(k['failed-deployment-recovery-time'].tierNote).toMatch(/2 resolved incidents/);
    // deployment frequency's tier has its own 12 weeks, whatever the sample
    expect(k['deployment-frequency']).toMatchObject({
      tier: 'medium',
      tierPeriod: { start: '2026-04-07T00:00:00.000Z', end: '2026-06-30T00:00:00.000Z' },
      tierNote: null,
    });
    expect(k['deployment-rework-rate']).toMatchObject({ value: 0.25, sampleSize: 4, tier: null });
    expect(k['rollback-rate']).toMatchObject({ value: 0.25, sampleSize: 4 });
    expect(k['alert-noise']).toMatchObject({ value: 0.5, sampleSize: 2 });
    // v1 2 days, v2 16 days; v4 and v6 (fixed only at `until`) open and older than 7 days, v5 is not
    expect(k['critical-vulnerability-fix-time']).toMatchObject({ value: 9 * DAY, sampleSize: 2, overdue: 2 });
    expect(k['pipeline-success-rate']).toMatchObject({ value: 0.75, sampleSize: 4 });
    expect(k['flaky-test-rate']).toMatchObject({ value: 0.6, sampleSize: 5 });
    // due in the window: p1 (in time), p2 (late), p3 (open), p5 (closed exactly at due); p4 due after
    expect(k['postmortem-action-closure-rate']).toMatchObject({ value: 0.5, sampleSize: 4 });
    // i1 and i3 started in the window; i2 started before
    expect(k['customer-impacting-incidents']).toMatchObject({ value: 2, unit: 'count' });
    // c2 22 h, c3 2 h, c7 24 h; c1 merged before the window
    expect(k['pr-turnaround-time']).toMatchObject({ value: 79200, sampleSize: 3 });
    expect(k['slo-compliance']).toMatchObject({ value: null, tier: null });
    // every built-in KPI, then the measurement KPI
    expect(body.kpis.map(x => x.id)).toHaveLength(16);
  });

  it('gives DORA tiers, targets, owners with provenance, baselines and trends', async () => {
    const { send, kpis } = await start({ tiers: { minimumSample: 3 } });
    await send(dataset);
    const k = byId(await kpis('component/default/checkout'));
    // with a minimum sample of 3, every DORA KPI has the evidence for a tier over the window
    const window = { start: '2026-05-31T00:00:00.000Z', end: '2026-06-30T00:00:00.000Z' };
    expect(k['lead-time-for-changes']).toMatchObject({ tier: 'elite', tierPeriod: window, tierNote: null });
    expect(k['change-failure-rate']).toMatchObject({ tier: 'low', tierPeriod: window });
    expect(k['time-to-restore']).toMatchObject({ tier: 'high', tierPeriod: window });
    expect(k['deployment-rework-rate']).toMatchObject({ tier: null, tierPeriod: null, tierNote: null });
    expect(k['lead-time-for-changes']).toMatchObject({
      target: { op: '<', value: 86400 },
      targetSource: 'annotation:component:default/checkout',
      met: true,
      owner: { holders: ['user:default/bob'], provenance: 'via-persona:tech-lead' },
    });
    expect(k['change-failure-rate']).toMatchObject({
      target: { op: '<=', value: 0.1 },
      met: false,
      owner: { holders: ['user:default/dan'], provenance: 'explicit' },
    });
    expect(k['alert-noise'].owner).toEqual({
      holders: ['user:default/erin'],
      provenance: 'inherited:system:default/payments',
    });
    expect(k['customer-impacting-incidents'].owner).toEqual({
      holders: ['user:default/alice'],
      provenance: 'via-persona:product-owner',
    });
    expect(k['pipeline-success-rate'].owner).toEqual({ holders: [], provenance: 'unassigned' });
    expect(k['rollback-rate'].response).toMatch(/rollback/i);

    // baseline: the first 4 weeks with data. Deployments start at d0
    // (2026-05-30T23:59:59Z): d0, d1, d2, d3 lie within 28 days of it, d7 just after.
    expect(k['deployment-frequency'].baseline).toBe(1);
    expect(k['deployment-frequency'].change).toBeCloseTo(4 / (30 / 7) - 1, 10);

    // weekly trend: UTC calendar weeks (Monday) cut at the window's edges
    const trend = k['deployment-frequency'].trend;
    expect(trend[0]).toEqual({
      start: '2026-05-31T00:00:00.000Z',
      end: '2026-06-01T00:00:00.000Z',
      value: 7, // d1 in a one-day bucket: per week over its own length
      partial: true,
    });
    expect(trend[1]).toMatchObject({ start: '2026-06-01T00:00:00.000Z', end: '2026-06-08T00:00:00.000Z', partial: false });
    expect(trend[trend.length - 1]).toMatchObject({
      start: '2026-06-29T00:00:00.000Z',
      end: '2026-06-30T00:00:00.000Z',
      value: 0,
      partial: true,
    });
    expect(trend).toHaveLength(6);
    expect(trend.filter(p => p.partial)).toHaveLength(2);
    const monthly = byId(await kpis('component/default/checkout', `until=${UNTIL}&bucket=month`));
    expect(monthly['change-failure-rate'].trend).toEqual([
      { start: '2026-05-31T00:00:00.000Z', end: '2026-06-01T00:00:00.000Z', value: 0, partial: true },
      { start: '2026-06-01T00:00:00.000Z', end: '2026-06-30T00:00:00.000Z', value: 2 / 3, partial: true },
    ]);
    // a window on whole months has no partial bucket
    const whole = byId(await kpis('component/default/checkout', 'until=2026-07-01T00:00:00Z&window=P30D&bucket=month'));
    expect(whole['change-failure-rate'].trend).toEqual([
      expect.objectContaining({ start: '2026-06-01T00:00:00.000Z', end: '2026-07-01T00:00:00.000Z', partial: false }),
    ]);
  });

  it('gives null, never 0, for rates and medians without data, and 0 for counts', async () => {
    const { kpis } = await start();
    const body = await kpis('component/default/empty');
    const k = byId(body);
    expect(k['deployment-frequency']).toMatchObject({ value: 0, tier: 'low', baseline: null });
    expect(k['customer-impacting-incidents'].value).toBe(0);
    for (const id of ['lead-time-for-changes', 'change-failure-rate', 'time-to-restore', 'alert-noise', 'pipeline-success-rate', 'pr-turnaround-time', 'postmortem-action-closure-rate']) {
      expect(k[id]).toMatchObject({ value: null, tier: null, met: null, sampleSize: 0 });
    }
    expect(k['critical-vulnerability-fix-time'].overdue).toBe(0);
    // every KPI is ownerless: no personas anywhere
    expect(body.warnings.filter(w => w.code === 'ownerless-kpi')).toHaveLength(16);
  });

  it('replaces a resent event instead of counting it twice', async () => {
    const { send, kpis } = await start();
    await send(dataset);
    // resend c3 (same type, source, id) created 4 h earlier; and d3 again, identical
    await send([
      ev('change', 'c3', { createdAt: '2026-06-14T14:00:00Z', mergedAt: '2026-06-14T20:00:00Z' }),
      dataset.find(e => e.id === 'd3')!,
    ]);
    const k = byId(await kpis('component/default/checkout'));
    expect(k['deployment-frequency'].sampleSize).toBe(4);
    // lead times now 36000 (c3), 43200, 86400, 259200 → (43200 + 86400) / 2
    expect(k['lead-time-for-changes'].value).toBe(64800);
    expect(k['pr-turnaround-time'].value).toBe(79200);
  });

  it('rolls a System up over the union of its Components events, never averaging', async () => {
    const { send, kpis } = await start();
    await send([
      ev('incident', 'x1', { startedAt: '2026-06-01T00:00:00Z', resolvedAt: '2026-06-01T00:01:40Z' }, 'checkout'),
      ev('incident', 'x2', { startedAt: '2026-06-02T00:00:00Z', resolvedAt: '2026-06-02T00:03:20Z' }, 'component:default/cart'),
      ev('incident', 'x3', { startedAt: '2026-06-03T00:00:00Z', resolvedAt: '2026-06-03T00:05:00Z' }, 'cart'),
      ev('deployment', 'y1', { finishedAt: '2026-06-01T00:00:00Z', status: 'success' }, 'checkout'),
      ev('deployment', 'y2', { finishedAt: '2026-06-02T00:00:00Z', status: 'rolled_back' }, 'cart'),
      ev('deployment', 'y3', { finishedAt: '2026-06-03T00:00:00Z', status: 'success' }, 'cart'),
    ]);
    const body = await kpis('system/default/payments');
    expect(body.entities).toEqual([
      'system:default/payments',
      'component:default/cart',
      'component:default/checkout',
    ]);
    const k = byId(body);
    // medians 100 (checkout) and 250 (cart) would average 175; the union's median is 200
    expect(k['time-to-restore']).toMatchObject({ value: 200, sampleSize: 3 });
    expect(k['deployment-frequency'].sampleSize).toBe(3);
    expect(k['change-failure-rate'].value).toBeCloseTo(1 / 3, 10);
  });

  it('rates deployment frequency by the 12 weeks before `until`', async () => {
    const { send, kpis } = await start();
    const until = Date.parse(UNTIL);
    const at = (daysBefore: number, hour = 12) =>
      new Date(until - daysBefore * DAY * 1000 + (hour - 24) * 3600 * 1000).toISOString();
    // cart: three different UTC days in each of the 12 weeks → elite
    const elite = Array.from({ length: 12 }, (_, w) => [1, 3, 5].map(d => at(w * 7 + d)))
      .flat()
      .map((t, i) => ev('deployment', `e${i}`, { finishedAt: t, status: 'success' }, 'cart'));
    // checkout: two deployments on one day per week, in 7 of 12 weeks → high (median 2 per week, 1 day)
    const high = Array.from({ length: 7 }, (_, w) => [at(w * 7 + 2, 10), at(w * 7 + 2, 11)])
      .flat()
      .map((t, i) => ev('deployment', `h${i}`, { finishedAt: t, status: 'success' }, 'checkout'));
    // empty: one deployment in each of the three 4-week periods → medium
    const medium = [3, 31, 59].map((d, i) =>
      ev('deployment', `m${i}`, { finishedAt: at(d), status: 'success' }, 'empty'),
    );
    expect((await send([...elite, ...high, ...medium])).status).toBe(202);
    const tier = async (ref: string) =>
      byId(await kpis(ref))['deployment-frequency'].tier;
    expect(await tier('component/default/cart')).toBe('elite');
    expect(await tier('component/default/checkout')).toBe('high');
    expect(await tier('component/default/empty')).toBe('medium');
  });

  it('raises the guardrail when deployments speed up while stability gets worse', async () => {
    const { send, kpis } = await start();
    const prev = (i: number) => `2026-05-${String(10 + i).padStart(2, '0')}T00:00:00Z`;
    const now = (i: number) => `2026-06-${String(10 + i).padStart(2, '0')}T00:00:00Z`;
    await send([
      // previous window: 5 deployments, 1 rolled back (20 %)
      ...[0, 1, 2, 3, 4].map(i => ev('deployment', `p${i}`, { finishedAt: prev(i), status: i === 0 ? 'rolled_back' : 'success' }, 'cart')),
      // this window: 10 deployments (+100 %), 5 rolled back (50 %)
      ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(i => ev('deployment', `n${i}`, { finishedAt: now(i), status: i < 5 ? 'rolled_back' : 'success' }, 'cart')),
    ]);
    const body = await kpis('component/default/cart');
    expect(body.warnings).toContainEqual(
      expect.objectContaining({
        code: 'guardrail',
        message: expect.stringMatching(/against the previous window \(\d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}: [\d.]+ → [\d.]+ per week\) while change failure rate got worse/),
      }),
    );
    const calm = await kpis('component/default/checkout');
    expect(calm.warnings.filter(w => w.code === 'guardrail')).toEqual([]);
  });

  it('reports the latest measurement and the per-bucket mean of a measurement KPI', async () => {
    const { send, kpis } = await start();
    await send([
      ev('measurement', 'm1', { kpi: 'test-coverage', timestamp: '2026-06-16T00:00:00Z', value: 70 }),
      ev('measurement', 'm2', { kpi: 'test-coverage', timestamp: '2026-06-17T00:00:00Z', value: 80 }),
      ev('measurement', 'm3', { kpi: 'test-coverage', timestamp: '2026-06-20T00:00:00Z', value: 84 }),
      ev('measurement', 'm4', { kpi: 'other', timestamp: '2026-06-21T00:00:00Z', value: 1 }),
    ]);
    const k = byId(await kpis('component/default/checkout'))['test-coverage'];
    expect(k).toMatchObject({ value: 84, sampleSize: 3, kind: 'measurement', unit: 'percent', met: true });
    expect(k.trend.find(p => p.start === '2026-06-15T00:00:00.000Z')!.value).toBe(78);
  });

  it('explains a KPI value with its events and formula', async () => {
    const { server, send } = await start();
    await send(dataset);
    const res = await request(server)
      .get(`/api/devops-personas/v1/entities/component/default/checkout/kpis/change-failure-rate/events?until=${UNTIL}`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kpi: 'change-failure-rate', value: 0.5, sampleSize: 4 });
    expect(res.body.formula).toMatch(/rolled_back/);
    const roles = Object.fromEntries(
      res.body.events.map((e: { role: string; event: { id: string } }) => [e.event.id, e.role]),
    );
    expect(roles).toEqual({
      d1: 'deployment',
      d2: 'failed-deployment',
      d3: 'failed-deployment',
      d7: 'deployment',
    });
    // timestamps come back normalised to UTC
    const d2 = res.body.events.find((e: { event: { id: string } }) => e.event.id === 'd2');
    expect(d2.event.finishedAt).toBe('2026-06-10T10:00:00.000Z');

    const unknown = await request(server)
      .get('/api/devops-personas/v1/entities/component/default/checkout/kpis/happiness/events')
      .set('Authorization', mockCredentials.user.header());
    expect(unknown.status).toBe(404);
  });

  it('rejects bad query parameters by name', async () => {
    const { server } = await start();
    for (const [query, field] of [
      ['window=soon', 'window'],
      ['window=-3d', 'window'],
      ['window=PT0.0001S', 'window'],
      ['until=yesterday', 'until'],
      ['bucket=day', 'bucket'],
    ]) {
      const res = await request(server)
        .get(`/api/devops-personas/v1/entities/component/default/checkout/kpis?${query}`)
        .set('Authorization', mockCredentials.user.header());
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(field);
    }
  });
});
