import { mockCredentials, startTestBackend } from '@backstage/backend-test-utils';
import { EntityPersonasResponse } from '@devops-personas/plugin-devops-personas-common';
import request from 'supertest';
import { startExampleCatalogBackend } from './__testUtils__/exampleCatalogBackend';
import { testDatabaseIds } from './__testUtils__/testDatabases';

jest.setTimeout(120_000);

/**
 * The real catalog backend reading the example catalog from disk, on each
 * database, with this plugin answering through it.
 */
describe.each(testDatabaseIds())('the example catalog on %s', databaseId => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const backend = await startExampleCatalogBackend({ databaseId, prefix: 'example_catalog' });
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

  async function get(apiPath: string) {
    const res = await request(server)
      .get(`/api/devops-personas/v1/${apiPath}`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    return res.body;
  }

  it('resolves the RACI of checkout with the split Go-live accountability', async () => {
    await personas('component:default/checkout', b => b.inheritanceChain.length === 3);
    const raci = await get('entities/component/default/checkout/raci');
    expect(raci.scenarios.map((s: { id: string }) => s.id)).toHaveLength(9);
    const goLive = raci.scenarios.find((s: { id: string }) => s.id === 'go-live-approval');
    expect(goLive.assignments.filter((a: { role: string }) => a.role === 'A')).toEqual([
      expect.objectContaining({ persona: 'product-owner', holders: ['user:default/alice'], qualifier: 'business' }),
      expect.objectContaining({ persona: 'service-owner', holders: ['user:default/carol'], qualifier: 'operational' }),
    ]);
    const incident = raci.scenarios.find((s: { id: string }) => s.id === 'critical-incident');
    expect(incident.assignments).toContainEqual(
      expect.objectContaining({ role: 'I', persona: 'stakeholders', holders: ['group:default/commerce-team'] }),
    );
    expect(raci.holderNames['user:default/bob']).toBe('Bob Martin');
    expect(raci.warnings).toEqual([]);

    const gaps = await get('entities/component/default/legacy-billing/raci');
    expect(gaps.warnings.map((w: { code: string }) => w.code)).toContain('raci-accountability');
  });

  it('answers "what am I accountable for?" with group hats and inheritance', async () => {
    await personas('component:default/checkout', b => b.inheritanceChain.length === 3);
    const carol = await get('holders/user/default/carol');
    expect(carol.groups).toEqual(['group:default/sre-team']);
    expect(carol.hats).toContainEqual(
      expect.objectContaining({
        entityRef: 'component:default/checkout',
        persona: 'service-owner',
        provenance: 'inherited:system:default/payments',
      }),
    );
    expect(carol.hats).toContainEqual(
      expect.objectContaining({
        entityRef: 'component:default/payment-gateway',
        persona: 'service-owner',
        provenance: 'via-group:group:default/sre-team',
        assignment: 'explicit',
      }),
    );
    const heidi = await get('holders/user/default/heidi');
    expect(heidi.warnings).toContainEqual(
      expect.objectContaining({ code: 'hero-mode', entityRef: 'component:default/search-service' }),
    );
    const missing = await request(server)
      .get('/api/devops-personas/v1/holders/user/default/nobody')
      .set('Authorization', mockCredentials.user.header());
    expect(missing.status).toBe(404);
  });

  it('gives an org overview with coverage, gaps and filters', async () => {
    await personas('component:default/checkout', b => b.inheritanceChain.length === 3);
    const all = await get('overview?kind=component&sort=coverage&order=asc&limit=100');
    expect(all.total).toBe(10);
    expect(all.items[0].entityRef).toBe('component:default/legacy-billing');
    const checkout = all.items.find((i: { entityRef: string }) => i.entityRef === 'component:default/checkout');
    expect(checkout.coverage).toEqual({ explicit: 2, inherited: 5, missing: 0, ratio: 1 });
    expect(checkout.system).toBe('system:default/payments');
    expect(all.summary.topHatWearers[0]).toMatchObject({ holder: 'user:default/heidi', hats: 5 });

    const payments = await get('overview?system=payments');
    expect(payments.items.map((i: { entityRef: string }) => i.entityRef)).toEqual([
      'component:default/checkout',
      'component:default/fraud-detection',
      'component:default/payment-gateway',
      'system:default/payments',
    ]);
    const page = await get('overview?kind=component&limit=3&offset=3');
    expect(page).toMatchObject({ total: 10, offset: 3, limit: 3 });
    expect(page.items).toHaveLength(3);
    const bad = await request(server)
      .get('/api/devops-personas/v1/overview?sort=shoe-size')
      .set('Authorization', mockCredentials.user.header());
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/sort/);
  });
});
