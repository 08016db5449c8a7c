import { coreServices, createServiceFactory } from '@backstage/backend-plugin-api';
import { actionsRegistryServiceFactory, actionsServiceFactory } from '@backstage/backend-defaults/alpha';
import { mockCredentials, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import {
  EntityKpisResponse,
  OverviewItem,
  PersonaHolder,
  RaciAssignment,
  ResolvedPersona,
} from '@devops-personas/plugin-devops-personas-common';
import request from 'supertest';
import { startExampleCatalogBackend } from '../__testUtils__/exampleCatalogBackend';
import { testDatabaseIds } from '../__testUtils__/testDatabases';

jest.setTimeout(180_000);

const MALLORY = 'user:default/mallory';

/** A permission policy that lets everyone read except Mallory. */
const malloryMayNotRead = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: () => ({
    async authorize(requests: any[], options: any) {
      const user = options?.credentials?.principal?.userEntityRef;
      return requests.map(r => ({
        result: r.permission.name === 'devops-personas.read' && user === MALLORY ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
      })) as any;
    },
    async authorizeConditional(requests: any[]) {
      return requests.map(() => ({ result: AuthorizeResult.ALLOW })) as any;
    },
  }),
});

const UNTIL = '2026-06-30T00:00:00Z';

/**
 * The actions of SPEC §10 over the example catalog, invoked through the
 * actions registry's own HTTP route and listed through the MCP actions
 * backend, on each database.
 */
