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

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-slo-hardening-'));

const slo = (name: string, timeWindow: string) => `apiVersion: openslo/v1
kind: SLO
metadata: { name: ${name} }
spec:
  indicator: { metadata: { name: ${name}-sli } }
  budgetingMethod: Occurrences
  timeWindow: ${timeWindow}
  objectives: [{ target: 0.99 }]
`;

const billion = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  ...'bcdefghi'.split('').map((k, i) => {
    const prev = 'abcdefghi'[i];
    return `${k}: &${k} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`;
  }),
].join('\n');

// Each document is a shape a catalog author could write; each entity names one.
const documents: Record<string, { text: string; warning: RegExp }> = {
  'zero-calendar': {
    text: slo('zero', '[{ duration: 0d, isRolling: false, calendar: { startTime: "2020-01-01 00:00:00" } }]'),
    warning: /^devops-personas\.io\/slo-ref "\.\/zero-calendar\.yaml" document 1 \(zero\): spec\.timeWindow\[0\]\.duration "0d" must be longer than zero$/,
  },
  'too-long': {
    text: slo('long', '[{ duration: 367d, isRolling: true }]'),
    warning: /\(long\): spec\.timeWindow\[0\]\.duration "367d" is longer than 366 days/,
  },
  'thirteen-months': {
    text: slo('months', '[{ duration: 13M, isRolling: false, calendar: { startTime: "2020-01-01 00:00:00", timeZone: UTC } }]'),
    warning: /\(months\): spec\.timeWindow\[0\]\.duration "13M" is longer than 366 days/,
  },
  'bad-zone': {
    text: slo('zone', '[{ duration: 1M, isRolling: false, calendar: { startTime: "2020-01-01 00:00:00", timeZone: Mars/Olympus } }]'),
    warning: /\(zone\): spec\.timeWindow\[0\]\.calendar\.timeZone "Mars\/Olympus" is not an IANA time zone/,
  },
  'bad-start': {
    text: slo('start', '[{ duration: 1M, isRolling: false, calendar: { startTime: "2020-02-30 00:00:00", timeZone: UTC } }]'),
    warning: /\(start\): spec\.timeWindow\[0\]\.calendar\.startTime "2020-02-30 00:00:00" is not a valid date/,
  },
  'rolling-text': {
    text: slo('rolling', '[{ duration: 30d, isRolling: "no" }]'),
    warning: /\(rolling\): spec\.timeWindow\[0\]\.isRolling must be true or false/,
  },
  'alias-bomb': {
    text: `${billion}\n`,
    warning: /alias-bomb\.yaml" document 1: cannot be read: Excessive alias count/,
  },
  'deep-nesting': {
    text: `${'['.repeat(50_000)}${']'.repeat(50_000)}\n`,
    // the parser overflows its stack, or runs out of time on a busy machine: both are warnings
    warning: /deep-nesting\.yaml"( document 1: |: took longer than 750 ms to read)/,
  },
  'no-window': {
    text: slo('none', '[]'),
    warning: /\(none\): spec\.timeWindow\[0\] must be an object with a duration/,
  },
};

for (const [name, { text }] of Object.entries(documents)) {
  fs.writeFileSync(path.join(dir, `${name}.yaml`), text);
}
// Valid, if odd: one-minute calendar windows counted from the year 1000.
fs.writeFileSync(
  path.join(dir, 'millennium.yaml'),
  slo('millennium', '[{ duration: 1m, isRolling: false, calendar: { startTime: "1000-01-01 00:00:00", timeZone: UTC } }]'),
);

const component = (name: string, sloRef: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'backstage.io/managed-by-location': `file:${path.join(dir, 'catalog-info.yaml')}`,
      'devops-personas.io/slo-ref': sloRef,
    },
  },
  spec: { type: 'service', owner: 'team' },
});

const entities = [
  ...Object.keys(documents).map(name => component(name, `./${name}.yaml`)),
  component('millennium', './millennium.yaml'),
  component('missing', './missing.yaml'),
];

describe.each(testDatabaseIds())('SLO documents of odd shapes on %s', databaseId => {
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
    // warm up: the first request of a backend pays for loading modules
    await request(server).get('/api/devops-personas/v1/entities/component/default/millennium/slos').set('Authorization', mockCredentials.user.header());
  });

  const get = (name: string, kind: 'slos' | 'kpis', until = '2026-06-30T00:00:30Z') =>
    request(server)
      .get(`/api/devops-personas/v1/entities/component/default/${name}/${kind}?until=${until}`)
      .set('Authorization', mockCredentials.user.header())
      // SPEC §5: no SLO document may hold a request for more than a second
      .timeout(1000);

  it.each(Object.keys(documents))(
    'answers the SLO and KPI tabs of %s within a second, with its invalid-slo warning',
    async name => {
      const slos = await get(name, 'slos');
      expect(slos.status).toBe(200);
      expect(slos.body.slos).toEqual([]);
      expect(slos.body.warnings).toEqual([
        expect.objectContaining({ code: 'invalid-slo', message: expect.stringMatching(documents[name].warning) }),
      ]);
      const kpis = await get(name, 'kpis');
      expect(kpis.status).toBe(200);
      expect(kpis.body.kpis.find((k: { id: string }) => k.id === 'slo-compliance').value).toBeNull();
    },
  );

  it('computes a one-minute calendar window counted from the year 1000 at once', async () => {
    const res = await get('millennium', 'slos');
    expect(res.status).toBe(200);
    expect(res.body.warnings).toEqual([]);
    expect(res.body.slos[0].window).toEqual({
      duration: '1m',
      isRolling: false,
      start: '2026-06-30T00:00:00.000Z',
      end: '2026-06-30T00:00:30.000Z',
    });
  });

  it('says a missing file is missing, naming the annotation value and no server path', async () => {
    const res = await get('missing', 'slos');
    expect(res.status).toBe(200);
    expect(res.body.warnings).toEqual([
      {
        code: 'invalid-slo',
        key: 'devops-personas.io/slo-ref',
        value: './missing.yaml',
        message: 'devops-personas.io/slo-ref "./missing.yaml": no file "./missing.yaml" next to the entity\'s catalog file',
      },
    ]);
    expect(JSON.stringify(res.body)).not.toContain(dir);
  });
});
