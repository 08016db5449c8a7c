import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { EntityPersonasResponse } from '@internal/plugin-devops-personas-common';
import path from 'node:path';
import request from 'supertest';
import { devopsPersonasPlugin } from './plugin';
import {
  backendDatabaseConfig,
  testDatabaseIds,
} from './__testUtils__/testDatabases';

jest.setTimeout(120_000);

const examples = path.resolve(
  resolvePackagePath('@internal/plugin-devops-personas-backend'),
  '../../examples',
);

/**
 * The real catalog backend reading the example catalog from disk, on each
 * database, with this plugin answering through it.
 */
describe.each(testDatabaseIds())('the example catalog on %s', databaseId => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        devopsPersonasPlugin,
        mockServices.rootConfig.factory({
          data: {
            backend: {
              database: backendDatabaseConfig(
                databaseId,
                `example_catalog_${Date.now()}_`,
              ),
            },
            catalog: {
              rules: [{ allow: ['Component', 'System', 'Domain', 'User', 'Group', 'Location'] }],
              locations: [
                { type: 'file', target: path.join(examples, 'entities.yaml') },
                { type: 'file', target: path.join(examples, 'org.yaml') },
              ],
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
  });

  /** Asks until the catalog has processed and stitched the entities asked about. */
  async function personas(
    ref: string,
    ready: (body: EntityPersonasResponse) => boolean = () => true,
  ): Promise<EntityPersonasResponse> {
    const [kind, rest] = ref.split(':');
    const [namespace, name] = rest.split('/');
    const deadline = Date.now() + 90_000;
    for (;;) {
      const res = await request(server)
        .get(`/api/devops-personas/v1/entities/${kind}/${namespace}/${name}/personas`)
        .set('Authorization', mockCredentials.user.header());
      if (res.status === 200 && ready(res.body)) return res.body;
      if (Date.now() > deadline) {
        throw new Error(`No ready answer for ${ref}: ${res.status} ${JSON.stringify(res.body)}`);
      }
      await new Promise(r => setTimeout(r, 500));
    }
  }

  const holdersOf = (body: EntityPersonasResponse, id: string) =>
    body.personas.find(p => p.id === id)!;

  it('resolves checkout: explicit, from its System, from its Domain, and a group', async () => {
    const body = await personas(
      'component:default/checkout',
      b =>
        b.inheritanceChain.length === 3 &&
        holdersOf(b, 'platform-engineer').holders[0]?.members.length === 2,
    );
    expect(holdersOf(body, 'tech-lead')).toMatchObject({
      provenance: 'explicit',
      holders: [{ ref: 'user:default/bob', displayName: 'Bob Martin' }],
    });
    expect(holdersOf(body, 'service-owner')).toMatchObject({
      provenance: 'inherited:system:default/payments',
      holders: [{ ref: 'user:default/carol', displayName: 'Carol Diaz' }],
    });
    expect(holdersOf(body, 'product-owner')).toMatchObject({
      provenance: 'inherited:domain:default/commerce',
      holders: [{ ref: 'user:default/alice', displayName: 'Alice Chen' }],
    });
    expect(holdersOf(body, 'platform-engineer').holders[0]).toEqual({
      ref: 'group:default/platform-team',
      displayName: 'Platform Team',
      inCatalog: true,
      members: [
        { ref: 'user:default/grace', displayName: 'Grace Kim' },
        { ref: 'user:default/ivan', displayName: 'Ivan Petrov' },
      ],
    });
    expect(body.warnings).toEqual([]);
  });

  it('shows the gaps of legacy-billing', async () => {
    const body = await personas('component:default/legacy-billing');
    expect(
      body.warnings.filter(w => w.code === 'unassigned-persona').map(w => w.persona),
    ).toEqual(['product-owner', 'platform-engineer', 'service-owner', 'security-owner']);
  });

  it('shows hero mode on search-service', async () => {
    const body = await personas('component:default/search-service', b =>
      b.personas.every(p => p.holders.every(h => h.inCatalog)),
    );
    expect(body.warnings).toContainEqual(
      expect.objectContaining({ code: 'hero-mode', holder: 'user:default/heidi' }),
    );
  });

  it('shows the bad annotations of fraud-detection and an unknown holder on product-catalog', async () => {
    const fraud = await personas('component:default/fraud-detection', b =>
      b.inheritanceChain.length === 3,
    );
    expect(
      fraud.warnings.filter(w => w.code === 'invalid-annotation').map(w => [w.key, w.value]),
    ).toEqual([
      ['devops-personas.io/tech-lead', 'Bob Martin'],
      ['devops-personas.io/qa-lead', 'erin'],
    ]);
    expect(holdersOf(fraud, 'tech-lead').provenance).toBe(
      'inherited:system:default/payments',
    );

    const catalog = await personas('component:default/product-catalog');
    expect(catalog.warnings).toContainEqual(
      expect.objectContaining({ code: 'unknown-holder', holder: 'user:default/zoe' }),
    );
  });
});
