import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import {
  BUILT_IN_PERSONAS,
  EntityKpisResponse,
  EntityPersonasResponse,
  EntitySlosResponse,
  KpiResult,
  ResolvedPersona,
  SloObjectiveResult,
  SloResult,
} from '@devops-personas/plugin-devops-personas-common';
import { EntityDevopsPersonasSummaryCard } from './EntityDevopsPersonasSummaryCard';
import { formatKpiValue } from '../shared/format';
import { never, renderWith } from '../../__testUtils__/render';
import { contrastRatio } from '../../__testUtils__/contrast';

function personas(
  overrides: Partial<Record<string, Partial<ResolvedPersona>>>,
): EntityPersonasResponse {
  return {
    entityRef: 'component:default/checkout',
    inheritanceChain: ['component:default/checkout'],
    personas: BUILT_IN_PERSONAS.map(p => ({
      id: p.id,
      title: p.title,
      annotation: p.annotation,
      core: p.core,
      canvas: p.canvas,
      holders: [],
      provenance: 'unassigned',
      ...overrides[p.id],
    })),
    warnings: [],
  };
}

const user = (name: string, displayName: string) => ({
  ref: `user:default/${name}`,
  displayName,
  members: [],
  inCatalog: true,
});

/** Every core persona held but the Security Owner. */
const withGap = personas({
  'product-owner': { holders: [user('alice', 'Alice Chen')] },
  'tech-lead': { holders: [user('bob', 'Bob Martin')] },
  'platform-engineer': {
    holders: [
      {
        ref: 'group:default/platform',
        displayName: 'Platform Team',
        members: [],
        inCatalog: true,
      },
    ],
  },
  'service-owner': { holders: [user('carol', 'Carol Diaz')] },
  'quality-engineer': { holders: [user('erin', 'Erin Walsh')] },
});

function kpi(extra: Partial<KpiResult> & { id: string }): KpiResult {
  return {
    title: extra.id,
    unit: 'seconds',
    direction: 'lower',
    kind: 'built-in',
    group: 'dora',
    dora: true,
    value: null,
    tier: null,
    tierPeriod: null,
    tierNote: null,
    sampleSize: 0,
    baseline: null,
    baselineWindow: null,
    change: null,
    changeRatio: null,
    assessment: null,
    target: null,
    targetSource: null,
    met: null,
    trend: [],
    owner: { holders: [], provenance: 'unassigned' },
    response: '',
    ...extra,
  };
}

const kpis: EntityKpisResponse = {
  entityRef: 'component:default/checkout',
  window: {
    start: '2026-05-31T00:00:00.000Z',
    end: '2026-06-30T00:00:00.000Z',
  },
  bucket: 'week',
  entities: ['component:default/checkout'],
  rollup: null,
  kpis: [
    kpi({
      id: 'deployment-frequency',
      title: 'Deployment frequency',
      unit: 'per-week',
      direction: 'higher',
      value: 12.5,
      tier: 'elite',
      tierPeriod: {
        start: '2026-04-07T00:00:00.000Z',
        end: '2026-06-30T00:00:00.000Z',
      },
      sampleSize: 54,
    }),
    kpi({
      id: 'lead-time-for-changes',
      title: 'Lead time for changes',
      value: 93600,
      tier: 'high',
      sampleSize: 40,
    }),
    kpi({
      id: 'change-failure-rate',
      title: 'Change failure rate',
      unit: 'fraction',
      value: 0.5,
      tier: null,
      tierNote: 'Too few deployments for a tier (2, at least 5 needed)',
      sampleSize: 2,
    }),
    kpi({
      id: 'time-to-restore',
      title: 'Time to restore',
      value: null,
      tierNote: 'No incidents resolved in the window',
    }),
    kpi({
      id: 'failed-deployment-recovery-time',
      title: 'Failed deployment recovery time',
      value: 5400,
      tierNote: 'Too few resolved incidents for a tier (1, at least 5 needed)',
      sampleSize: 1,
    }),
    kpi({
      id: 'pipeline-success-rate',
      title: 'Pipeline success rate',
      unit: 'fraction',
      group: 'flow',
      dora: false,
      value: 0.9,
      sampleSize: 30,
    }),
  ],
  warnings: [],
};

