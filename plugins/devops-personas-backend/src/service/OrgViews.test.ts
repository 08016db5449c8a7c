import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { OverviewItem, OverviewResponse } from '@devops-personas/plugin-devops-personas-common';
import request from 'supertest';
import { devopsPersonasPlugin } from '../plugin';
import { testDatabaseIds } from '../__testUtils__/testDatabases';
import { parseOverviewQuery } from './OrgViews';

jest.setTimeout(60_000);

const ALL_PERSONAS = {
  'devops-personas.io/product-owner': 'alice',
  'devops-personas.io/tech-lead': 'bob',
  'devops-personas.io/platform-engineer': 'carol',
  'devops-personas.io/service-owner': 'dan',
  'devops-personas.io/security-owner': 'erin',
};

const user = (name: string, displayName: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { profile: { displayName } },
});

const entity = (
  kind: string,
  name: string,
  spec: NonNullable<Entity['spec']>,
  metadata: Partial<Entity['metadata']> = {},
  relations: Entity['relations'] = [],
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default', ...metadata },
  spec,
  relations,
});

/**
 * A small org. Ownerless KPIs per Component (14 KPIs in all):
 * checkout 0 (every persona set), payment-gateway 14 (nothing set),
 * fraud-detection 2 (no quality engineer, no release manager),
 * storefront-web 14, orphan 12 (a product owner and one explicit KPI owner).
 */
const entities: Entity[] = [
  user('alice', 'Alice Chen'),
  user('bob', 'Bob Stone'),
  user('carol', 'Carol Diaz'),
  user('dan', 'Dan Ito'),
  user('erin', 'Erin Ek'),
  entity('Group', 'commerce-team', { type: 'team', profile: { displayName: 'Commerce Team' } }, {
    // annotated, so it is a row of its own (a rollup of its owned Components)
    annotations: { 'devops-personas.io/product-owner': 'bob' },
  }),
  entity('Group', 'storefront-team', { type: 'team', profile: { displayName: 'Storefront Team' } }),
  entity('Group', 'risk-team', { type: 'team' }, { title: 'Risk & Fraud' }),
  entity('Domain', 'commerce', { owner: 'commerce-team' }),
  entity('System', 'payments', { owner: 'commerce-team', domain: 'commerce' }),
  entity('System', 'storefront', { owner: 'storefront-team', domain: 'commerce' }),
  entity('Component', 'checkout', { type: 'service', owner: 'commerce-team', system: 'payments' }, {
    title: 'Checkout',
    annotations: {
      ...ALL_PERSONAS,
      // three holders the catalog does not know: 3 warnings, no gaps
      'devops-personas.io/tech-lead': 'bob, ghost-1',
      'devops-personas.io/quality-engineer': 'ghost-2',
      'devops-personas.io/release-manager': 'ghost-3',
    },
  }),
  entity('Component', 'payment-gateway', { type: 'service', owner: 'group:default/commerce-team', system: 'payments' }, {
    title: 'Payment Gateway',
  }),
  entity('Component', 'fraud-detection', { type: 'service', owner: 'risk-team', system: 'payments' }, {
    title: 'Fraud Detection',
    annotations: ALL_PERSONAS,
  }),
  entity('Component', 'storefront-web', { type: 'website', owner: 'storefront-team', system: 'storefront' }, {
    title: 'Storefront Web',
  }),
  // No spec.system: it belongs to the storefront by its relation only.
  entity(
    'Component',
    'orphan',
    { type: 'service', owner: 'user:default/alice' },
    {
      title: 'A Legacy Job',
      annotations: {
        'devops-personas.io/product-owner': 'alice',
        'devops-personas.io/kpi-owner.rollback-rate': 'alice',
      },
    },
    [{ type: 'partOf', targetRef: 'system:default/storefront' }],
  ),
];

/**
 * The relations the catalog would stitch from spec fields, both ways
 * (`partOf`/`hasPart`, `ownedBy`/`ownerOf`), added to the given ones.
 */
