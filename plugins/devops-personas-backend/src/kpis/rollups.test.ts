import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  EntityKpisResponse,
  EntitySlosResponse,
  KpiEventsResponse,
} from '@devops-personas/plugin-devops-personas-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { devopsPersonasPlugin } from '../plugin';
import { testDatabaseIds } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const UNTIL = '2026-06-30T00:00:00Z';

/** Two services, each with its own OpenSLO file in its own directory. */
function sloFile(service: string, documents: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dp-rollup-${service}-`));
  fs.writeFileSync(path.join(dir, 'openslo.yaml'), documents);
  return `file:${path.join(dir, 'catalog-info.yaml')}`;
}
const slo = (name: string, target: number) => `apiVersion: openslo/v1
kind: SLO
metadata: { name: ${name} }
spec:
  indicator: { metadata: { name: ${name}-sli } }
  budgetingMethod: Occurrences
  timeWindow: [{ duration: 30d, isRolling: true }]
  objectives: [{ displayName: ${name} objective, target: ${target} }]
`;
const payLocation = sloFile('pay', `${slo('pay-availability', 0.99)}---\n${slo('pay-latency', 0.9)}`);
const webLocation = sloFile('web', slo('web-availability', 0.95));

const EVERY_KPI_PERSONA = [
  'platform-engineer',
  'product-owner',
  'quality-engineer',
  'release-manager',
  'security-owner',
  'service-owner',
  'tech-lead',
];

const component = (name: string, annotations: Record<string, string>, owner = 'team'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', owner, system: 'shop' },
  relations: [
    { type: 'partOf', targetRef: 'system:default/shop' },
    { type: 'ownedBy', targetRef: `group:default/${owner}` },
  ],
});

const entities: Entity[] = [
  component('pay', {
    'backstage.io/managed-by-location': payLocation,
    'devops-personas.io/slo-ref': './openslo.yaml',
    // the SRE group is service owner here, though it owns nothing
    'devops-personas.io/service-owner': 'group:default/sre',
  }),
  component('web', {
    'backstage.io/managed-by-location': webLocation,
    'devops-personas.io/slo-ref': './openslo.yaml',
    ...Object.fromEntries(EVERY_KPI_PERSONA.map(p => [`devops-personas.io/${p}`, 'user:default/wendy'])),
  }),
  component('bare', {}),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'shop', namespace: 'default' },
    spec: { owner: 'team' },
    relations: ['pay', 'web', 'bare'].map(n => ({ type: 'hasPart', targetRef: `component:default/${n}` })),
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team', namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: ['pay', 'web', 'bare'].map(n => ({ type: 'ownerOf', targetRef: `component:default/${n}` })),
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'sre', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
];

const sli = (id: string, sloName: string, entityRef: string, good: number, total: number) => ({
  type: 'sli',
  id,
  entityRef,
  slo: sloName,
  windowStart: '2026-06-20T00:00:00Z',
  windowEnd: '2026-06-20T00:05:00Z',
  good,
  total,
});

const events = [
  sli('s1', 'pay-availability', 'pay', 999, 1000), // 99.9 % ≥ 99 %: met
  sli('s2', 'pay-latency', 'pay', 80, 100), // 80 % < 90 %: missed
  sli('s3', 'web-availability', 'web', 97, 100), // 97 % ≥ 95 %: met
  // deployments of pay: three changes with lead times of 1, 5 and 2 hours; d2 caused an incident, d3 rolled back
  { type: 'change', id: 'c1', entityRef: 'pay', createdAt: '2026-06-10T09:00:00Z', url: 'https://git.example.com/pay/pull/1' },
  { type: 'change', id: 'c2', entityRef: 'pay', createdAt: '2026-06-11T05:00:00Z' },
  { type: 'change', id: 'c3', entityRef: 'pay', createdAt: '2026-06-12T08:00:00Z' },
  { type: 'deployment', id: 'd1', entityRef: 'pay', finishedAt: '2026-06-10T10:00:00Z', status: 'success', changeIds: ['c1'] },
  { type: 'deployment', id: 'd2', entityRef: 'pay', finishedAt: '2026-06-11T10:00:00Z', status: 'success', changeIds: ['c2'] },
  { type: 'deployment', id: 'd3', entityRef: 'pay', finishedAt: '2026-06-12T10:00:00Z', status: 'rolled_back', changeIds: ['c3'] },
  { type: 'incident', id: 'inc-42', entityRef: 'pay', startedAt: '2026-06-11T11:00:00Z', causedByDeploymentId: 'd2' },
];

describe.each(testDatabaseIds())('rollups on %s', databaseId => {
  const databases = TestDatabases.create({ ids: [databaseId] });

  async function start() {
    const knex = await databases.init(databaseId);
    const { server } = await startTestBackend({
      features: [
        devopsPersonasPlugin,
        catalogServiceMock.factory({ entities }),
        mockServices.database.factory({ knex }),
      ],
    });
    const sent = await request(server)
      .post('/api/devops-personas/v1/events')
      .set('Authorization', mockCredentials.service.header())
      .send({ events });
    expect(sent.status).toBe(202);
    const get = async <T>(url: string, status = 200): Promise<T> => {
      const res = await request(server)
        .get(`/api/devops-personas/v1/${url}`)
        .set('Authorization', mockCredentials.user.header());
      expect([url, res.status]).toEqual([url, status]);
      return res.body;
    };
    return { get };
  }

  const sloCompliance = (body: EntityKpisResponse) => body.kpis.find(k => k.id === 'slo-compliance')!;

  it("computes a System's slo-compliance over the union of its Components' SLOs, as its explain and SLOs tab show", async () => {
    const { get } = await start();
    const kpis = await get<EntityKpisResponse>(`entities/system/default/shop/kpis?until=${UNTIL}`);
    expect(kpis.rollup).toBe('parts');
    expect(sloCompliance(kpis)).toMatchObject({ value: 2 / 3, sampleSize: 3 });
    // the last trend point ends at `until`: the same value
    expect(sloCompliance(kpis).trend.at(-1)).toMatchObject({ value: 2 / 3, partial: true });

    const explained = await get<KpiEventsResponse>(`entities/system/default/shop/kpis/slo-compliance/events?until=${UNTIL}`);
    expect(explained).toMatchObject({ value: 2 / 3, sampleSize: 3, figureUnit: 'fraction', events: [] });
    expect(explained.slos).toEqual([
      { entityRef: 'component:default/pay', name: 'pay-latency', objective: 'pay-latency objective', target: 0.9, attainment: 0.8, met: false, dataSource: 'events' },
      { entityRef: 'component:default/web', name: 'web-availability', objective: 'web-availability objective', target: 0.95, attainment: 0.97, met: true, dataSource: 'events' },
      { entityRef: 'component:default/pay', name: 'pay-availability', objective: 'pay-availability objective', target: 0.99, attainment: 0.999, met: true, dataSource: 'events' },
    ]);

    const slos = await get<EntitySlosResponse>(`entities/system/default/shop/slos?until=${UNTIL}`);
    expect(slos.entities).toEqual(['system:default/shop', 'component:default/bare', 'component:default/pay', 'component:default/web']);
    expect(slos.slos.map(s => [s.entityRef, s.name])).toEqual([
      ['component:default/pay', 'pay-latency'],
      ['component:default/web', 'web-availability'],
      ['component:default/pay', 'pay-availability'],
    ]);

    // a Component: its own SLOs only, the card and explain agree
    const pay = await get<EntityKpisResponse>(`entities/component/default/pay/kpis?until=${UNTIL}`);
    expect(pay.rollup).toBeNull();
    expect(sloCompliance(pay)).toMatchObject({ value: 0.5, sampleSize: 2 });
    const payExplained = await get<KpiEventsResponse>(`entities/component/default/pay/kpis/slo-compliance/events?until=${UNTIL}`);
    expect(payExplained).toMatchObject({ value: 0.5, sampleSize: 2 });
    expect(payExplained.slos!.map(s => s.name)).toEqual(['pay-latency', 'pay-availability']);
  });

  it("summarises a rollup's ownerless KPIs by Component instead of repeating them", async () => {
    const { get } = await start();
    const shop = await get<EntityKpisResponse>(`entities/system/default/shop/kpis?until=${UNTIL}`);
    const ownerless = shop.warnings.filter(w => w.code === 'ownerless-kpi');
    expect(ownerless).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^2 of 3 Components have ownerless KPIs/),
        entities: ['component:default/bare', 'component:default/pay'],
      }),
    ]);
    // a Component still names each of its ownerless KPIs
    const bare = await get<EntityKpisResponse>(`entities/component/default/bare/kpis?until=${UNTIL}`);
    expect(bare.warnings.filter(w => w.code === 'ownerless-kpi').length).toBeGreaterThan(5);
  });

  it('rolls a Group up over what it owns, or over the entities where it holds a persona', async () => {
    const { get } = await start();
    const owned = await get<EntityKpisResponse>(`entities/group/default/sre/kpis?until=${UNTIL}`);
    expect(owned).toMatchObject({ rollup: 'owned', entities: ['group:default/sre'] });
    expect(owned.kpis.find(k => k.id === 'deployment-frequency')!.sampleSize).toBe(0);

    const held = await get<EntityKpisResponse>(`entities/group/default/sre/kpis?until=${UNTIL}&rollup=personas`);
    expect(held).toMatchObject({ rollup: 'personas', entities: ['group:default/sre', 'component:default/pay'] });
    expect(held.kpis.find(k => k.id === 'deployment-frequency')!.sampleSize).toBe(3);
    const heldSlos = await get<EntitySlosResponse>(`entities/group/default/sre/slos?until=${UNTIL}&rollup=personas`);
    expect(heldSlos.slos.map(s => s.name).sort()).toEqual(['pay-availability', 'pay-latency']);

    const team = await get<EntityKpisResponse>(`entities/group/default/team/kpis?until=${UNTIL}`);
    expect(team.entities).toHaveLength(4);

    const bad = await get<{ error: { name: string; message: string } }>(
      `entities/group/default/sre/kpis?rollup=everything`,
      400,
    );
    expect(bad.error).toMatchObject({ name: 'InputError', message: expect.stringMatching(/^rollup must be owned or personas/) });
  });

  it('explains each item with its own figure, most contributing first, with what made it count', async () => {
    const { get } = await start();
    const lead = await get<KpiEventsResponse>(`entities/component/default/pay/kpis/lead-time-for-changes/events?until=${UNTIL}`);
    expect(lead).toMatchObject({ value: 7200, sampleSize: 3, figureUnit: 'seconds' });
    expect(lead.events.map(e => [e.role, e.event.id, e.figure, e.note])).toEqual([
      ['change', 'c2', 18000, 'first deployed by d2'],
      ['change', 'c3', 7200, 'first deployed by d3'],
      ['change', 'c1', 3600, 'first deployed by d1'],
      ['first-deployment', 'd2', null, 'first deployment of 1 change'],
      ['first-deployment', 'd3', null, 'first deployment of 1 change'],
      ['first-deployment', 'd1', null, 'first deployment of 1 change'],
    ]);
    // the optional url of SPEC §6 comes back for the link
    expect(lead.events.find(e => e.event.id === 'c1')!.event.url).toBe('https://git.example.com/pay/pull/1');

    const cfr = await get<KpiEventsResponse>(`entities/component/default/pay/kpis/change-failure-rate/events?until=${UNTIL}`);
    expect(cfr.value).toBeCloseTo(2 / 3, 12);
    expect(cfr.events.map(e => [e.role, e.event.id, e.note ?? null])).toEqual([
      ['failed-deployment', 'd3', 'rolled back'],
      ['failed-deployment', 'd2', 'caused incident inc-42'],
      ['deployment', 'd1', null],
    ]);
  });
});