const objective = (extra: Partial<SloObjectiveResult>): SloObjectiveResult => ({
  displayName: '99.5 % succeed',
  target: 0.995,
  attainment: 0.999,
  errorBudget: 0.005,
  budgetRemaining: 0.8,
  burnRates: {
    '5m': 0.1,
    '30m': 0.1,
    '1h': 0.1,
    '2h': 0.1,
    '6h': 0.1,
    '1d': 0.1,
    '3d': 0.1,
  },
  alert: 'ok',
  burnDown: [],
  met: true,
  ...extra,
});

const slo = (extra: Partial<SloResult> & { name: string }): SloResult => ({
  entityRef: 'component:default/checkout',
  budgetingMethod: 'Occurrences',
  dataSource: { type: 'events' },
  window: {
    duration: '30d',
    isRolling: true,
    start: '2026-05-31T00:00:00.000Z',
    end: '2026-06-30T00:00:00.000Z',
  },
  objectives: [objective({})],
  sampleSize: 100,
  source: 'openslo.yaml',
  ...extra,
});

const slos = (list: SloResult[]): EntitySlosResponse => ({
  entityRef: 'component:default/checkout',
  sloRef: './openslo.yaml',
  entities: ['component:default/checkout'],
  slos: list,
  warnings: [],
});

const burning = slos([
  slo({
    name: 'checkout-latency',
    displayName: 'Checkout latency',
    objectives: [objective({ alert: 'page', budgetRemaining: -0.2 })],
  }),
  slo({
    name: 'checkout-errors',
    displayName: 'Checkout errors',
    objectives: [objective({ budgetRemaining: 0.1 })],
  }),
  slo({ name: 'checkout-availability', displayName: 'Checkout availability' }),
]);

const api = (extra: Record<string, jest.Mock> = {}) => ({
  getPersonas: jest.fn().mockResolvedValue(withGap),
  getKpis: jest.fn().mockResolvedValue(kpis),
  getSlos: jest.fn().mockResolvedValue(burning),
  ...extra,
});

const section = (name: string) => screen.getByRole('region', { name });