describe.each(testDatabaseIds())('the actions on %s', databaseId => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const backend = await startExampleCatalogBackend({
      databaseId,
      prefix: 'actions',
      features: [actionsRegistryServiceFactory, actionsServiceFactory, mcpActionsPlugin, malloryMayNotRead],
      config: { backend: { actions: { pluginSources: ['devops-personas'] } } },
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
  });

  const invoke = (name: string, input: unknown, header = mockCredentials.user.header()) =>
    request(server)
      .post(`/api/devops-personas/.backstage/actions/v1/actions/devops-personas:${name}/invoke`)
      .set('Authorization', header)
      .send(input as object);

  const output = async (name: string, input: unknown) => {
    const res = await invoke(name, input);
    if (res.status !== 200) throw new Error(`${name}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.output;
  };

  const get = async (path: string) => {
    const res = await request(server)
      .get(`/api/devops-personas/v1/${path}`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    return res.body;
  };

  const refs = (holders: PersonaHolder[]) => holders.map(h => h.ref);

  describe('who-is-accountable', () => {
    it('answers the A of a scenario as the RACI tab gives it', async () => {
      const incident = await output('who-is-accountable', {
        entityRef: 'component:default/checkout',
        scenario: 'critical-incident',
      });
      const raci = await get('entities/component/default/checkout/raci');
      const row = raci.scenarios
        .find((s: { id: string }) => s.id === 'critical-incident')
        .assignments.find((a: { role: string }) => a.role === 'A');
      expect(incident).toMatchObject({
        entityRef: 'component:default/checkout',
        role: 'A',
        subject: { type: 'scenario', id: 'critical-incident', title: 'Critical incident affecting users' },
        provenance: row.provenance,
      });
      expect(refs(incident.holders)).toEqual(row.holders);
      expect(incident.holders).toEqual([
        { ref: 'user:default/bob', displayName: 'Bob Martin', members: [], inCatalog: true },
      ]);
      expect(incident.provenance).toBe('explicit');
      expect(incident.summary).toBe(
        'Accountable for "Critical incident affecting users" on component:default/checkout: Bob Martin (Tech Lead, set on the entity).',
      );
    });

    it('answers both accountable rows of a split scenario, each with its provenance', async () => {
      const goLive = await output('who-is-accountable', {
        entityRef: 'component:default/checkout',
        scenario: 'go-live-approval',
      });
      expect(goLive.accountable).toEqual([
        expect.objectContaining({ persona: 'product-owner', qualifier: 'business', holders: ['user:default/alice'], provenance: 'inherited:domain:default/commerce' }),
        expect.objectContaining({ persona: 'service-owner', qualifier: 'operational', holders: ['user:default/carol'], provenance: 'inherited:system:default/payments' }),
      ]);
      expect(refs(goLive.holders)).toEqual(['user:default/alice', 'user:default/carol']);
    });

    it.each([
      ['explicit', 'component:default/checkout', 'change-failure-rate', ['user:default/bob'], 'explicit'],
      ['inherited', 'component:default/checkout', 'alert-noise', ['group:default/sre-team'], 'inherited:system:default/payments'],
      ['via its persona', 'component:default/checkout', 'time-to-restore', ['user:default/carol'], 'via-persona:service-owner'],
      ['ownerless', 'component:default/legacy-billing', 'critical-vulnerability-fix-time', [], 'unassigned'],
    ])('answers a KPI owner %s, as the KPIs tab gives it', async (_label, entityRef, kpi, holders, provenance) => {
      const answer = await output('who-is-accountable', { entityRef, kpi });
      expect(answer.role).toBe('owner');
      expect(refs(answer.holders)).toEqual(holders);
      expect(answer.provenance).toBe(provenance);
      const [kind, rest] = entityRef.split(':');
      const kpis: EntityKpisResponse = await get(`entities/${kind}/${rest}/kpis?until=${UNTIL}`);
      expect(kpis.kpis.find(k => k.id === kpi)!.owner).toEqual({ holders, provenance });
    });

    it('answers a group owner with its members', async () => {
      const answer = await output('who-is-accountable', { entityRef: 'component:default/checkout', kpi: 'alert-noise' });
      expect(answer.holders[0].members.map((m: { ref: string }) => m.ref)).toEqual(['user:default/carol', 'user:default/ken']);
      expect(answer.summary).toMatch(/^SRE Team owns Alert noise on component:default\/checkout \(inherited from system:default\/payments\)\.$/);
      const ownerless = await output('who-is-accountable', {
        entityRef: 'component:default/legacy-billing',
        kpi: 'critical-vulnerability-fix-time',
      });
      expect(ownerless.summary).toMatch(/has no owner: set devops-personas\.io\/kpi-owner\.critical-vulnerability-fix-time or the Security Owner/);
    });

    it("answers a persona's holders with group members, as the Personas tab gives them", async () => {
      const answer = await output('who-is-accountable', {
        entityRef: 'component:default/payment-gateway',
        persona: 'service-owner',
      });
      const personas = await get('entities/component/default/payment-gateway/personas');
      const persona = personas.personas.find((p: { id: string }) => p.id === 'service-owner');
      expect(answer).toMatchObject({ role: 'holder', provenance: 'explicit', holders: persona.holders });
      expect(answer.holders).toEqual([
        expect.objectContaining({
          ref: 'group:default/sre-team',
          members: [
            { ref: 'user:default/carol', displayName: expect.any(String) },
            { ref: 'user:default/ken', displayName: expect.any(String) },
          ],
        }),
      ]);
      const nobody = await output('who-is-accountable', { entityRef: 'component:default/legacy-billing', persona: 'security-owner' });
      expect(nobody).toMatchObject({ holders: [], provenance: 'unassigned' });
      expect(nobody.summary).toContain('devops-personas.io/security-owner');
    });
  });

  it('answers every scenario, KPI and persona of every entity as the RACI, KPIs and Personas tabs do', async () => {
    const catalog = await request(server)
      .get('/api/catalog/entities?filter=kind=component&filter=kind=system&filter=kind=domain&fields=kind,metadata.name')
      .set('Authorization', mockCredentials.user.header());
    const entityRefs: string[] = catalog.body.map(
      (e: { kind: string; metadata: { name: string } }) => `${e.kind}:default/${e.metadata.name}`.toLowerCase(),
    );
    expect(entityRefs).toHaveLength(16);
    // What each action answer says, next to what the tabs' routes say.
    const actual: object[] = [];
    const expected: object[] = [];
    for (const entityRef of entityRefs) {
      const path = entityRef.replace(':', '/');
      const [raci, personas, kpis] = await Promise.all([
        get(`entities/${path}/raci`),
        get(`entities/${path}/personas`),
        get(`entities/${path}/kpis?until=${UNTIL}`) as Promise<EntityKpisResponse>,
      ]);
      for (const scenario of raci.scenarios as Array<{ id: string; assignments: RaciAssignment[] }>) {
        const rows = scenario.assignments.filter(a => a.role === 'A');
        const holders = [...new Set(rows.flatMap(r => r.holders))];
        expected.push({
          entityRef,
          role: 'A',
          holders,
          names: holders.map(ref => raci.holderNames[ref]),
          provenance: rows[0]?.provenance ?? 'unassigned',
          accountable: rows.map(r => r.persona),
        });
        const answer = await output('who-is-accountable', { entityRef, scenario: scenario.id });
        actual.push({
          entityRef: answer.entityRef,
          role: answer.role,
          holders: refs(answer.holders),
          names: answer.holders.map((h: PersonaHolder) => h.displayName),
          provenance: answer.provenance,
          accountable: answer.accountable.map((a: { persona: string }) => a.persona),
        });
      }
      for (const persona of personas.personas as ResolvedPersona[]) {
        expected.push({ entityRef, role: 'holder', holders: persona.holders, provenance: persona.provenance });
        const answer = await output('who-is-accountable', { entityRef, persona: persona.id });
        actual.push({ entityRef: answer.entityRef, role: answer.role, holders: answer.holders, provenance: answer.provenance });
      }
      for (const kpi of kpis.kpis) {
        expected.push({ entityRef, role: 'owner', ...kpi.owner });
        const answer = await output('who-is-accountable', { entityRef, kpi: kpi.id });
        actual.push({ entityRef: answer.entityRef, role: answer.role, holders: refs(answer.holders), provenance: answer.provenance });
      }
    }
    // 16 entities × (9 scenarios + 7 personas + 15 KPIs)
    expect(expected).toHaveLength(16 * 31);
    expect(actual).toEqual(expected);
  });

  it('gives the same personas, SLOs and hats as the read API', async () => {
    expect(await output('get-personas', { entityRef: 'component:default/checkout' })).toEqual(
      await get('entities/component/default/checkout/personas'),
    );
    expect(await output('get-slos', { entityRef: 'component:default/checkout', until: UNTIL })).toEqual(
      await get(`entities/component/default/checkout/slos?until=${UNTIL}`),
    );
    expect(await output('get-slos', { entityRef: 'system:default/payments', until: UNTIL })).toEqual(
      await get(`entities/system/default/payments/slos?until=${UNTIL}`),
    );
    const carol = await output('get-hats', { holderRef: 'carol' });
    expect(carol).toEqual(await get('holders/user/default/carol'));
    expect(carol.hats).toContainEqual(
      expect.objectContaining({
        entityRef: 'component:default/payment-gateway',
        persona: 'service-owner',
        provenance: 'via-group:group:default/sre-team',
      }),
    );
    const sre = await output('get-hats', { holderRef: 'group:default/sre-team' });
    expect(sre.kpis).toContainEqual({ entityRef: 'system:default/payments', kpi: 'alert-noise', provenance: 'explicit' });
  });

  it('gives the KPIs with value, unit, tier, target, met and owner as the read API computes them', async () => {
    const answer = await output('get-kpis', { entityRef: 'component:default/checkout', window: '90d', until: UNTIL });
    const full: EntityKpisResponse = await get(`entities/component/default/checkout/kpis?window=90d&until=${UNTIL}`);
    expect(answer.window).toEqual(full.window);
    expect(answer.kpis.map((k: { id: string }) => k.id)).toEqual(full.kpis.map(k => k.id));
    for (const kpi of full.kpis) {
      expect(answer.kpis.find((k: { id: string }) => k.id === kpi.id)).toEqual({
        id: kpi.id,
        title: kpi.title,
        value: kpi.value,
        unit: kpi.unit,
        tier: kpi.tier,
        tierNote: kpi.tierNote,
        sampleSize: kpi.sampleSize,
        baseline: kpi.baseline,
        target: kpi.target,
        met: kpi.met,
        assessment: kpi.assessment,
        owner: kpi.owner,
        response: kpi.response,
      });
    }
    expect(answer.warnings).toEqual(full.warnings);
    expect(answer).toMatchObject({ entities: ['component:default/checkout'], rollup: null });

    // A Group's rollup over the entities where it holds a persona, as the Hats card links it.
    const sre = await output('get-kpis', { entityRef: 'group:default/sre-team', rollup: 'personas', until: UNTIL });
    const sreFull: EntityKpisResponse = await get(`entities/group/default/sre-team/kpis?rollup=personas&until=${UNTIL}`);
    expect(sre).toMatchObject({ rollup: 'personas', entities: sreFull.entities });
    expect(sre.entities).toContain('component:default/payment-gateway');
    expect(sre.kpis.map((k: { value: number | null }) => k.value)).toEqual(sreFull.kpis.map(k => k.value));
    expect(await output('get-slos', { entityRef: 'group:default/sre-team', rollup: 'personas', until: UNTIL })).toEqual(
      await get(`entities/group/default/sre-team/slos?rollup=personas&until=${UNTIL}`),
    );
  });

  it('finds the gaps worst first, as the overview counts them', async () => {
    const answer = await output('find-gaps', {});
    const overview = await get('overview?limit=500');
    const gaps = (i: OverviewItem) =>
      i.missingCorePersonas.length + (i.rollup ? i.rollup.withOwnerlessKpis : i.ownerlessKpis.length);
    const warnings = (i: OverviewItem) => Object.values(i.warningCounts).reduce((a, b) => a + b, 0);
    const expected = (overview.items as OverviewItem[])
      .filter(i => gaps(i) > 0 || warnings(i) > 0)
      .sort((a, b) => gaps(b) - gaps(a) || warnings(b) - warnings(a) || (a.entityRef < b.entityRef ? -1 : 1));
    expect(expected.length).toBeGreaterThan(3);
    expect(answer.total).toBe(expected.length);
    expect(answer.items.map((i: OverviewItem) => i.entityRef)).toEqual(expected.slice(0, 20).map(i => i.entityRef));
    const billing = answer.items.find((i: OverviewItem) => i.entityRef === 'component:default/legacy-billing');
    expect(billing.gaps[0]).toMatch(/^No Product Owner, Platform Engineer, Service Owner, Security Owner assigned$/);
    expect(billing.gaps[1]).toMatch(/^\d+ KPIs have no owner: /);

    const components = await output('find-gaps', { kind: 'component', system: 'payments', limit: 2 });
    const inPayments = expected.filter(i => i.kind === 'component' && i.system === 'system:default/payments');
    expect(components.total).toBe(inPayments.length);
    expect(components.items.map((i: OverviewItem) => i.entityRef)).toEqual(inPayments.slice(0, 2).map(i => i.entityRef));
    const heidi = await output('find-gaps', { owner: 'storefront' });
    expect(heidi.items.find((i: OverviewItem) => i.entityRef === 'component:default/search-service').gaps).toContain(
      'Hero mode: 1 person wears too many hats',
    );
  });

  describe('bad input', () => {
    it.each([
      ['a missing entityRef', 'get-personas', {}, /entityRef/],
      ['an entityRef without a kind', 'get-personas', { entityRef: 'checkout' }, /entityRef must be an entity ref such as component:default\/checkout; got "checkout"/],
      ['an unknown field', 'get-slos', { entityRef: 'component:default/checkout', window: '30d' }, /Unrecognized key.*window/],
      ['two subjects', 'who-is-accountable', { entityRef: 'component:default/checkout', scenario: 'postmortem', kpi: 'alert-noise' }, /scenario, kpi and persona are mutually exclusive; got scenario and kpi/],
      ['no subject', 'who-is-accountable', { entityRef: 'component:default/checkout' }, /Give one of scenario, kpi or persona/],
      ['an unknown scenario', 'who-is-accountable', { entityRef: 'component:default/checkout', scenario: 'outage' }, /scenario "outage" is not a known scenario; known scenarios are release-scope, .*critical-incident/],
      ['an unknown KPI', 'who-is-accountable', { entityRef: 'component:default/checkout', kpi: 'mttr' }, /kpi "mttr" is not a known KPI; known KPIs are deployment-frequency, /],
      ['an unknown persona', 'who-is-accountable', { entityRef: 'component:default/checkout', persona: 'sre' }, /persona "sre" is not a known persona; known personas are product-owner, .*service-owner/],
      ['a bad window', 'get-kpis', { entityRef: 'component:default/checkout', window: 'forever' }, /window must be a positive duration/],
      ['a bad until', 'get-kpis', { entityRef: 'component:default/checkout', until: 'yesterday' }, /until must be an ISO 8601 timestamp/],
      ['a limit of 0', 'find-gaps', { limit: 0 }, /limit/],
      ['an unknown rollup', 'get-kpis', { entityRef: 'group:default/sre-team', rollup: 'everything' }, /rollup/],
      ['a holder that is no user or group', 'get-hats', { holderRef: 'component:default/checkout' }, /Holders are users or groups/],
    ])('answers 400 naming the field for %s', async (_label, name, input, message) => {
      const res = await invoke(name, input);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toMatch(message);
    });

    it('answers 404 for an unknown entity', async () => {
      const res = await invoke('who-is-accountable', { entityRef: 'component:default/nothing', scenario: 'critical-incident' });
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ name: 'NotFoundError', message: 'No entity component:default/nothing in the catalog' });
      expect((await invoke('get-hats', { holderRef: 'nobody' })).status).toBe(404);
    });
  });

  it('refuses anonymous callers and users without the read permission, not services', async () => {
    // The test backend treats a request without a token as a user; this is the anonymous one.
    const anonymous = await invoke('get-personas', { entityRef: 'component:default/checkout' }, mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
    const mallory = await invoke('get-personas', { entityRef: 'component:default/checkout' }, mockCredentials.user.header(MALLORY));
    expect(mallory.status).toBe(403);
    expect(mallory.body.error.message).toMatch(/devops-personas\.read/);
    const service = await invoke('find-gaps', { limit: 1 }, mockCredentials.service.header());
    expect(service.status).toBe(200);
    expect(service.body.output.items).toHaveLength(1);
  });

  it('lists the six actions, read-only and idempotent, with examples', async () => {
    const res = await request(server)
      .get('/api/devops-personas/.backstage/actions/v1/actions')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    const ours = res.body.actions.filter((a: { id: string }) => a.id.startsWith('devops-personas:'));
    expect(ours.map((a: { id: string }) => a.id).sort()).toEqual([
      'devops-personas:find-gaps',
      'devops-personas:get-hats',
      'devops-personas:get-kpis',
      'devops-personas:get-personas',
      'devops-personas:get-slos',
      'devops-personas:who-is-accountable',
    ]);
    for (const action of ours) {
      expect(action.attributes).toEqual({ readOnly: true, idempotent: true, destructive: false });
      expect(action.examples.length).toBeGreaterThan(0);
      expect(action.schema.input.additionalProperties).toBe(false);
    }
  });

  describe('through the MCP actions backend', () => {
    /** One JSON-RPC request to the MCP server; the answer may come as one server-sent event. */
    async function mcp(method: string, params: object) {
      const res = await request(server)
        .post('/api/mcp-actions/v1')
        .set('Authorization', mockCredentials.user.header())
        .set('Accept', 'application/json, text/event-stream')
        .send({ jsonrpc: '2.0', id: 1, method, params });
      expect(res.status).toBe(200);
      const data = /^data: (.*)$/m.exec(res.text);
      return JSON.parse(data ? data[1] : res.text).result;
    }

    it('lists the actions as tools', async () => {
      const { tools } = await mcp('tools/list', {});
      const ours = tools.filter((t: { name: string }) => t.name.startsWith('devops-personas.'));
      expect(ours.map((t: { name: string }) => t.name).sort()).toEqual([
        'devops-personas.find-gaps',
        'devops-personas.get-hats',
        'devops-personas.get-kpis',
        'devops-personas.get-personas',
        'devops-personas.get-slos',
        'devops-personas.who-is-accountable',
      ]);
      const who = ours.find((t: { name: string }) => t.name === 'devops-personas.who-is-accountable');
      expect(who.annotations).toMatchObject({ readOnlyHint: true, idempotentHint: true, destructiveHint: false });
      expect(who.inputSchema.required).toEqual(['entityRef']);
      expect(Object.keys(who.inputSchema.properties)).toEqual(['entityRef', 'scenario', 'kpi', 'persona']);
    });

    it('answers a tool call as the action does', async () => {
      const input = { entityRef: 'component:default/checkout', scenario: 'critical-incident' };
      const result = await mcp('tools/call', { name: 'devops-personas.who-is-accountable', arguments: input });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toEqual(await output('who-is-accountable', input));
      const bad = await mcp('tools/call', {
        name: 'devops-personas.who-is-accountable',
        arguments: { entityRef: 'component:default/checkout', scenario: 'outage' },
      });
      expect(bad.isError).toBe(true);
      expect(bad.content[0].text).toMatch(/InputError: scenario "outage" is not a known scenario/);
    });
  });
});
