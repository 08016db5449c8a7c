import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { NotFoundError } from '@backstage/errors';
import { readPersonasConfig } from './config';
import { parentRefOf, PersonaResolver } from './PersonaResolver';

function user(name: string, displayName?: string, namespace = 'default'): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace },
    spec: { profile: displayName ? { displayName } : {}, memberOf: [] },
  };
}

function group(name: string, members: string[], title?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default', ...(title ? { title } : {}) },
    spec: { type: 'team', children: [] },
    relations: members.map(m => ({ type: 'hasMember', targetRef: m })),
  };
}

function entity(
  kind: string,
  name: string,
  annotations: Record<string, string> = {},
  spec: JsonObject = {},
  namespace = 'default',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace, annotations },
    spec,
  };
}

const people = [
  user('alice', 'Alice Chen'),
  user('bob', 'Bob Martin'),
  user('carol'),
  user('dan', 'Dan Okafor'),
  user('erin', 'Erin Walsh'),
  group('sre', ['user:default/carol', 'user:default/erin'], 'SRE'),
];

function resolverFor(entities: Entity[], config: object = {}) {
  const catalog = catalogServiceMock({ entities: [...people, ...entities] });
  return new PersonaResolver(
    catalog,
    readPersonasConfig(new ConfigReader(config)),
    mockServices.logger.mock(),
  );
}

const credentials = mockCredentials.user();

describe('parentRefOf', () => {
  it('follows a component to its system and a system to its domain, in the entity namespace', () => {
    expect(parentRefOf(entity('Component', 'c', {}, { system: 'pay' }))).toBe(
      'system:default/pay',
    );
    expect(
      parentRefOf(entity('Component', 'c', {}, { system: 'pay' }, 'shop')),
    ).toBe('system:shop/pay');
    expect(
      parentRefOf(entity('Resource', 'db', {}, { system: 'system:other/pay' })),
    ).toBe('system:other/pay');
    expect(parentRefOf(entity('System', 's', {}, { domain: 'Commerce' }))).toBe(
      'domain:default/commerce',
    );
    expect(parentRefOf(entity('Domain', 'd'))).toBeUndefined();
    expect(parentRefOf(entity('Component', 'c'))).toBeUndefined();
  });
});