describe('EntityDevopsPersonasSummaryCard', () => {
  it('asks for the personas, the KPIs of the last 30 days and the SLOs of the entity', async () => {
    const fake = api();
    await renderWith(<EntityDevopsPersonasSummaryCard />, fake);
    const ref = { kind: 'Component', namespace: 'default', name: 'checkout' };
    expect(fake.getPersonas).toHaveBeenCalledWith(ref);
    expect(fake.getKpis).toHaveBeenCalledWith(ref, { window: '30d' });
    expect(fake.getSlos).toHaveBeenCalledWith(ref);
    expect(
      screen.getByRole('heading', { name: 'DevOps Personas', level: 2 }),
    ).toBeInTheDocument();
    expect(
      screen
        .getAllByRole('heading', { level: 3 })
        .map(heading => heading.textContent),
    ).toEqual(['Core hats', 'DORA, last 30 days', 'SLOs']);
  });

  it('shows who wears the core hats, linked, and each gap with the annotation to set', async () => {
    await renderWith(<EntityDevopsPersonasSummaryCard />, api());
    const hats = within(section('Core hats')).getByRole('list', {
      name: 'Core hats',
    });
    const items = within(hats).getAllByRole('listitem');
    // the five core personas only, in the answer's order
    expect(items.map(i => i.getAttribute('aria-label'))).toEqual([
      'Product Owner: Alice Chen',
      'Tech Lead: Bob Martin',
      'Platform Engineer: Platform Team',
      'Service Owner: Carol Diaz',
      'Security Owner: nobody',
    ]);
    expect(
      within(hats).getByRole('link', { name: 'Alice Chen' }),
    ).toHaveAttribute('href', '/catalog/default/user/alice');
    expect(
      within(hats).getByRole('link', { name: 'Platform Team' }),
    ).toHaveAttribute('href', '/catalog/default/group/platform');
    expect(items[4]).toHaveTextContent(
      'nobody — set devops-personas.io/security-owner',
    );
    expect(
      contrastRatio(
        getComputedStyle(within(items[4]).getByText('nobody')).color,
        '#ffffff',
      ),
    ).toBeGreaterThanOrEqual(4.5);
    // Erin is a Quality Engineer: not a core hat
    expect(screen.queryByText('Erin Walsh')).not.toBeInTheDocument();
  });

  it('shows the DORA values with their tiers, and the note where there is no tier', async () => {
    await renderWith(<EntityDevopsPersonasSummaryCard />, api());
    const dora = within(section('DORA, last 30 days')).getByRole('list', {
      name: 'DORA KPIs',
    });
    expect(
      within(dora)
        .getAllByRole('listitem')
        .map(i => i.getAttribute('aria-label')),
    ).toEqual([
      `Deployment frequency: ${formatKpiValue(12.5, 'per-week')}, elite tier`,
      `Lead time for changes: ${formatKpiValue(93600, 'seconds')}, high tier`,
      `Change failure rate: ${formatKpiValue(
        0.5,
        'fraction',
      )}, Too few deployments for a tier (2, at least 5 needed)`,
      `Time to restore: ${formatKpiValue(
        null,
        'seconds',
      )}, No incidents resolved in the window`,
      `Failed deployment recovery time: ${formatKpiValue(
        5400,
        'seconds',
      )}, Too few resolved incidents for a tier (1, at least 5 needed)`,
    ]);
    const frequency = within(dora).getByLabelText(/^Deployment frequency/);
    expect(frequency).toHaveTextContent(formatKpiValue(12.5, 'per-week'));
    const elite = within(frequency).getByText('elite');
    expect(elite.closest('.MuiChip-root')).toHaveAttribute(
      'title',
      'Tier over 2026-04-07 to 2026-06-30',
    );
    expect(
      within(dora).getByText(
        'Too few deployments for a tier (2, at least 5 needed)',
      ),
    ).toBeInTheDocument();
    expect(
      within(dora).queryByText('Pipeline success rate'),
    ).not.toBeInTheDocument();
    // tier chips: white on a colour dark enough for 4.5:1
    for (const tier of ['elite', 'high']) {
      const chip = within(dora).getByText(tier).closest('.MuiChip-root')!;
      expect(
        contrastRatio((chip as HTMLElement).style.backgroundColor, '#ffffff'),
      ).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('says when there are no delivery events yet', async () => {
    await renderWith(
      <EntityDevopsPersonasSummaryCard />,
      api({
        getKpis: jest.fn().mockResolvedValue({
          ...kpis,
          kpis: kpis.kpis.map(k => ({
            ...k,
            value: null,
            tier: null,
            tierNote: 'No data',
          })),
        }),
      }),
    );
    const dora = section('DORA, last 30 days');
    expect(dora).toHaveTextContent(
      'No deployments, changes or incidents in the last 30 days.',
    );
    expect(
      within(dora).getByRole('link', { name: 'How to send them' }),
    ).toHaveAttribute('href', '/catalog/default/component/checkout/kpis');
  });

  it('lists the SLOs burning their budget, paged or low, and counts the others', async () => {
    await renderWith(<EntityDevopsPersonasSummaryCard />, api());
    const slosSection = section('SLOs');
    expect(slosSection).toHaveTextContent(
      '2 SLOs burning budget · 1 within budget',
    );
    const list = within(slosSection).getByRole('list', {
      name: 'SLOs burning budget',
    });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent('Checkout latency');
    expect(items[0]).toHaveTextContent('budget overspent (-20 %)');
    expect(
      within(items[0]).getByLabelText('Alert state page'),
    ).toHaveTextContent('PAGE');
    expect(items[1]).toHaveTextContent('Checkout errors');
    expect(items[1]).toHaveTextContent('10 % budget left');
    expect(
      within(slosSection).queryByText(/Checkout availability/),
    ).not.toBeInTheDocument();
  });

  it("names the Component of a System's burning SLO", async () => {
    const payments: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name: 'payments', namespace: 'default' },
      spec: { owner: 'commerce-team' },
    };
    await renderWith(
      <EntityDevopsPersonasSummaryCard />,
      api({
        getSlos: jest.fn().mockResolvedValue({
          ...burning,
          entityRef: 'system:default/payments',
          entities: ['component:default/checkout', 'component:default/gateway'],
          slos: [
            slo({
              name: 'gateway-availability',
              displayName: 'Gateway availability',
              entityRef: 'component:default/gateway',
              objectives: [objective({ alert: 'ticket' })],
            }),
          ],
        }),
      }),
      payments,
    );
    const item = within(section('SLOs')).getByRole('listitem');
    expect(item).toHaveTextContent('Gateway availability on');
    expect(within(item).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/default/component/gateway',
    );
    expect(
      within(item).getByLabelText('Alert state ticket'),
    ).toBeInTheDocument();
  });

  it('says when every SLO is within budget, and when there are none', async () => {
    const { unmount } = await renderWith(
      <EntityDevopsPersonasSummaryCard />,
      api({
        getSlos: jest
          .fn()
          .mockResolvedValue(
            slos([slo({ name: 'a' }), slo({ name: 'b' }), slo({ name: 'c' })]),
          ),
      }),
    );
    expect(section('SLOs')).toHaveTextContent('All 3 SLOs within budget');
    unmount();
    await renderWith(
      <EntityDevopsPersonasSummaryCard />,
      api({
        getSlos: jest.fn().mockResolvedValue({ ...slos([]), sloRef: null }),
      }),
    );
    expect(section('SLOs')).toHaveTextContent(
      'No SLOs: add the devops-personas.io/slo-ref annotation pointing to an OpenSLO file.',
    );
  });

  it('shows the error of a failed KPI answer while the personas and SLOs still show, and asks again on retry', async () => {
    const getKpis = jest
      .fn()
      .mockRejectedValueOnce(new Error('KPI engine down'))
      .mockResolvedValueOnce(kpis);
    await renderWith(<EntityDevopsPersonasSummaryCard />, api({ getKpis }));
    const dora = section('DORA, last 30 days');
    expect(
      within(dora).getByText(/Could not load the KPIs of this entity/),
    ).toBeInTheDocument();
    expect(dora).toHaveTextContent('KPI engine down');
    // the other answers are not hidden by it
    expect(
      within(section('Core hats')).getByRole('link', { name: 'Bob Martin' }),
    ).toBeInTheDocument();
    expect(section('SLOs')).toHaveTextContent('2 SLOs burning budget');

    await userEvent.click(
      within(dora).getByRole('button', { name: 'Try again' }),
    );
    expect(getKpis).toHaveBeenCalledTimes(2);
    expect(
      await within(dora).findByRole('list', { name: 'DORA KPIs' }),
    ).toBeInTheDocument();
    expect(dora).not.toHaveTextContent('KPI engine down');
  });

  it('shows each part loading on its own', async () => {
    await renderWith(
      <EntityDevopsPersonasSummaryCard />,
      api({ getPersonas: jest.fn(() => never()) }),
    );
    expect(
      within(section('Core hats')).getByTestId('progress'),
    ).toBeInTheDocument();
    expect(
      within(section('DORA, last 30 days')).queryByTestId('progress'),
    ).not.toBeInTheDocument();
    expect(
      within(section('DORA, last 30 days')).getByRole('list', {
        name: 'DORA KPIs',
      }),
    ).toBeInTheDocument();
  });

  it('links to the Personas, KPIs and SLOs tabs of the entity page', async () => {
    await renderWith(<EntityDevopsPersonasSummaryCard />, api());
    const nav = screen.getByRole('navigation', {
      name: 'DevOps Personas tabs',
    });
    expect(
      within(nav)
        .getAllByRole('link')
        .map(link => [link.textContent, link.getAttribute('href')]),
    ).toEqual([
      ['All personas', '/catalog/default/component/checkout/personas'],
      ['KPIs and trends', '/catalog/default/component/checkout/kpis'],
      ['SLOs and burn rates', '/catalog/default/component/checkout/slos'],
    ]);
  });

  it('links to other tab paths when told', async () => {
    await renderWith(
      <EntityDevopsPersonasSummaryCard tabs={{ slos: '/service-levels' }} />,
      api(),
    );
    expect(
      screen.getByRole('link', { name: 'SLOs and burn rates' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout/service-levels',
    );
    expect(screen.getByRole('link', { name: 'All personas' })).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout/personas',
    );
  });
});
