import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { AlphaEntity } from '@backstage/catalog-model/alpha';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { catalogModuleDevopsPersonas } from './module';

jest.setTimeout(120_000);

const POSTGRES = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
// DEVOPS_PERSONAS_TEST_STRICT (set by npm test): a missing PostgreSQL is an
// error, not an SQLite-only run; a host repository without it tests SQLite.
const STRICT = process.env.DEVOPS_PERSONAS_TEST_STRICT?.trim().toLowerCase();
if (STRICT && STRICT !== '0' && STRICT !== 'false' && !POSTGRES) {
  throw new Error('BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is not set: run the tests with "npm test"');
}
const databases: Array<[string, Record<string, string>]> = [
  ['SQLite', { client: 'better-sqlite3', connection: ':memory:' }],
];
if (POSTGRES) {
  databases.push(['PostgreSQL', { client: 'pg', connection: POSTGRES, prefix: `validation_${Date.now()}_` }]);
}

const catalogFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dp-module-')), 'catalog.yaml');
fs.writeFileSync(
  catalogFile,
  `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: broken
  annotations:
    devops-personas.io/tech-lead: Bob Martin
    devops-personas.io/qa-lead: erin
    devops-personas.io/kpi-target.lead-time-for-changes: fast
spec: { type: service, lifecycle: production, owner: team }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: fine
  annotations:
    devops-personas.io/tech-lead: bob
spec: { type: service, lifecycle: production, owner: team }
`,
);

describe.each(databases)('annotation validation in the catalog on %s', (_name, database) => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleDevopsPersonas,
        mockServices.rootConfig.factory({
          data: {
            backend: { database },
            catalog: { rules: [{ allow: ['Component', 'Location'] }], locations: [{ type: 'file', target: catalogFile }] },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });
  afterAll(() => stop?.());

  async function entity(name: string): Promise<AlphaEntity> {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const res = await request(server)
        .get(`/api/catalog/entities/by-name/component/default/${name}`)
        .set('Authorization', mockCredentials.user.header());
      if (res.status === 200) return res.body;
      if (Date.now() > deadline) throw new Error(`${name} never appeared in the catalog`);
      await new Promise(r => setTimeout(r, 500));
    }
  }

  it('ingests an entity with bad annotations and shows each one as a processing error', async () => {
    const broken = await entity('broken');
    const errors = (broken.status?.items ?? []).filter(
      i => i.type === 'backstage.io/catalog-processing' && i.level === 'error',
    );
    expect(errors.map(e => e.error?.message)).toEqual([
      expect.stringMatching(/devops-personas\.io\/tech-lead: "Bob Martin" is invalid.*Name users or groups/),
      expect.stringMatching(/devops-personas\.io\/qa-lead: "erin" is invalid.*Known keys are/),
      expect.stringMatching(/kpi-target\.lead-time-for-changes: "fast" is invalid.*"< 1d"/),
    ]);
  });

  it('leaves a well-annotated entity alone', async () => {
    const fine = await entity('fine');
    expect(fine.status?.items ?? []).toEqual([]);
  });
});