describe('PersonaResolver', () => {
  const domain = entity('Domain', 'commerce', {
    'devops-personas.io/product-owner': 'alice',
    'devops-personas.io/security-owner': 'dan',
    'devops-personas.io/tech-lead': 'dan',
  });
  const system = entity(
    'System',
    'payments',
    {
      'devops-personas.io/service-owner': 'group:sre',
      'devops-personas.io/tech-lead': 'bob',
    },
    { domain: 'commerce' },
  );

  it('resolves explicit holders and inherits from the System, then the Domain', async () => {
    const component = entity(
      'Component',
      'checkout',
      {
        'devops-personas.io/platform-engineer': 'erin',
        'devops-personas.io/quality-engineer': 'erin',
      },
      { system: 'payments' },
    );
    const answer = await resolverFor([domain, system, component]).getPersonas(
      'component:default/checkout',
      credentials,
    );
    expect(answer.entityRef).toBe('component:default/checkout');
    expect(answer.inheritanceChain).toEqual([
      'component:default/checkout',
      'system:default/payments',
      'domain:default/commerce',
    ]);
    const byId = Object.fromEntries(answer.personas.map(p => [p.id, p]));
    expect(answer.personas.map(p => p.id)).toEqual([
      'product-owner',
      'tech-lead',
      'platform-engineer',
      'service-owner',
      'security-owner',
      'quality-engineer',
      'release-manager',
    ]);
    expect(byId['platform-engineer'].provenance).toBe('explicit');
    // the System's tech lead wins over the Domain's
    expect(byId['tech-lead']).toMatchObject({
      provenance: 'inherited:system:default/payments',
      holders: [{ ref: 'user:default/bob', displayName: 'Bob Martin' }],
    });
    expect(byId['product-owner']).toMatchObject({
      provenance: 'inherited:domain:default/commerce',
      holders: [{ ref: 'user:default/alice', displayName: 'Alice Chen' }],
    });
    expect(byId['release-manager']).toMatchObject({
      provenance: 'unassigned',
      holders: [],
    });
    // a group stays the holder; its members are expanded for display
    expect(byId['service-owner'].holders).toEqual([
      {
        ref: 'group:default/sre',
        displayName: 'SRE',
        inCatalog: true,
        members: [
          { ref: 'user:default/carol', displayName: 'carol' },
          { ref: 'user:default/erin', displayName: 'Erin Walsh' },
        ],
      },
    ]);
    expect(byId['tech-lead'].canvas.kpis).toContain('lead-time-for-changes');
    // every core persona is set; release manager and QA are not core
    expect(answer.warnings).toEqual([]);
  });

  it('warns about unassigned core personas only', async () => {
    const answer = await resolverFor([
      entity('Component', 'lonely', { 'devops-personas.io/tech-lead': 'bob' }),
    ]).getPersonas('component:default/lonely', credentials);
    expect(
      answer.warnings
        .filter(w => w.code === 'unassigned-persona')
        .map(w => w.persona),
    ).toEqual([
      'product-owner',
      'platform-engineer',
      'service-owner',
      'security-owner',
    ]);
    expect(answer.warnings[0].message).toContain(
      'devops-personas.io/product-owner',
    );
  });

  it('reports unknown holders once, and still lists them', async () => {
    const answer = await resolverFor([
      entity('Component', 'c', {
        'devops-personas.io/tech-lead': 'zoe',
        'devops-personas.io/release-manager': 'zoe, alice',
      }),
    ]).getPersonas('component:default/c', credentials);
    const unknown = answer.warnings.filter(w => w.code === 'unknown-holder');
    expect(unknown).toEqual([
      expect.objectContaining({ holder: 'user:default/zoe', persona: 'tech-lead' }),
    ]);
    const releaseManager = answer.personas.find(p => p.id === 'release-manager')!;
    expect(releaseManager.holders.map(h => [h.ref, h.inCatalog])).toEqual([
      ['user:default/zoe', false],
      ['user:default/alice', true],
    ]);
  });

  it('flags hero mode at 4 of 7 personas, not at 3', async () => {
    const hats = (n: number) =>
      Object.fromEntries(
        ['product-owner', 'tech-lead', 'service-owner', 'release-manager']
          .slice(0, n)
          .map(p => [`devops-personas.io/${p}`, 'bob']),
      );
    const resolver = resolverFor([
      entity('Component', 'three', hats(3)),
      entity('Component', 'four', {
        ...hats(4),
        'devops-personas.io/quality-engineer': 'group:sre',
      }),
    ]);
    const three = await resolver.getPersonas('component:default/three', credentials);
    expect(three.warnings.filter(w => w.code === 'hero-mode')).toEqual([]);
    const four = await resolver.getPersonas('component:default/four', credentials);
    expect(four.warnings.filter(w => w.code === 'hero-mode')).toEqual([
      expect.objectContaining({
        holder: 'user:default/bob',
        personas: ['product-owner', 'tech-lead', 'service-owner', 'release-manager'],
      }),
    ]);
  });

  it('counts inherited hats towards hero mode and honours the configured threshold', async () => {
    const resolver = resolverFor(
      [
        entity('System', 's', {
          'devops-personas.io/product-owner': 'alice',
          'devops-personas.io/tech-lead': 'alice',
        }),
        entity('Component', 'c', { 'devops-personas.io/service-owner': 'alice' }, { system: 's' }),
      ],
      { devopsPersonas: { heroMode: { personasPerEntity: 3 } } },
    );
    const answer = await resolver.getPersonas('component:default/c', credentials);
    expect(answer.warnings.filter(w => w.code === 'hero-mode')).toEqual([
      expect.objectContaining({ holder: 'user:default/alice' }),
    ]);
  });

  it('returns bad annotations as warnings and falls back to inheritance', async () => {
    const answer = await resolverFor([
      system,
      domain,
      entity(
        'Component',
        'fraud',
        {
          'devops-personas.io/tech-lead': 'Bob Martin',
          'devops-personas.io/qa-lead': 'erin',
        },
        { system: 'payments' },
      ),
    ]).getPersonas('component:default/fraud', credentials);
    expect(answer.personas.find(p => p.id === 'tech-lead')).toMatchObject({
      provenance: 'inherited:system:default/payments',
    });
    expect(answer.warnings.filter(w => w.code === 'invalid-annotation')).toEqual([
      expect.objectContaining({ key: 'devops-personas.io/tech-lead', value: 'Bob Martin' }),
      expect.objectContaining({ key: 'devops-personas.io/qa-lead', value: 'erin' }),
    ]);
  });

  it('names the inherited entity on warnings about its annotations', async () => {
    const answer = await resolverFor([
      entity('System', 's', { 'devops-personas.io/tech-lead': 'not a ref' }),
      entity('Component', 'c', {}, { system: 's' }),
    ]).getPersonas('component:default/c', credentials);
    expect(answer.warnings).toContainEqual(
      expect.objectContaining({
        code: 'invalid-annotation',
        entityRef: 'system:default/s',
        value: 'not a ref',
      }),
    );
  });

  it('uses config default holders with provenance config-default', async () => {
    const answer = await resolverFor([entity('Component', 'c')], {
      devopsPersonas: { defaultHolders: { 'security-owner': 'dan' } },
    }).getPersonas('component:default/c', credentials);
    expect(answer.personas.find(p => p.id === 'security-owner')).toMatchObject({
      provenance: 'config-default',
      holders: [{ ref: 'user:default/dan' }],
    });
  });

  it('stops the chain at a parent that is not in the catalog', async () => {
    const answer = await resolverFor([
      entity('Component', 'orphan', {}, { system: 'gone' }),
    ]).getPersonas('component:default/orphan', credentials);
    expect(answer.inheritanceChain).toEqual(['component:default/orphan']);
  });

  it('throws NotFoundError for an unknown entity', async () => {
    await expect(
      resolverFor([]).getPersonas('component:default/nope', credentials),
    ).rejects.toThrow(NotFoundError);
  });

  it('reads the catalog with the caller credentials', async () => {
    const catalog = catalogServiceMock({
      entities: [...people, entity('Component', 'c', { 'devops-personas.io/tech-lead': 'bob' })],
    });
    const getEntityByRef = jest.spyOn(catalog, 'getEntityByRef');
    const getEntitiesByRefs = jest.spyOn(catalog, 'getEntitiesByRefs');
    const caller = mockCredentials.user('user:default/someone');
    await new PersonaResolver(
      catalog,
      readPersonasConfig(new ConfigReader({})),
      mockServices.logger.mock(),
    ).getPersonas('component:default/c', caller);
    expect(getEntityByRef).toHaveBeenCalledWith('component:default/c', {
      credentials: caller,
    });
    expect(getEntitiesByRefs).toHaveBeenCalledWith(expect.anything(), {
      credentials: caller,
    });
  });
});

