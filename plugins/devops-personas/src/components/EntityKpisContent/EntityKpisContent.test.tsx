import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { configApiRef } from '@backstage/core-plugin-api';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  BUILT_IN_KPIS,
  EntityKpisResponse,
  KpiResult,
  SourcesResponse,
  SourceStatus,
} from '@devops-personas/plugin-devops-personas-common';
import { useLocation } from 'react-router-dom';
import { DevopsPersonasApi, devopsPersonasApiRef } from '../../api';
import { reviewRouteRef, rootRouteRef } from '../../plugin';
import { checkout, never } from '../../__testUtils__/render';
import { EntityKpisContent } from './EntityKpisContent';

// jsdom lays nothing out, so a ResponsiveContainer measures 0 × 0 and draws
// nothing: give the trend charts a size so that their SVG is rendered.
jest.mock('recharts', () => {
  const actual = jest.requireActual('recharts');
  const { cloneElement } = jest.requireActual('react');
  return {
    ...actual,
    ResponsiveContainer: (props: { children: any }) =>
      cloneElement(props.children, { width: 300, height: 110 }),
  };
});

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
    tierPeriod: null,
    tierNote: null,
    sampleSize: value === null ? 0 : 10,
    baseline: null,
    baselineWindow: null,
    change: null,
    changeRatio: null,
    assessment: null,
    target: null,
    targetSource: null,
    met: null,
    trend: [
      {
        start: '2026-06-01T00:00:00.000Z',
        end: '2026-06-08T00:00:00.000Z',
        value,
        partial: false,
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

const WINDOW = {
  start: '2026-05-31T00:00:00.000Z',
  end: '2026-06-30T00:00:00.000Z',
};
const BASELINE_WINDOW = {
  start: '2026-05-01T00:00:00.000Z',
  end: '2026-05-31T00:00:00.000Z',
};

const kpis: EntityKpisResponse = {
  entityRef: 'component:default/checkout',
  window: WINDOW,
  bucket: 'week',
  entities: ['component:default/checkout'],
  rollup: null,
  kpis: [
    kpi('deployment-frequency', 'Deployment frequency', 'per-week', 3.2, {
      direction: 'higher',
      tier: 'elite',
      // 12 weeks before the window's end
      tierPeriod: { start: '2026-04-07T00:00:00.000Z', end: WINDOW.end },
      previous: { value: 2.1, ...BASELINE_WINDOW },
    }),
    kpi('lead-time-for-changes', 'Lead time for changes', 'seconds', 68400, {
      tier: 'elite',
      tierPeriod: WINDOW,
      baseline: 86400,
      baselineWindow: BASELINE_WINDOW,
      change: -18000,
      changeRatio: -18000 / 86400,
      assessment: 'better',
      target: { op: '<', value: 86400 },
      met: true,
      sampleSize: 1,
    }),
    kpi('change-failure-rate', 'Change failure rate', 'fraction', 0.08, {
      tier: 'high',
      tierPeriod: WINDOW,
      target: { op: '<=', value: 0.05 },
      met: false,
      sampleSize: 2,
    }),
    kpi('time-to-restore', 'Time to restore', 'seconds', 3600, {
      sampleSize: 2,
      tierNote: 'Only 2 incidents resolved in the window; a tier needs 5.',
    }),
    kpi('pipeline-success-rate', 'Pipeline success rate', 'fraction', 0.84, {
      direction: 'higher',
      baseline: 0.89,
      baselineWindow: BASELINE_WINDOW,
      change: -0.05,
      changeRatio: -0.05 / 0.89,
      assessment: 'worse',
    }),
    kpi('alert-noise', 'Alert noise', 'fraction', 0.25, {
      owner: { holders: [], provenance: 'unassigned' },
      baseline: 0.2504,
      baselineWindow: BASELINE_WINDOW,
      change: -0.0004,
      changeRatio: -0.0004 / 0.2504,
      assessment: 'steady',
    }),
    kpi('pr-turnaround-time', 'PR turnaround time', 'seconds', 7200, {
      // lower is better and it went down, but below the steady threshold
      baseline: 7500,
      baselineWindow: BASELINE_WINDOW,
      change: -300,
      changeRatio: -300 / 7500,
      assessment: 'steady',
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

const payments: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { owner: 'commerce-team' },
};

const commerceTeam: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'commerce-team', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

/** Shows the current query string, to see what the tab keeps in the URL. */
function LocationProbe() {
  const location = useLocation();
  return <div data-testid="location-search">{location.search}</div>;
}

const search = () =>
  new URLSearchParams(screen.getByTestId('location-search').textContent!);

async function render(
  api: Partial<DevopsPersonasApi>,
  options: {
    entity?: Entity;
    routeEntries?: string[];
    mountedRoutes?: Record<string, any>;
  } = {},
) {
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
      <EntityProvider entity={options.entity ?? checkout}>
        <EntityKpisContent />
        <LocationProbe />
      </EntityProvider>
    </TestApiProvider>,
    {
      routeEntries: options.routeEntries,
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        ...options.mountedRoutes,
      },
    },
  );
}

/** The card of a KPI, found through its value button. */
function card(title: string): HTMLElement {
  const button = screen.getByRole('button', {
    name: new RegExp(`^${title}: .*show the events behind it`),
  });
  return button.closest<HTMLElement>('.MuiCard-root')!;
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>(r => {
    resolve = r;
  });
  return { promise, resolve };
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
    expect(screen.getAllByText('elite')).toHaveLength(2);
    expect(card('Lead time for changes')).toHaveTextContent(
      '−5 h (−21 %) vs baseline (1 May – 30 May 2026): 24 h · better',
    );
    expect(screen.getByText('Target < 24 h')).toBeInTheDocument();
    expect(screen.getAllByText('· met')).toHaveLength(1);
    expect(screen.getAllByText('· not met')).toHaveLength(1);
    expect(
      screen.getByText('Guardrail: fast but breaking'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Deployment frequency rose 50 % while change-failure-rate got worse.',
      ),
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
    expect(document.body).toHaveTextContent(
      'Window 31 May – 29 Jun 2026 (UTC)',
    );
  });

  it('says over which period each tier is computed', async () => {
    await render({ getKpis: jest.fn().mockResolvedValue(kpis) });
    expect(card('Deployment frequency')).toHaveTextContent(
      'DORA tier over 12 weeks to 29 Jun',
    );
    expect(card('Lead time for changes')).toHaveTextContent(
      'DORA tier over this window',
    );
  });

  it('says "no tier" with the reason when a DORA KPI has too small a sample', async () => {
    await render({ getKpis: jest.fn().mockResolvedValue(kpis) });
    const restore = card('Time to restore');
    expect(within(restore).getByText('no tier')).toBeInTheDocument();
    expect(
      within(restore).getByText(
        'Only 2 incidents resolved in the window; a tier needs 5.',
      ),
    ).toBeVisible();
    // no tier chip without a note, and none for KPIs that have no tiers
    expect(screen.getAllByText('no tier')).toHaveLength(1);
  });

  it('writes the change of a fraction in points, never as a percentage', async () => {
    await render({ getKpis: jest.fn().mockResolvedValue(kpis) });
    const success = card('Pipeline success rate');
    expect(success).toHaveTextContent(
      '−5 pts vs baseline (1 May – 30 May 2026): 89 % · worse',
    );
    expect(success).not.toHaveTextContent(/−5 %|−6 %/);
    // worse in a colour that reads (≥ 4.5:1 on white)
    expect(getComputedStyle(within(success).getByText('worse')).color).toBe(
      'rgb(183, 28, 28)',
    );
  });

  it('says steady for a change that rounds to zero or that the backend judges steady', async () => {
    await render({ getKpis: jest.fn().mockResolvedValue(kpis) });
    const noise = card('Alert noise');
    expect(noise).toHaveTextContent(
      'steady vs baseline (1 May – 30 May 2026): 25 %',
    );
    expect(noise).not.toHaveTextContent(/[−+]0( |$)|−0 %|\+0/);
    // went down (better by the sign) but below the threshold: steady
    const turnaround = card('PR turnaround time');
    expect(turnaround).toHaveTextContent('−5 min (−4 %) vs baseline');
    expect(within(turnaround).getByText('steady')).toBeInTheDocument();
    expect(turnaround).not.toHaveTextContent('better');
  });

  it('labels the previous window with its dates', async () => {
    await render({ getKpis: jest.fn().mockResolvedValue(kpis) });
    expect(card('Deployment frequency')).toHaveTextContent(
      'previous window (1 May – 30 May 2026): 2.1 / week',
    );
    expect(card('Lead time for changes')).not.toHaveTextContent(
      'previous window',
    );
  });

  it('counts data points in the right number', async () => {
    await render({ getKpis: jest.fn().mockResolvedValue(kpis) });
    expect(card('Lead time for changes')).toHaveTextContent('1 data point');
    expect(card('Lead time for changes')).not.toHaveTextContent(
      '1 data points',
    );
    expect(card('Change failure rate')).toHaveTextContent('2 data points');
  });

  it('met is green enough to read, and the value buttons have a focus ring', async () => {
    await render({ getKpis: jest.fn().mockResolvedValue(kpis) });
    expect(getComputedStyle(screen.getByText('· met')).color).toBe(
      'rgb(27, 94, 32)',
    );
    const css = [...document.querySelectorAll('style')]
      .map(s => s.textContent)
      .join('\n');
    expect(css).toMatch(/:focus-visible[^{]*\{[^}]*outline: 2px solid/);
  });

  it('draws partial buckets dashed, says so in a legend, and has a y-axis in the unit', async () => {
    const trend = [
      { start: '2026-05-31', end: '2026-06-01', value: 0.1, partial: true },
      { start: '2026-06-01', end: '2026-06-08', value: 0.08, partial: false },
      { start: '2026-06-08', end: '2026-06-15', value: 0.06, partial: false },
      { start: '2026-06-29', end: '2026-06-30', value: 0.2, partial: true },
    ].map(p => ({
      ...p,
      start: `${p.start}T00:00:00.000Z`,
      end: `${p.end}T00:00:00.000Z`,
    }));
    const { container } = await render({
      getKpis: jest.fn().mockResolvedValue({
        ...kpis,
        kpis: [
          kpi('change-failure-rate', 'Change failure rate', 'fraction', 0.08, {
            trend,
          }),
          kpi('lead-time-for-changes', 'Lead time', 'seconds', 3600),
        ],
      }),
    });
    const failures = card('Change failure rate');
    expect(
      failures.querySelectorAll('circle[data-partial="true"]'),
    ).toHaveLength(2);
    expect(
      failures.querySelector('path[stroke-dasharray="4 3"]'),
    ).not.toBeNull();
    expect(
      within(failures).getByText(/^Dashed: partial week, cut by the window/),
    ).toBeInTheDocument();
    expect(
      within(failures).getAllByText('31 May 2026: 10 % (partial week)'),
    ).toHaveLength(1);
    expect(
      within(failures).getByRole('img', { name: /Change failure rate trend/ }),
    ).toHaveAccessibleName(
      /31 May 2026 10 % \(partial week\).*1 Jun 2026 8 %,/,
    );
    const yTicks = [
      ...failures.querySelectorAll(
        '.recharts-yAxis .recharts-cartesian-axis-tick-value',
      ),
    ].map(t => t.textContent);
    expect(yTicks.length).toBeGreaterThan(0);
    expect(yTicks.every(t => / %$/.test(t!))).toBe(true);
    // a trend without partial buckets has neither
    const lead = card('Lead time');
    expect(lead.querySelector('[data-partial]')).toBeNull();
    expect(within(lead).queryByText(/partial/)).not.toBeInTheDocument();
    expect(container).toBeTruthy();
  });

  it('says partial month for monthly buckets', async () => {
    await render(
      {
        getKpis: jest.fn().mockResolvedValue({
          ...kpis,
          bucket: 'month',
          kpis: [
            kpi('deployment-frequency', 'Deployment frequency', 'per-week', 2, {
              trend: [
                {
                  start: '2026-04-01T00:00:00.000Z',
                  end: '2026-05-01T00:00:00.000Z',
                  value: 2,
                  partial: true,
                },
                {
                  start: '2026-05-01T00:00:00.000Z',
                  end: '2026-06-01T00:00:00.000Z',
                  value: 3,
                  partial: false,
                },
              ],
            }),
          ],
        }),
      },
      { routeEntries: ['/?window=90d'] },
    );
    expect(
      screen.getByText(/^Dashed: partial month, cut by the window/),
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
        kpi(
          'failed-deployment-recovery-time',
          'Failed deployment recovery time',
          'seconds',
          5400,
        ),
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
      'Failed deployment recovery time',
    ]);
    expect(
      screen.getByRole('button', {
        name: /^Failed deployment recovery time: 90 min,/,
      }),
    ).toBeInTheDocument();
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

  it('asks again for another window and keeps window and bucket in the URL', async () => {
    const getKpis = jest.fn().mockResolvedValue(kpis);
    await render({ getKpis });
    await userEvent.click(screen.getByRole('button', { name: '90 days' }));
    expect(getKpis).toHaveBeenLastCalledWith(expect.anything(), {
      window: '90d',
      bucket: 'month',
    });
    expect(search().get('window')).toBe('90d');
    await userEvent.click(screen.getByRole('button', { name: 'Weekly' }));
    expect(getKpis).toHaveBeenLastCalledWith(expect.anything(), {
      window: '90d',
      bucket: 'week',
    });
    expect(search().get('bucket')).toBe('week');
    expect(search().get('window')).toBe('90d');
  });

  it('reads window and bucket from the URL', async () => {
    const getKpis = jest.fn().mockResolvedValue(kpis);
    await render(
      { getKpis },
      { routeEntries: ['/?window=7d&bucket=month&other=kept'] },
    );
    expect(getKpis).toHaveBeenCalledWith(expect.anything(), {
      window: '7d',
      bucket: 'month',
    });
    expect(screen.getByRole('button', { name: '7 days' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await userEvent.click(screen.getByRole('button', { name: '30 days' }));
    expect(search().get('other')).toBe('kept');
  });

  it('keeps the old values visible, dimmed and busy, while another window loads', async () => {
    const next = deferred<EntityKpisResponse>();
    const getKpis = jest
      .fn()
      .mockResolvedValueOnce(kpis)
      .mockReturnValueOnce(next.promise);
    await render({ getKpis });
    expect(screen.getByTestId('kpis-answer')).toHaveAttribute(
      'aria-busy',
      'false',
    );
    await userEvent.click(screen.getByRole('button', { name: '7 days' }));
    expect(getKpis).toHaveBeenCalledTimes(2);
    const answer = screen.getByTestId('kpis-answer');
    expect(answer).toHaveAttribute('aria-busy', 'true');
    expect(getComputedStyle(answer).opacity).toBe('0.6');
    expect(
      within(answer).getByRole('button', { name: /Deployment frequency: 3.2/ }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '7 days' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    next.resolve({
      ...kpis,
      kpis: [
        kpi('deployment-frequency', 'Deployment frequency', 'per-week', 5, {
          direction: 'higher',
        }),
      ],
    });
    expect(
      await screen.findByRole('button', {
        name: /Deployment frequency: 5 \/ week/,
      }),
    ).toBeInTheDocument();
    expect(screen.getByTestId('kpis-answer')).toHaveAttribute(
      'aria-busy',
      'false',
    );
    expect(
      screen.queryByRole('button', { name: /Deployment frequency: 3.2/ }),
    ).not.toBeInTheDocument();
  });

  it('says what a System rollup is over', async () => {
    const parts = Array.from(
      { length: 8 },
      (_, i) => `component:default/part-${i}`,
    );
    await render(
      {
        getKpis: jest.fn().mockResolvedValue({
          ...kpis,
          entityRef: 'system:default/payments',
          entities: parts,
          rollup: 'parts',
        }),
      },
      { entity: payments },
    );
    expect(
      screen.getByText(
        'Rollup over 8 Components of this System: events are pooled, never averaged.',
      ),
    ).toBeInTheDocument();
    // a System has no rollup choice
    expect(
      screen.queryByRole('button', { name: 'Components it owns' }),
    ).not.toBeInTheDocument();
  });

  it('says nothing about a rollup for a single entity', async () => {
    await render({ getKpis: jest.fn().mockResolvedValue(kpis) });
    expect(screen.queryByText(/Rollup over/)).not.toBeInTheDocument();
  });

  it('lets a Group switch between the Components it owns and the entities where it holds a persona, in the URL', async () => {
    const getKpis = jest.fn(async (_ref: unknown, query: any) => ({
      ...kpis,
      entityRef: 'group:default/commerce-team',
      entities:
        query.rollup === 'personas'
          ? ['component:default/a', 'system:default/b', 'domain:default/c']
          : ['component:default/a'],
      rollup: query.rollup,
    }));
    await render({ getKpis }, { entity: commerceTeam });
    expect(getKpis).toHaveBeenCalledWith(expect.anything(), {
      window: '30d',
      bucket: 'week',
      rollup: 'owned',
    });
    expect(
      screen.getByRole('button', { name: 'Components it owns' }),
    ).toHaveAttribute('aria-pressed', 'true');
    expect(
      screen.getByText(/^Rollup over 1 Component this group owns:/),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', {
        name: 'Entities where this group holds a persona',
      }),
    );
    expect(getKpis).toHaveBeenLastCalledWith(expect.anything(), {
      window: '30d',
      bucket: 'week',
      rollup: 'personas',
    });
    expect(search().get('rollup')).toBe('personas');
    expect(
      await screen.findByText(
        /^Rollup over 3 entities where this group holds a persona:/,
      ),
    ).toBeInTheDocument();
  });

  it('reads the rollup basis of a Group from the URL', async () => {
    const getKpis = jest.fn().mockResolvedValue({
      ...kpis,
      entities: [],
      rollup: 'personas',
    });
    await render(
      { getKpis },
      { entity: commerceTeam, routeEntries: ['/?rollup=personas'] },
    );
    expect(getKpis).toHaveBeenCalledWith(expect.anything(), {
      window: '30d',
      bucket: 'week',
      rollup: 'personas',
    });
    expect(
      screen.getByRole('button', {
        name: 'Entities where this group holds a persona',
      }),
    ).toHaveAttribute('aria-pressed', 'true');
    // nothing to roll up: said so, with what to do, and no curl for the group
    expect(
      screen.getByText(
        /^Rollup over 0 entities where this group holds a persona/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Nothing to roll up')).toBeInTheDocument();
    expect(
      screen.getByText(/This group holds no persona on any entity/),
    ).toBeInTheDocument();
    expect(
      screen.queryByText('No delivery events yet'),
    ).not.toBeInTheDocument();
  });

  it('links the Components with ownerless KPIs of a rollup to the filtered overview', async () => {
    const answer = {
      ...kpis,
      entityRef: 'system:default/payments',
      entities: ['component:default/a', 'component:default/b'],
      rollup: 'parts',
      warnings: [
        {
          code: 'ownerless-kpi',
          message: '2 Components of this System have KPIs without an owner.',
          entities: ['component:default/a', 'component:default/b'],
        },
      ],
    };
    await render(
      { getKpis: jest.fn().mockResolvedValue(answer) },
      {
        entity: payments,
        mountedRoutes: { '/personas-overview': rootRouteRef },
      },
    );
    const warnings = screen.getByRole('list', {
      name: 'KPIs without an owner',
    });
    expect(warnings).toHaveTextContent(
      '2 Components of this System have KPIs without an owner.',
    );
    const link = within(warnings).getByRole('link', {
      name: /See them in the overview/,
    });
    expect(link).toHaveAttribute(
      'href',
      '/personas-overview?within=system%3Adefault%2Fpayments&gap=ownerless-kpis',
    );
    // the Components themselves are named and linked
    expect(within(warnings).getByRole('link', { name: 'a' })).toHaveAttribute(
      'href',
      '/catalog/default/component/a',
    );
  });

  it('names the Components, without an overview link the overview cannot filter, for a persona rollup', async () => {
    const answer = {
      ...kpis,
      entityRef: 'group:default/sre-team',
      entities: ['group:default/sre-team', 'component:default/a'],
      rollup: 'personas',
      warnings: [
        {
          code: 'ownerless-kpi',
          message: '1 of 1 Component has ownerless KPIs.',
          entities: ['component:default/a'],
        },
      ],
    };
    await render(
      { getKpis: jest.fn().mockResolvedValue(answer) },
      {
        entity: payments,
        mountedRoutes: { '/personas-overview': rootRouteRef },
      },
    );
    const warnings = screen.getByRole('list', {
      name: 'KPIs without an owner',
    });
    expect(
      within(warnings).getByRole('link', { name: 'a' }),
    ).toBeInTheDocument();
    expect(
      within(warnings).queryByRole('link', {
        name: /See them in the overview/,
      }),
    ).not.toBeInTheDocument();
  });

  it('links to /devops-personas when the overview route is not bound', async () => {
    await render(
      {
        getKpis: jest.fn().mockResolvedValue({
          ...kpis,
          entityRef: 'system:default/payments',
          rollup: 'parts',
          warnings: [
            {
              code: 'ownerless-kpi',
              message: '1 Component has KPIs without an owner.',
              entities: ['component:default/a'],
            },
          ],
        }),
      },
      { entity: payments },
    );
    expect(
      screen.getByRole('link', { name: /See them in the overview/ }),
    ).toHaveAttribute(
      'href',
      '/devops-personas?within=system%3Adefault%2Fpayments&gap=ownerless-kpis',
    );
  });

  it("links to this week's review of the entity shown, by its full lower-case ref", async () => {
    await render({ getKpis: jest.fn().mockResolvedValue(kpis) });
    const link = screen.getByRole('link', { name: "This week's review" });
    expect(link).toHaveAttribute(
      'href',
      '/devops-personas/review?entity=component%3Adefault%2Fcheckout',
    );
    expect(
      new URLSearchParams(link.getAttribute('href')!.split('?')[1]).get(
        'entity',
      ),
    ).toBe('component:default/checkout');
  });

  it("links a System's tab to its review where the app mounts the review page, even while the KPIs fail", async () => {
    await render(
      { getKpis: jest.fn().mockRejectedValue(new Error('database busy')) },
      {
        entity: {
          ...payments,
          metadata: { name: 'Payments', namespace: 'Shop' },
        },
        mountedRoutes: { '/weekly': reviewRouteRef },
      },
    );
    expect(
      await screen.findByText(/Could not load the KPIs of this entity/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: "This week's review" }),
    ).toHaveAttribute('href', '/weekly?entity=system%3Ashop%2Fpayments');
  });

  it('explains a value with the events behind it, of the window on screen, and closes', async () => {
    const getKpiEvents = jest.fn().mockResolvedValue({
      entityRef: 'component:default/checkout',
      kpi: 'change-failure-rate',
      window: kpis.window,
      value: 0.08,
      sampleSize: 2,
      formula: 'failed deployments ÷ deployments',
      figureUnit: null,
      events: [
        {
          role: 'failed-deployment',
          figure: null,
          note: 'caused incident inc-42',
          event: {
            type: 'deployment',
            id: 'deploy-7',
            source: 'argo',
            entityRef: 'component:default/checkout',
            status: 'success',
            finishedAt: '2026-06-03T14:05:00.000Z',
          },
        },
        {
          role: 'deployment',
          figure: null,
          event: {
            type: 'deployment',
            id: 'deploy-8',
            source: 'argo',
            entityRef: 'component:default/checkout',
            status: 'success',
            finishedAt: '2026-06-04T09:00:00.000Z',
          },
        },
      ],
    });
    await render({ getKpis: jest.fn().mockResolvedValue(kpis), getKpiEvents });
    const value = screen.getByRole('button', {
      name: /Change failure rate: 8 %/,
    });
    await userEvent.click(value);
    const dialog = await screen.findByRole('dialog');
    expect(getKpiEvents).toHaveBeenCalledWith(
      expect.anything(),
      'change-failure-rate',
      { window: '30d', until: kpis.window.end },
    );
    expect(
      await within(dialog).findByText(/failed deployments ÷ deployments/),
    ).toBeInTheDocument();
    const rows = within(
      within(dialog).getByRole('table', { name: 'Events behind the value' }),
    ).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toHaveTextContent('deployment deploy-7');
    expect(rows[1]).toHaveTextContent('failed deployment');
    expect(rows[1]).toHaveTextContent('caused incident inc-42');
    expect(rows[1]).toHaveTextContent('finished 3 Jun 2026, 14:05 UTC');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    // focus returns to the value that opened the dialog
    expect(value).toHaveFocus();
  });

  it('explains a Group rollup with its rollup basis', async () => {
    const getKpiEvents = jest.fn().mockReturnValue(never());
    await render(
      {
        getKpis: jest.fn().mockResolvedValue({
          ...kpis,
          entityRef: 'group:default/commerce-team',
          rollup: 'personas',
        }),
        getKpiEvents,
      },
      { entity: commerceTeam, routeEntries: ['/?rollup=personas&window=7d'] },
    );
    await userEvent.click(
      screen.getByRole('button', { name: /Change failure rate: 8 %/ }),
    );
    expect(getKpiEvents).toHaveBeenCalledWith(
      expect.anything(),
      'change-failure-rate',
      { window: '7d', until: kpis.window.end, rollup: 'personas' },
    );
  });

  const noEvents: EntityKpisResponse = {
    ...kpis,
    warnings: [],
    kpis: kpis.kpis.map(k => ({ ...k, value: null, sampleSize: 0 })),
  };

  const source = (
    id: string,
    title: string,
    annotation: string | null,
  ): SourceStatus => ({
    id,
    title,
    topics: [id],
    annotation,
    counts: { received: 0, stored: 0, dropped: {}, ignoredReasons: {} },
    lastError: null,
    ambiguities: [],
  });

  const threeSources: SourcesResponse = {
    sources: [
      source('github', 'GitHub', 'github.com/project-slug'),
      source('pagerduty', 'PagerDuty', 'pagerduty.com/service-id'),
      source('alertmanager', 'Alertmanager', null),
    ],
    attribution: { rule: 'last-deployment', maxGapSeconds: 86400 },
  };

  const checkoutOnPagerDuty: Entity = {
    ...checkout,
    metadata: {
      ...checkout.metadata,
      annotations: { 'pagerduty.com/service-id': 'PCHKOUT' },
    },
  };

  it('shows how to send events when there are none', async () => {
    await render({
      getKpis: jest.fn().mockResolvedValue(noEvents),
      getSources: jest.fn().mockResolvedValue(threeSources),
    });
    expect(screen.getByText('No delivery events yet')).toBeInTheDocument();
    expect(document.body).toHaveTextContent(
      'curl -X POST http://backstage.example/api/devops-personas/v1/events',
    );
    expect(document.body).toHaveTextContent(
      '"entityRef":"component:default/checkout"',
    );
  });

  it('names the configured sources and the annotations the entity lacks to receive their events', async () => {
    const getSources = jest.fn().mockResolvedValue(threeSources);
    await render(
      { getKpis: jest.fn().mockResolvedValue(noEvents), getSources },
      { entity: checkoutOnPagerDuty },
    );
    const advice = await screen.findByRole('region', {
      name: 'Event sources',
    });
    expect(advice).toHaveTextContent(
      'Event sources configured: GitHub, PagerDuty and Alertmanager.',
    );
    expect(advice).toHaveTextContent(
      'Add github.com/project-slug to catalog-info.yaml to receive GitHub events.',
    );
    // the entity has the PagerDuty annotation: no advice to add it
    expect(advice).not.toHaveTextContent(/Add pagerduty\.com\/service-id/);
    expect(advice).toHaveTextContent(
      'pagerduty.com/service-id is set (PCHKOUT): PagerDuty events for it show here once they arrive.',
    );
    expect(advice).toHaveTextContent(
      'Alertmanager finds entities by what each payload names; no annotation is needed.',
    );
    expect(
      within(advice).getByRole('link', { name: 'Event sources' }),
    ).toHaveAttribute('href', '/devops-personas#event-sources');
    // the advice about POST /v1/events stays
    expect(document.body).toHaveTextContent(
      'curl -X POST http://backstage.example/api/devops-personas/v1/events',
    );
    expect(getSources).toHaveBeenCalledTimes(1);
  });

  it('puts the annotation on the Components of a rollup with no events', async () => {
    await render(
      {
        getKpis: jest.fn().mockResolvedValue({
          ...noEvents,
          entityRef: 'system:default/payments',
          entities: ['component:default/checkout'],
          rollup: 'parts',
        }),
        getSources: jest.fn().mockResolvedValue(threeSources),
      },
      { entity: payments },
    );
    const advice = await screen.findByRole('region', {
      name: 'Event sources',
    });
    expect(advice).toHaveTextContent(
      'Add github.com/project-slug to the catalog-info.yaml of its Components to receive GitHub events.',
    );
    expect(advice).toHaveTextContent(
      'Add pagerduty.com/service-id to the catalog-info.yaml of its Components to receive PagerDuty events.',
    );
  });

  it('says when no event source is installed, with a link to how to add one', async () => {
    await render({
      getKpis: jest.fn().mockResolvedValue(noEvents),
      getSources: jest.fn().mockResolvedValue({
        ...threeSources,
        sources: [],
      }),
    });
    const advice = await screen.findByRole('region', {
      name: 'Event sources',
    });
    expect(advice).toHaveTextContent(
      'No event source is installed in the backend, so no webhook from GitHub, GitLab, PagerDuty, Alertmanager or CDEvents arrives here.',
    );
    expect(
      within(advice).getByRole('link', { name: 'How to add one' }),
    ).toHaveAttribute('href', '/devops-personas#event-sources');
    expect(advice).not.toHaveTextContent(/Add .* to catalog-info.yaml/);
  });

  it('says when the sources cannot be listed, keeps the rest of the advice, and asks again', async () => {
    const getSources = jest
      .fn()
      .mockRejectedValueOnce(new Error('connection reset'))
      .mockResolvedValue(threeSources);
    await render({
      getKpis: jest.fn().mockResolvedValue(noEvents),
      getSources,
    });
    const advice = await screen.findByRole('region', {
      name: 'Event sources',
    });
    expect(
      await within(advice).findByText(
        /Could not list the event sources: connection reset/,
      ),
    ).toBeInTheDocument();
    expect(document.body).toHaveTextContent(
      'curl -X POST http://backstage.example/api/devops-personas/v1/events',
    );
    await userEvent.click(
      within(advice).getByRole('button', { name: 'Try again' }),
    );
    expect(
      await within(advice).findByText(/Event sources configured/),
    ).toBeInTheDocument();
    expect(getSources).toHaveBeenCalledTimes(2);
  });

  it('does not ask for the sources when the entity has events', async () => {
    const getSources = jest.fn().mockResolvedValue(threeSources);
    await render({ getKpis: jest.fn().mockResolvedValue(kpis), getSources });
    expect(
      screen.getByRole('button', { name: /Deployment frequency: 3.2/ }),
    ).toBeInTheDocument();
    expect(getSources).not.toHaveBeenCalled();
    expect(screen.queryByRole('region', { name: 'Event sources' })).toBeNull();
  });

  it('shows loading', async () => {
    await render({ getKpis: () => never() });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('says what failed and asks again on retry', async () => {
    const getKpis = jest
      .fn()
      .mockRejectedValueOnce(new Error('window must be a positive duration'))
      .mockResolvedValueOnce(kpis);
    await render({ getKpis });
    expect(
      screen.getByText(/Could not load the KPIs of this entity/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/window must be a positive duration/).length,
    ).toBeGreaterThan(0);
    // the window can still be changed
    expect(screen.getByRole('button', { name: '90 days' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(getKpis).toHaveBeenCalledTimes(2);
    expect(
      await screen.findByRole('button', { name: /Deployment frequency: 3.2/ }),
    ).toBeInTheDocument();
    expect(
      screen.queryByText(/Could not load the KPIs of this entity/),
    ).not.toBeInTheDocument();
  });

  it('gives unselected window buttons readable text', async () => {
    await render({ getKpis: jest.fn().mockResolvedValue(kpis) });
    const unselected = screen.getByRole('button', { name: '7 days' });
    expect(unselected).toHaveAttribute('aria-pressed', 'false');
    // text.primary of the light theme, not the lab's rgba(0, 0, 0, 0.38)
    expect(getComputedStyle(unselected).color).not.toBe('rgba(0, 0, 0, 0.38)');
    expect(getComputedStyle(unselected).color).toMatch(
      /rgba\(0, 0, 0, 0\.87\)|rgb\(0, 0, 0\)/,
    );
  });
});