function stitched(list: Entity[]): Entity[] {
  const refOf = (e: Entity) => `${e.kind.toLowerCase()}:default/${e.metadata.name}`;
  const extra = new Map<string, Array<{ type: string; targetRef: string }>>();
  const relate = (from: string, type: string, to: string, inverse: string) => {
    extra.set(from, [...(extra.get(from) ?? []), { type, targetRef: to }]);
    extra.set(to, [...(extra.get(to) ?? []), { type: inverse, targetRef: from }]);
  };
  const full = (raw: unknown, kind: string) => {
    if (typeof raw !== 'string') return undefined;
    return raw.includes(':') ? raw : `${kind}:default/${raw}`;
  };
  for (const e of list) {
    const ref = refOf(e);
    const system = e.kind === 'Component' ? full(e.spec?.system, 'system') : undefined;
    const domain = e.kind === 'System' ? full(e.spec?.domain, 'domain') : undefined;
    const owner = full(e.spec?.owner, 'group');
    if (system) relate(ref, 'partOf', system, 'hasPart');
    if (domain) relate(ref, 'partOf', domain, 'hasPart');
    if (owner) relate(ref, 'ownedBy', owner, 'ownerOf');
    for (const r of e.relations ?? []) {
      if (r.type === 'partOf') extra.set(r.targetRef, [...(extra.get(r.targetRef) ?? []), { type: 'hasPart', targetRef: ref }]);
    }
  }
  return list.map(e => ({ ...e, relations: [...(e.relations ?? []), ...(extra.get(refOf(e)) ?? [])] }));
}

const BASE = '/api/devops-personas/v1/overview';

describe('parseOverviewQuery', () => {
  it('gives defaults and takes every sort', () => {
    expect(parseOverviewQuery({})).toEqual({
      kind: undefined,
      owner: undefined,
      system: undefined,
      within: undefined,
      gap: undefined,
      sort: 'entity',
      order: 'asc',
      offset: 0,
      limit: 50,
    });
    for (const sort of ['entity', 'title', 'kind', 'owner', 'coverage']) {
      expect(parseOverviewQuery({ sort }).order).toBe('asc');
    }
    for (const sort of ['gaps', 'warnings']) {
      expect(parseOverviewQuery({ sort }).order).toBe('desc');
    }
    expect(parseOverviewQuery({ owner: '  Commerce Team ', within: 'System:Default/Payments' })).toMatchObject({
      owner: 'commerce team',
      within: 'system:default/payments',
    });
  });
});

