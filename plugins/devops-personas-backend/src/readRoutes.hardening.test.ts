import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { devopsPersonasPlugin } from './plugin';
import { testDatabaseIds } from './__testUtils__/testDatabases';

jest.setTimeout(60_000);

const BASE = '/api/devops-personas/v1';
const ENTITY = `${BASE}/entities/component/default/checkout`;

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'checkout',
      namespace: 'default',
      annotations: {
        'devops-personas.io/tech-lead': 'bob, user:\u0000, group:',
        'devops-personas.io/kpi-target.lead-time-for-changes': `< 1${'0'.repeat(400)}d`,
        'devops-personas.io/kpi-target.deployment-frequency': '>= 3/constructor',
        'devops-personas.io/kpi-owner.__proto__': 'alice',
        'devops-personas.io/slo-ref': `${'../'.repeat(2000)}etc/passwd`,
      },
    },
    spec: { type: 'service', owner: 'team', lifecycle: 'production' },
  },
];

// Query strings and paths a careless script or a curious person may send.
const requests: Array<[string, number]> = [
  [`${ENTITY}/kpis?window=0d`, 400],
  [`${ENTITY}/kpis?window=-1d`, 400],
  [`${ENTITY}/kpis?window=1${'0'.repeat(400)}d`, 400],
  [`${ENTITY}/kpis?window=P1000Y`, 400],
  [`${ENTITY}/kpis?window=abc`, 400],
  [`${ENTITY}/kpis?window=30d&window=7d`, 400],
  [`${ENTITY}/kpis?window[]=30d`, 400],
  [`${ENTITY}/kpis?window[a]=30d`, 400],
  [`${ENTITY}/kpis?until=0000-01-01`, 400],
  [`${ENTITY}/kpis?until=%2B275760-09-13T00:00:00Z`, 400],
  [`${ENTITY}/kpis?until=99999-01-01`, 400],
  [`${ENTITY}/kpis?until=2026-13-01`, 400],
  [`${ENTITY}/kpis?until=2026-06-30T00:00:00%2B25:00`, 400],
  [`${ENTITY}/kpis?until=0001-01-01&window=1000d`, 200],
  [`${ENTITY}/kpis?until=9999-12-31T23:59:59Z&window=1000d&bucket=month`, 200],
  [`${ENTITY}/kpis?bucket=day`, 400],
  [`${ENTITY}/kpis?bucket=toString`, 400],
  [`${ENTITY}/kpis/constructor/events`, 404],
  [`${ENTITY}/kpis/__proto__/events`, 404],
  [`${ENTITY}/kpis/%00/events`, 404],
  [`${ENTITY}/kpis/lead-time-for-changes/events?window=1${'0'.repeat(400)}d`, 400],
  [`${ENTITY}/slos?until=garbage`, 400],
  [`${ENTITY}/slos?until=0001-01-01T00:00:00Z`, 200],
  [`${ENTITY}/personas`, 200],
  [`${ENTITY}/raci`, 200],
  [`${BASE}/entities/component/default/a%00b/personas`, 400],
  [`${BASE}/entities/component/default/${'n'.repeat(300)}/personas`, 400],
  [`${BASE}/entities/component/default/caf%C3%A9/kpis`, 400],
  [`${BASE}/entities/component/default/%E0%A4%A/kpis`, 400],
  [`${BASE}/entities/component/default/nobody/kpis`, 404],
  [`${BASE}/overview?limit=-1`, 400],
  [`${BASE}/overview?limit=1e3`, 400],
  [`${BASE}/overview?offset=1e9`, 400],
  [`${BASE}/overview?sort=toString`, 400],
  [`${BASE}/overview?kind[]=component`, 400],
  [`${BASE}/overview?owner=%00&system=${'s'.repeat(5000)}`, 200],
  [`${BASE}/holders/user/default/%00`, 400],
  [`${BASE}/holders/user/default/nobody`, 404],
];

describe.each(testDatabaseIds())('read routes with odd input on %s', databaseId => {
  const databases = TestDatabases.create({ ids: [databaseId] });
  let server: Parameters<typeof request>[0];

  beforeAll(async () => {
    const knex = await databases.init(databaseId);
    ({ server } = await startTestBackend({
      features: [
        devopsPersonasPlugin,
        catalogServiceMock.factory({ entities }),
        mockServices.database.factory({ knex }),
      ],
    }));
    const sent = await request(server)
      .post(`${BASE}/events`)
      .set('Authorization', mockCredentials.service.header())
      .send({
        events: [
          { type: 'deployment', id: 'd1', entityRef: 'checkout', finishedAt: '2026-06-01T10:00:00Z', status: 'success' },
          { type: 'sli', id: 's1', entityRef: 'checkout', slo: 'x', windowStart: '0001-01-01T00:00:00Z', windowEnd: '0001-01-01T00:05:00Z', good: 1, total: 1 },
        ],
      });
    if (sent.status !== 202) throw new Error(`seeding events answered ${sent.status}`);
  });

  it.each(requests)('GET %s answers %i, never a 5xx', async (url, status) => {
    const res = await request(server).get(url).set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(status);
    // an error answer is Backstage's error body, with a message for the person
    expect(status < 400 || typeof res.body.error?.message === 'string').toBe(true);
  });

  it('turns bad annotations into warnings, never a broken answer', async () => {
    const personas = await request(server).get(`${ENTITY}/personas`).set('Authorization', mockCredentials.user.header());
    const kpis = await request(server).get(`${ENTITY}/kpis`).set('Authorization', mockCredentials.user.header());
    const slos = await request(server).get(`${ENTITY}/slos`).set('Authorization', mockCredentials.user.header());
    const keys = (body: { warnings: Array<{ key?: string }> }) => body.warnings.map(w => w.key).filter(Boolean);
    expect(keys(personas.body)).toEqual(
      expect.arrayContaining([
        'devops-personas.io/tech-lead',
        'devops-personas.io/kpi-target.lead-time-for-changes',
        'devops-personas.io/kpi-target.deployment-frequency',
        'devops-personas.io/kpi-owner.__proto__',
      ]),
    );
    expect(kpis.body.kpis.find((k: { id: string }) => k.id === 'lead-time-for-changes').target).toBeNull();
    expect(slos.body.warnings).toEqual([expect.objectContaining({ code: 'invalid-slo', message: expect.stringMatching(/outside the directory|no url: or file: location/) })]);
  });
});
