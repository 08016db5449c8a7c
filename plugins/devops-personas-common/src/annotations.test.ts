import {
  parseAnnotations,
  parseHolderList,
  parseHolderRef,
  AnnotationVocabulary,
  BUILT_IN_VOCABULARY,
} from './annotations';

describe('parseHolderRef', () => {
  it.each([
    ['alice', 'user:default/alice'],
    ['  Alice ', 'user:default/alice'],
    ['user:bob', 'user:default/bob'],
    ['group:platform-team', 'group:default/platform-team'],
    ['Group:Ops/SRE', 'group:ops/sre'],
    ['user:default/first.last', 'user:default/first.last'],
    ['user:my-ns/j_doe', 'user:my-ns/j_doe'],
  ])('reads %p as %p', (raw, ref) => {
    expect(parseHolderRef(raw)).toEqual({ ref });
  });

  it.each([
    ['', /empty/],
    ['Bob Martin', /not a valid entity ref/],
    ['alice@example.com', /not a valid entity ref/],
    ['component:checkout', /holders are users or groups/],
    ['user:bad_ns/alice', /invalid namespace/],
    ['user:', /not a valid entity ref/],
    ['-alice', /not a valid entity ref/],
    [`${'a'.repeat(64)}`, /not a valid entity ref/],
  ])('rejects %p', (raw, reason) => {
    const result = parseHolderRef(raw);
    expect('error' in result && result.error).toMatch(reason);
  });
});

describe('parseHolderList', () => {
  it('keeps the valid refs of a list, without duplicates, and reports the bad ones', () => {
    expect(parseHolderList('alice, group:sre,, alice, not valid!')).toEqual({
      refs: ['user:default/alice', 'group:default/sre'],
      errors: [expect.stringContaining('"not valid!"')],
    });
  });

  it('reports a value with no holder at all', () => {
    expect(parseHolderList(' , ')).toEqual({
      refs: [],
      errors: ['no holder given'],
    });
  });
});

describe('parseAnnotations', () => {
  it('reads personas, KPI owners, KPI targets and the SLO ref', () => {
    const parsed = parseAnnotations({
      'devops-personas.io/tech-lead': 'bob',
      'devops-personas.io/service-owner': 'group:sre-team, carol',
      'devops-personas.io/kpi-owner.change-failure-rate': 'user:dan',
      'devops-personas.io/kpi-target.lead-time-for-changes': '< 1d',
      'devops-personas.io/kpi-target.slo-compliance': '>= 99.5%',
      'devops-personas.io/kpi-target.change-failure-rate': '<= 0.1',
      'devops-personas.io/kpi-target.deployment-frequency': '>= 1/day',
      'devops-personas.io/slo-ref': './openslo.yaml',
      'backstage.io/techdocs-ref': 'dir:.',
    });
    expect(parsed).toEqual({
      personas: {
        'tech-lead': ['user:default/bob'],
        'service-owner': ['group:default/sre-team', 'user:default/carol'],
      },
      kpiOwners: { 'change-failure-rate': ['user:default/dan'] },
      kpiTargets: {
        'lead-time-for-changes': { op: '<', value: 86400 },
        'slo-compliance': { op: '>=', value: 0.995 },
        'change-failure-rate': { op: '<=', value: 0.1 },
        'deployment-frequency': { op: '>=', value: 7 },
      },
      sloRef: './openslo.yaml',
      warnings: [],
    });
  });

  it('turns every bad annotation into a warning naming key and value, and never throws', () => {
    const bad = {
      'devops-personas.io/qa-lead': 'erin',
      'devops-personas.io/kpi-owner.happiness': 'alice',
      'devops-personas.io/kpi-target.lead-time-for-changes': 'fast',
      'devops-personas.io/kpi-target.change-failure-rate': '<= 150%',
      'devops-personas.io/kpi-target.time-to-restore': '< 5 parsecs',
      'devops-personas.io/tech-lead': 'Bob Martin',
      'devops-personas.io/slo-ref': '   ',
    };
    const parsed = parseAnnotations(bad);
    expect(parsed.personas).toEqual({});
    expect(parsed.kpiTargets).toEqual({});
    expect(parsed.kpiOwners).toEqual({});
    expect(parsed.sloRef).toBeUndefined();
    expect(parsed.warnings).toHaveLength(Object.keys(bad).length);
    for (const [key, value] of Object.entries(bad)) {
      const warning = parsed.warnings.find(w => w.key === key);
      expect(warning).toMatchObject({ code: 'invalid-annotation', key, value });
      expect(warning!.message).toContain(key);
    }
    expect(
      parsed.warnings.find(w => w.key === 'devops-personas.io/kpi-owner.happiness')!
        .message,
    ).toMatch(/"happiness" is not a known KPI id/);
  });

  it('keeps the valid holders of a partly bad list and warns about the rest', () => {
    const parsed = parseAnnotations({
      'devops-personas.io/product-owner': 'alice, component:checkout',
    });
    expect(parsed.personas['product-owner']).toEqual(['user:default/alice']);
    expect(parsed.warnings).toEqual([
      expect.objectContaining({
        code: 'invalid-annotation',
        key: 'devops-personas.io/product-owner',
        value: 'alice, component:checkout',
      }),
    ]);
  });

  it('accepts custom personas and KPIs from the vocabulary', () => {
    const vocabulary: AnnotationVocabulary = {
      personaAnnotations: new Map([
        ...BUILT_IN_VOCABULARY.personaAnnotations,
        ['devops-personas.io/finops-owner', 'finops-owner'],
      ]),
      kpiUnits: new Map([...BUILT_IN_VOCABULARY.kpiUnits, ['test-coverage', 'percent']]),
    };
    const parsed = parseAnnotations(
      {
        'devops-personas.io/finops-owner': 'frank',
        'devops-personas.io/kpi-owner.test-coverage': 'erin',
        'devops-personas.io/kpi-target.test-coverage': '>= 80%',
      },
      vocabulary,
    );
    expect(parsed.personas).toEqual({ 'finops-owner': ['user:default/frank'] });
    expect(parsed.kpiOwners).toEqual({ 'test-coverage': ['user:default/erin'] });
    expect(parsed.kpiTargets).toEqual({ 'test-coverage': { op: '>=', value: 80 } });
    expect(parsed.warnings).toEqual([]);
  });

  it('handles missing annotations', () => {
    expect(parseAnnotations(undefined).warnings).toEqual([]);
  });
});