describe.each(testDatabaseIds())('GET /overview on %s', databaseId => {
  const databases = TestDatabases.create({ ids: [databaseId] });
  let server: Parameters<typeof request>[0];

  beforeAll(async () => {
    const knex = await databases.init(databaseId);
    ({ server } = await startTestBackend({
      features: [
        devopsPersonasPlugin,
        catalogServiceMock.factory({ entities: stitched(entities) }),
        mockServices.database.factory({ knex }),
      ],
    }));
  });

  async function overview(query: string): Promise<OverviewResponse> {
    const res = await request(server)
      .get(`${BASE}?${query}`)
      .set('Authorization', mockCredentials.user.header());
    if (res.status !== 200) throw new Error(`${query}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
  const refs = (body: OverviewResponse) => body.items.map(i => i.entityRef.replace(/^component:default\//, ''));
  const row = (body: OverviewResponse, ref: string): OverviewItem => {
    const found = body.items.find(i => i.entityRef === ref);
    if (!found) throw new Error(`no row ${ref} in ${refs(body).join(', ')}`);
    return found;
  };

  it('names each owner by its display name', async () => {
    const body = await overview('limit=100');
    expect(row(body, 'component:default/checkout')).toMatchObject({
      owner: 'group:default/commerce-team',
      ownerTitle: 'Commerce Team',
    });
    expect(row(body, 'component:default/fraud-detection').ownerTitle).toBe('Risk & Fraud');
    expect(row(body, 'component:default/orphan').ownerTitle).toBe('Alice Chen');
    expect(row(body, 'group:default/commerce-team')).toMatchObject({ owner: null, ownerTitle: null });
  });

  it('filters by owner: full ref, name, display name or part of one, any case', async () => {
    const commerce = [
      'component:default/checkout',
      'component:default/payment-gateway',
      'domain:default/commerce',
      'system:default/payments',
    ];
    for (const owner of [
      'Commerce Team',
      'commerce',
      'COMMERCE-TEAM',
      'group:default/commerce-team',
      'group:commerce-team',
      'merce te',
    ]) {
      const body = await overview(`owner=${encodeURIComponent(owner)}`);
      expect(body.items.map(i => i.entityRef)).toEqual(commerce);
      expect(body.total).toBe(4);
    }
    // metadata.title of a group, and a user's profile display name
    expect(refs(await overview('owner=fraud'))).toEqual(['fraud-detection']);
    expect(refs(await overview('owner=alice%20chen'))).toEqual(['orphan']);
    expect((await overview('owner=nobody-at-all')).total).toBe(0);
  });

  it('keeps only the Components a System, Domain or Group rolls up (within)', async () => {
    expect(refs(await overview('within=system:default/payments'))).toEqual([
      'checkout',
      'fraud-detection',
      'payment-gateway',
    ]);
    // orphan belongs to the storefront by its partOf relation only
    expect(refs(await overview('within=system:default/storefront'))).toEqual(['orphan', 'storefront-web']);
    expect(refs(await overview('within=domain:default/commerce'))).toEqual([
      'checkout',
      'fraud-detection',
      'orphan',
      'payment-gateway',
      'storefront-web',
    ]);
    expect(refs(await overview('within=group:default/commerce-team'))).toEqual(['checkout', 'payment-gateway']);
    expect(refs(await overview('within=Group:Default/Storefront-Team'))).toEqual(['storefront-web']);
  });

  it('keeps only entities with a gap', async () => {
    const ownerless = await overview('gap=ownerless-kpis');
    // rollups carry no ownerless KPIs of their own
    expect(refs(ownerless)).toEqual(['fraud-detection', 'orphan', 'payment-gateway', 'storefront-web']);
    expect(ownerless.summary.ownerlessKpis).toBe(2 + 13 + 15 + 15);

    const missing = await overview('gap=missing-personas');
    expect(refs(missing)).toEqual([
      'orphan',
      'payment-gateway',
      'storefront-web',
      'domain:default/commerce',
      'group:default/commerce-team',
      'system:default/payments',
      'system:default/storefront',
    ]);
    expect(missing.items.every(i => i.missingCorePersonas.length > 0)).toBe(true);

    // what the KPI tab of a System links to
    expect(refs(await overview('within=system:default/payments&gap=ownerless-kpis'))).toEqual([
      'fraud-detection',
      'payment-gateway',
    ]);
  });

  it('counts ownerless KPIs once, on the Components, and rolls them up', async () => {
    const body = await overview('limit=100');
    expect(body.total).toBe(9);
    expect(body.summary.ownerlessKpis).toBe(45);
    expect(row(body, 'component:default/payment-gateway').ownerlessKpis).toHaveLength(15);
    expect(row(body, 'component:default/fraud-detection').ownerlessKpis.sort()).toEqual([
      'flaky-test-rate',
      'rollback-rate',
    ]);
    expect(row(body, 'component:default/orphan').ownerlessKpis).toHaveLength(13);
    expect(row(body, 'component:default/checkout').ownerlessKpis).toEqual([]);
    for (const item of body.items.filter(i => i.kind === 'component')) {
      expect(item.rollup).toBeNull();
    }
    const rollups = Object.fromEntries(
      body.items.filter(i => i.kind !== 'component').map(i => [i.entityRef, i.rollup]),
    );
    expect(rollups).toEqual({
      'system:default/payments': { components: 3, withOwnerlessKpis: 2 },
      'system:default/storefront': { components: 2, withOwnerlessKpis: 2 },
      'domain:default/commerce': { components: 5, withOwnerlessKpis: 4 },
      'group:default/commerce-team': { components: 2, withOwnerlessKpis: 1 },
    });
    for (const item of body.items.filter(i => i.kind !== 'component')) {
      expect(item.ownerlessKpis).toEqual([]);
      expect(item.warningCounts['ownerless-kpi']).toBeUndefined();
    }
    expect((await overview('kind=system,domain,group')).summary.ownerlessKpis).toBe(0);
    expect((await overview('kind=component&limit=1')).summary.ownerlessKpis).toBe(45);
  });

  describe('sorts', () => {
    const components: Array<[string, string[]]> = [
      ['sort=entity', ['checkout', 'fraud-detection', 'orphan', 'payment-gateway', 'storefront-web']],
      ['sort=entity&order=desc', ['storefront-web', 'payment-gateway', 'orphan', 'fraud-detection', 'checkout']],
      ['sort=title', ['orphan', 'checkout', 'fraud-detection', 'payment-gateway', 'storefront-web']],
      ['sort=title&order=desc', ['storefront-web', 'payment-gateway', 'fraud-detection', 'checkout', 'orphan']],
      // all Components: ties, broken by entity ref in either order
      ['sort=kind', ['checkout', 'fraud-detection', 'orphan', 'payment-gateway', 'storefront-web']],
      ['sort=kind&order=desc', ['checkout', 'fraud-detection', 'orphan', 'payment-gateway', 'storefront-web']],
      // Alice Chen, Commerce Team (×2), Risk & Fraud, Storefront Team
      ['sort=owner', ['orphan', 'checkout', 'payment-gateway', 'fraud-detection', 'storefront-web']],
      ['sort=owner&order=desc', ['storefront-web', 'fraud-detection', 'checkout', 'payment-gateway', 'orphan']],
      // 0, 0, 1/7, 5/7, 1
      ['sort=coverage', ['payment-gateway', 'storefront-web', 'orphan', 'fraud-detection', 'checkout']],
      ['sort=coverage&order=desc', ['checkout', 'fraud-detection', 'orphan', 'payment-gateway', 'storefront-web']],
      // gaps: 19, 19, 16, 2, 0 (desc by default)
      ['sort=gaps', ['payment-gateway', 'storefront-web', 'orphan', 'fraud-detection', 'checkout']],
      ['sort=gaps&order=asc', ['checkout', 'fraud-detection', 'orphan', 'payment-gateway', 'storefront-web']],
      // warnings: 19, 19, 16, 3 (unknown holders of checkout), 2
      ['sort=warnings', ['payment-gateway', 'storefront-web', 'orphan', 'checkout', 'fraud-detection']],
      ['sort=warnings&order=asc', ['fraud-detection', 'checkout', 'orphan', 'payment-gateway', 'storefront-web']],
    ];
    it.each(components)('%s', async (query, expected) => {
      expect(refs(await overview(`kind=component&${query}`))).toEqual(expected);
    });

    it('sorts kinds, puts entities without an owner last, and pages in sort order', async () => {
      expect(refs(await overview('sort=kind&order=desc'))).toEqual([
        'system:default/payments',
        'system:default/storefront',
        'group:default/commerce-team',
        'domain:default/commerce',
        'checkout',
        'fraud-detection',
        'orphan',
        'payment-gateway',
        'storefront-web',
      ]);
      for (const order of ['asc', 'desc']) {
        const body = await overview(`sort=owner&order=${order}`);
        expect(body.items[body.items.length - 1].entityRef).toBe('group:default/commerce-team');
      }
      const page = await overview('kind=component&sort=gaps&limit=2&offset=2');
      expect(page).toMatchObject({ total: 5, offset: 2, limit: 2 });
      expect(refs(page)).toEqual(['orphan', 'fraud-detection']);
    });

    it('counts a rollup\u2019s gaps as its missing core personas and Components with ownerless KPIs', async () => {
      // payments: 5 missing + 2 Components; storefront: 5 missing + 2 Components
      // commerce domain: 5 + 4; commerce-team: 4 missing (it has a product owner) + 1
      const body = await overview('kind=system,domain,group&sort=gaps');
      expect(refs(body)).toEqual([
        'domain:default/commerce',
        'system:default/payments',
        'system:default/storefront',
        'group:default/commerce-team',
      ]);
    });
  });

  it.each([
    ['sort=shoe-size', 'sort'],
    ['sort=toString', 'sort'],
    ['order=sideways', 'order'],
    ['gap=everything', 'gap'],
    ['gap[]=ownerless-kpis', 'gap'],
    ['within=component:default/checkout', 'within'],
    ['within=payments', 'within'],
    ['within=system:default/nowhere', 'within'],
    ['within=%00', 'within'],
    ['limit=1e2', 'limit'],
  ])('answers 400 naming the parameter for %s', async (query, parameter) => {
    const res = await request(server)
      .get(`${BASE}?${query}`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toMatch(new RegExp(`^${parameter}\\b`));
  });
});
