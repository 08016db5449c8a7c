import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { configApiRef } from '@backstage/core-plugin-api';
import { ConfigReader } from '@backstage/config';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  BUILT_IN_KPIS,
  EntityKpisResponse,
  KpiResult,
} from '@internal/plugin-devops-personas-common';
import { DevopsPersonasApi, devopsPersonasApiRef } from '../../api';
import { checkout, never } from '../../__testUtils__/render';
import { EntityKpisContent } from './EntityKpisContent';

function kpi(
  id: string,
  title: string,
  unit: string,
  value: number | null,
  extra: Partial<KpiResult> = {},
): KpiResult {
  const definition = BUILT_IN_KPIS.find(d => d.id === id);
  return {
    id,
    title,
    unit,
    direction: 'lower',
    kind: definition ? 'built-in' : 'measurement',
    group: definition?.group ?? 'measurements',
    dora: definition?.dora ?? false,
    value,
    tier: null,
    sampleSize: value === null ? 0 : 10,
    baseline: null,
    baselineWindow: null,
    change: null,
    changeRatio: null,
    target: null,
    targetSource: null,
    met: null,
    trend: [
      {
        start: '2026-06-01T00:00:00.000Z',
        end: '2026-06-08T00:00:00.000Z',
        value,
      },
    ],
    owner: {
      holders: ['user:default/bob'],
      provenance: 'via-persona:tech-lead',
    },
    response: 'Look at where changes wait.',
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
  kpis: [
    kpi('deployment-frequency', 'Deployment frequency', 'per-week', 3.2, {
      direction: 'higher',
      tier: 'elite',
    }),
    kpi('lead-time-for-changes', 'Lead time for changes', 'seconds', 68400, {
      tier: 'elite',
      baseline: 86400,
      change: -18000,
      changeRatio: -18000 / 86400,
      target: { op: '<', value: 86400 },
      met: true,
    }),
    kpi('change-failure-rate', 'Change failure rate', 'fraction', 0.08, {
      tier: 'high',
      target: { op: '<=', value: 0.05 },
      met: false,
    }),
    kpi('time-to-restore', 'Time to restore', 'seconds', null),
    kpi('alert-noise', 'Alert noise', 'fraction', 0.25, {
      owner: { holders: [], provenance: 'unassigned' },
    }),
    kpi('test-coverage', 'Test coverage', 'percent', 78),
  ],
  warnings: [
    {
      code: 'guardrail',
      message:
        'Deployment frequency rose 50 % while change-failure-rate got worse.',
      kpi: 'deployment-frequency',
    },
  ],
};

async function render(api: Partial<DevopsPersonasApi>) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [devopsPersonasApiRef, api],
        [
          configApiRef,
          new ConfigReader({
            backend: { baseUrl: 'http://backstage.example' },
          }),
        ],
      ]}
    >
      <EntityProvider entity={checkout}>
        <EntityKpisContent />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('EntityKpisContent', () => {
  it('shows the DORA KPIs in human units with tier, baseline, target, owner and response', async () => {
    const getKpis = jest.fn().mockResolvedValue(kpis);
    await render({ getKpis });
    expect(getKpis).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'checkout' }),
      { window: '30d', bucket: 'week' },
    );
    expect(
      screen.getByRole('button', { name: /Deployment frequency: 3.2 \/ week/ }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: /Lead time for changes: 19 h/ }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: /Change failure rate: 8 %/ }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: /Time to restore: no data/ }),
    ).toBeInTheDocument();
    expect(screen.getAllByText('elite')).toHaveLength(2);
    expect(
      screen.getByText(/baseline 24 h, −5 h \(−21 %\), better/),
    ).toBeInTheDocument();
    expect(screen.getByText('Target < 24 h')).toBeInTheDocument();
    expect(screen.getAllByText('· met')).toHaveLength(1);
    expect(screen.getAllByText('· not met')).toHaveLength(1);
    expect(
      screen.getByText('Guardrail: fast but breaking'),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/If it deteriorates: Look at where changes wait/)
        .length,
    ).toBeGreaterThan(0);
    // ownerless KPI
    expect(screen.getByText('nobody')).toBeInTheDocument();
    // groups
    expect(
      screen.getByRole('heading', { name: 'Stability' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Measurements' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: /Test coverage: 78 %/ }),
    ).toBeInTheDocument();
  });

  it('shows one section per group of the answer, in the order and with the titles of KPI_GROUPS', async () => {
    const grouped: EntityKpisResponse = {
      ...kpis,
      kpis: [
        // answer order differs from display order on purpose
        kpi('cost-per-request', 'Cost per request', 'eur', 0.02, {
          group: 'cost',
        }),
        kpi('test-coverage', 'Test coverage', 'percent', 78),
        kpi('alert-noise', 'Alert noise', 'fraction', 0.25),
        // config moved this measurement KPI into Risk
        kpi('secret-rotation', 'Secret rotation compliance', 'percent', 90, {
          group: 'risk',
        }),
        kpi('lead-time-for-changes', 'Lead time for changes', 'seconds', 3600),
        kpi('time-to-restore', 'Time to restore', 'seconds', 600),
      ],
    };
    await render({ getKpis: jest.fn().mockResolvedValue(grouped) });
    expect(
      screen.getAllByRole('heading', { level: 2 }).map(h => h.textContent),
    ).toEqual(['DORA metrics', 'Stability', 'Risk', 'Measurements', 'cost']);
    // no section without KPIs
    expect(
      screen.queryByRole('heading', { name: 'Flow' }),
    ).not.toBeInTheDocument();
    const cardsIn = (section: string) =>
      within(screen.getByRole('region', { name: section }))
        .getAllByRole('button', { name: /show the events behind it/ })
        .map(b => b.getAttribute('aria-label')!.split(':')[0]);
    expect(cardsIn('DORA metrics')).toEqual([
      'Lead time for changes',
      'Time to restore',
    ]);
    expect(cardsIn('Stability')).toEqual(['Alert noise']);
    expect(cardsIn('Risk')).toEqual(['Secret rotation compliance']);
    expect(cardsIn('Measurements')).toEqual(['Test coverage']);
    expect(cardsIn('cost')).toEqual(['Cost per request']);
  });

  it('places KPIs of an answer without groups by their built-in definition', async () => {
    const { group: _drop, ...rollbacks } = kpi(
      'rollback-rate',
      'Rollback rate',
      'fraction',
      0.1,
    );
    await render({
      getKpis: jest.fn().mockResolvedValue({
        ...kpis,
        kpis: [
          rollbacks,
          kpi('time-to-restore', 'Time to restore', 'seconds', 60),
        ],
      }),
    });
    expect(
      within(screen.getByRole('region', { name: 'Stability' })).getByRole(
        'button',
        { name: /Rollback rate: 10 %/ },
      ),
    ).toBeInTheDocument();
  });

  it('asks again for another window', async () => {
    const getKpis = jest.fn().mockResolvedValue(kpis);
    await render({ getKpis });
    await userEvent.click(screen.getByRole('button', { name: '90 days' }));
    expect(getKpis).toHaveBeenLastCalledWith(expect.anything(), {
      window: '90d',
      bucket: 'month',
    });
  });

  it('explains a value with the events behind it', async () => {
    const getKpiEvents = jest.fn().mockResolvedValue({
      entityRef: 'component:default/checkout',
      kpi: 'change-failure-rate',
      window: kpis.window,
      value: 0.08,
      sampleSize: 2,
      formula: 'failed deployments ÷ deployments',
      events: [
        {
          role: 'failed-deployment',
          event: {
            type: 'deployment',
            id: 'deploy-7',
            source: 'argo',
            entityRef: 'component:default/checkout',
            status: 'rolled_back',
          },
        },
        {
          role: 'deployment',
          event: {
            type: 'deployment',
            id: 'deploy-8',
            source: 'argo',
            entityRef: 'component:default/checkout',
            status: 'success',
          },
        },
      ],
    });
    await render({ getKpis: jest.fn().mockResolvedValue(kpis), getKpiEvents });
    await userEvent.click(
      screen.getByRole('button', { name: /Change failure rate: 8 %/ }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(getKpiEvents).toHaveBeenCalledWith(
      expect.anything(),
      'change-failure-rate',
      { window: '30d' },
    );
    expect(
      await within(dialog).findByText(/failed deployments ÷ deployments/),
    ).toBeInTheDocument();
    const items = within(dialog).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent(
      'failed-deployment deployment deploy-7 (argo): status rolled_back',
    );
  });

  it('shows how to send events when there are none', async () => {
    const empty = {
      ...kpis,
      warnings: [],
      kpis: kpis.kpis.map(k => ({ ...k, value: null, sampleSize: 0 })),
    };
    await render({ getKpis: jest.fn().mockResolvedValue(empty) });
    expect(screen.getByText('No delivery events yet')).toBeInTheDocument();
    expect(document.body).toHaveTextContent(
      'curl -X POST http://backstage.example/api/devops-personas/v1/events',
    );
    expect(document.body).toHaveTextContent(
      '"entityRef":"component:default/checkout"',
    );
  });

  it('shows loading and errors', async () => {
    const { unmount } = await render({ getKpis: () => never() });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    unmount();
    await render({
      getKpis: jest
        .fn()
        .mockRejectedValue(new Error('window must be a positive duration')),
    });
    expect(
      screen.getAllByText(/window must be a positive duration/).length,
    ).toBeGreaterThan(0);
  });
});
