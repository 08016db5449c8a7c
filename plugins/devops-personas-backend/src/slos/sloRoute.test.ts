import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { devopsPersonasPlugin } from '../plugin';
import { testDatabaseIds } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-slo-route-'));
fs.writeFileSync(
  path.join(dir, 'openslo.yaml'),
  `apiVersion: openslo/v1
kind: SLO
metadata: { name: pay-availability }
spec:
  indicator: { metadata: { name: pay-requests } }
  budgetingMethod: Occurrences
  timeWindow: [{ duration: 30d, isRolling: true }]
  objectives: [{ displayName: 99 % succeed, target: 0.99 }]
---
apiVersion: openslo/v1
kind: SLO
metadata: { name: pay-latency }
spec:
  indicator: { metadata: { name: pay-latency } }
  budgetingMethod: Timeslices
  timeWindow: [{ duration: 30d, isRolling: true }]
  objectives: [{ target: 0.5, timeSliceTarget: 0.9 }]
---
apiVersion: openslo/v1
kind: Dashboard
metadata: { name: not-an-slo }
`,
);

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'pay',
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': `file:${path.join(dir, 'catalog-info.yaml')}`,
        'devops-personas.io/slo-ref': './openslo.yaml',
      },
    },
    spec: { type: 'service', owner: 'team' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'sneaky',
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': `file:${path.join(dir, 'catalog-info.yaml')}`,
        'devops-personas.io/slo-ref': '../../../../etc/passwd',
      },
    },
    spec: { type: 'service', owner: 'team' },
  },
];

const UNTIL = '2026-06-30T00:00:00Z';
const sli = (id: string, slo: string, windowStart: string, good: number, total: number) => ({
  type: 'sli',
  id,
  entityRef: 'pay',
  slo,
  windowStart,
  windowEnd: new Date(Date.parse(windowStart) + 300_000).toISOString(),
  good,
  total,
});

describe.each(testDatabaseIds())('GET /slos on %s', databaseId => {
  const databases = TestDatabases.create({ ids: [databaseId] });

  it('computes SLOs from sli events, sorted by remaining budget, with document warnings', async () => {
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
      .send({
        events: [
          sli('a1', 'pay-availability', '2026-06-10T00:00:00Z', 995, 1000),
          sli('a2', 'pay-availability', '2026-06-29T23:56:00Z', 80, 100),
          sli('a3', 'pay-availability', '2026-05-01T00:00:00Z', 0, 1000), // before the window
          sli('l1', 'pay-latency', '2026-06-10T00:00:00Z', 95, 100),
          sli('l2', 'pay-latency', '2026-06-11T00:00:00Z', 80, 100),
        ],
      });
    expect(sent.status).toBe(202);

    const res = await request(server)
      .get(`/api/devops-personas/v1/entities/component/default/pay/slos?until=${UNTIL}`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body.sloRef).toBe('./openslo.yaml');
    expect(res.body.warnings).toEqual([
      expect.objectContaining({ code: 'invalid-slo', message: expect.stringMatching(/not-an-slo\): kind "Dashboard" is not an OpenSLO v1 kind/) }),
    ]);
    // availability: 1075 good of 1100 → budget 1 − (25/1100)/0.01 < 0, so it comes first
    expect(res.body.slos.map((s: { name: string }) => s.name)).toEqual(['pay-availability', 'pay-latency']);
    const [availability, latency] = res.body.slos;
    expect(availability.window).toEqual({ duration: '30d', isRolling: true, start: '2026-05-31T00:00:00.000Z', end: '2026-06-30T00:00:00.000Z' });
    const [o] = availability.objectives;
    expect(o.attainment).toBeCloseTo(1075 / 1100, 12);
    expect(o.errorBudget).toBeCloseTo(0.01, 12);
    expect(o.budgetRemaining).toBeCloseTo(1 - (25 / 1100) / 0.01, 10);
    // only a2 lies in the last hour: 20 % bad ÷ 1 %
    expect(o.burnRates['5m']).toBeCloseTo(20, 10);
    expect(o.burnRates['1h']).toBeCloseTo(20, 10);
    expect(o.alert).toBe('page');
    // one good slice of two (0.95 ≥ 0.9; 0.8 is not): exactly on target, no budget left
    expect(latency.objectives[0]).toMatchObject({ attainment: 0.5, budgetRemaining: 0, met: true });

    // the slo-compliance KPI: one of two SLOs meets its objective
    const kpis = await request(server)
      .get(`/api/devops-personas/v1/entities/component/default/pay/kpis?until=${UNTIL}`)
      .set('Authorization', mockCredentials.user.header());
    expect(kpis.body.kpis.find((k: { id: string }) => k.id === 'slo-compliance')).toMatchObject({ value: 0.5, sampleSize: 2 });

    // an slo-ref that leaves the entity's directory is refused, as a warning
    const sneaky = await request(server)
      .get('/api/devops-personas/v1/entities/component/default/sneaky/slos')
      .set('Authorization', mockCredentials.user.header());
    expect(sneaky.status).toBe(200);
    expect(sneaky.body.slos).toEqual([]);
    expect(sneaky.body.warnings[0].message).toMatch(/outside the directory/);
  });
});