describe('readPersonasConfig', () => {
  it('names the key of a bad value', () => {
    expect(() =>
      readPersonasConfig(
        new ConfigReader({ devopsPersonas: { defaultHolders: { 'chief-hat': 'bob' } } }),
      ),
    ).toThrow(/devopsPersonas\.defaultHolders\.chief-hat/);
    expect(() =>
      readPersonasConfig(
        new ConfigReader({ devopsPersonas: { defaultHolders: { 'tech-lead': 'Bob M' } } }),
      ),
    ).toThrow(/devopsPersonas\.defaultHolders\.tech-lead/);
    expect(() =>
      readPersonasConfig(
        new ConfigReader({ devopsPersonas: { heroMode: { personasPerEntity: 1 } } }),
      ),
    ).toThrow(/devopsPersonas\.heroMode\.personasPerEntity/);
  });
});

describe('configured personas and RACI scenarios', () => {
  const config = {
    devopsPersonas: {
      personas: {
        'tech-lead': { title: 'Engineering Lead', canvas: { mission: 'Own the code.', antiGoals: ['Heroics'] } },
        'finops-owner': { title: 'FinOps Owner', annotation: 'devops-personas.io/finops', core: true, canvas: { mission: 'Spend wisely.' } },
      },
      raci: {
        scenarios: [{ id: 'cost-review', title: 'Monthly cost review', R: ['finops-owner'], A: ['product-owner'], C: ['platform-engineer'], I: ['stakeholders'] }],
      },
    },
  };

  it('changes the canvas of a built-in persona and adds a custom one with its own annotation', async () => {
    const answer = await resolverFor(
      [entity('Component', 'c', { 'devops-personas.io/finops': 'alice', 'devops-personas.io/finops-owner': 'bob' })],
      config,
    ).getPersonas('component:default/c', credentials);
    const techLead = answer.personas.find(p => p.id === 'tech-lead')!;
    expect(techLead.title).toBe('Engineering Lead');
    expect(techLead.canvas.mission).toBe('Own the code.');
    expect(techLead.canvas.antiGoals).toEqual(['Heroics']);
    // untouched fields keep their defaults
    expect(techLead.canvas.kpis).toContain('lead-time-for-changes');
    expect(answer.personas.find(p => p.id === 'finops-owner')).toMatchObject({
      title: 'FinOps Owner',
      holders: [{ ref: 'user:default/alice' }],
      provenance: 'explicit',
    });
    // the default key of a persona with its own annotation is not a persona key
    expect(answer.warnings).toContainEqual(expect.objectContaining({ code: 'invalid-annotation', key: 'devops-personas.io/finops-owner' }));
  });

  it('adds RACI scenarios, and replaces the defaults when asked', () => {
    const extended = readPersonasConfig(new ConfigReader(config));
    expect(extended.raciScenarios.map(s => s.id)).toHaveLength(10);
    expect(extended.raciScenarios[9]).toMatchObject({ id: 'cost-review', R: ['finops-owner'] });
    const replaced = readPersonasConfig(
      new ConfigReader({ devopsPersonas: { ...config.devopsPersonas, raci: { ...config.devopsPersonas.raci, replaceDefaults: true } } }),
    );
    expect(replaced.raciScenarios.map(s => s.id)).toEqual(['cost-review']);
  });

  it.each([
    [{ personas: { 'Bad Id': {} } }, /devopsPersonas\.personas\.Bad Id/],
    [{ personas: { x: { annotation: 'example.com/x' } } }, /devopsPersonas\.personas\.x\.annotation/],
    [{ personas: { x: { annotation: 'devops-personas.io/tech-lead' } } }, /devopsPersonas\.personas\.(x|tech-lead)\.annotation/],
    [{ raci: { scenarios: [{ id: 's', A: ['chief'] }] } }, /devopsPersonas\.raci\.scenarios\[0\]\.A: "chief" is not a persona/],
    [{ raci: { scenarios: [{ id: 's', R: ['tech-lead'] }] } }, /devopsPersonas\.raci\.scenarios\[0\]\.A/],
    [{ kpis: { happiness: { target: '> 1' } } }, /devopsPersonas\.kpis\.happiness/],
    [{ kpis: { 'lead-time-for-changes': { target: 'fast' } } }, /devopsPersonas\.kpis\.lead-time-for-changes\.target/],
    [{ kpis: { 'lead-time-for-changes': { owner: 'ceo' } } }, /devopsPersonas\.kpis\.lead-time-for-changes\.owner/],
    [{ measurementKpis: [{ id: 'deployment-frequency', unit: 'x' }] }, /devopsPersonas\.measurementKpis\[0\]\.id/],
    [{ vulnerabilitySla: 'a week' }, /devopsPersonas\.vulnerabilitySla/],
  ])('fails on %j naming the key', (section, message) => {
    expect(() => readPersonasConfig(new ConfigReader({ devopsPersonas: section }))).toThrow(message);
  });
});
