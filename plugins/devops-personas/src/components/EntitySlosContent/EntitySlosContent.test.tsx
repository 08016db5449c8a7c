import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import {
  EntitySlosResponse,
  SloObjectiveResult,
  SloResult,
} from '@devops-personas/plugin-devops-personas-common';
import { EntitySlosContent } from './EntitySlosContent';
import { never, renderWith } from '../../__testUtils__/render';
import { contrastRatio } from '../../__testUtils__/contrast';

const objective = (extra: Partial<SloObjectiveResult>): SloObjectiveResult => ({
  displayName: '99.5 % succeed',
  target: 0.995,
  attainment: 0.9962,
  errorBudget: 0.005,
  budgetRemaining: 0.24,
  burnRates: {
    '5m': 0.1,
    '30m': 0.2,
    '1h': 0.4,
    '2h': 0.5,
    '6h': 0.7,
    '1d': 0.8,
    '3d': 0.9,
  },
  alert: 'ok',
  burnDown: [{ at: '2026-06-30T00:00:00.000Z', budgetRemaining: 0.24 }],
  met: true,
  ...extra,
});

const slo = (extra: Partial<SloResult>): SloResult => ({
  name: 'checkout-availability',
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
  sampleSize: 900,
  source: 'openslo.yaml',
  ...extra,
});

const answer: EntitySlosResponse = {
  entityRef: 'component:default/checkout',
  sloRef: './openslo.yaml',
  entities: ['component:default/checkout'],
  slos: [
    slo({
      name: 'checkout-latency',
      displayName: 'Checkout latency',
      budgetingMethod: 'Timeslices',
      window: {
        duration: '1M',
        isRolling: false,
        start: '2026-06-01T00:00:00.000Z',
        end: '2026-06-30T00:00:00.000Z',
      },
      objectives: [
        objective({
          displayName: 'fast slices',
          budgetRemaining: -0.5,
          attainment: 0.9,
          target: 0.95,
          alert: 'page',
          met: false,
          burnRates: {
            '5m': 20,
            '30m': 18,
            '1h': 16.25,
            '2h': 9,
            '6h': 7,
            '1d': 3,
            '3d': 2,
          },
        }),
      ],
      sampleSize: 700,
    }),
    slo({}),
  ],
  warnings: [
    {
      code: 'invalid-slo',
      message: 'openslo.yaml document 3 (x): kind "Dashboard" is not supported',
    },
  ],
};

const payments: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { owner: 'commerce-team' },
};

/** The SLOs of System payments: two of checkout, one of gateway; ledger has none. */
const rollup: EntitySlosResponse = {
  entityRef: 'system:default/payments',
  sloRef: null,
  entities: [
    'system:default/payments',
    'component:default/checkout',
    'component:default/gateway',
    'component:default/ledger',
  ],
  slos: [
    slo({
      name: 'gateway-availability',
      displayName: 'Gateway availability',
      entityRef: 'component:default/gateway',
      objectives: [objective({ budgetRemaining: 0.1, alert: 'ticket' })],
    }),
    slo({
      name: 'checkout-availability',
      displayName: 'Checkout availability',
    }),
    slo({
      name: 'checkout-latency',
      displayName: 'Checkout latency',
      objectives: [objective({ displayName: 'fast', budgetRemaining: 0.8 })],
    }),
  ],
  warnings: [],
};

const GRAPH_URL =
  'http://prometheus.example.com/graph?g0.expr=sum%28rate%28http_requests_total%5B5m%5D%29%29&g0.tab=0';

/** A RatioTimeslices SLO read from Prometheus: the good query has a graph link, the total query none. */
const fromPrometheus = slo({
  name: 'checkout-latency',
  displayName: 'Checkout latency',
  budgetingMethod: 'RatioTimeslices',
  dataSource: {
    type: 'prometheus',
    counter: true,
    queries: [
      {
        role: 'good',
        query: 'http_requests_total{job="checkout",code!~"5.."}',
        source: 'default',
        graphUrl: GRAPH_URL,
      },
      {
        role: 'total',
        query: 'http_requests_total{job="checkout"}',
        source: 'default',
      },
    ],
  },
  objectives: [
    objective({
      displayName: 'fast minutes',
      timeSliceWindow: '1m',
      timeSliceTarget: 0.95,
    }),
  ],
  sampleSize: 43200,
});

/** A Prometheus SLO whose Prometheus did not answer: no figures. */
const unanswered = slo({
  name: 'checkout-errors',
  displayName: 'Checkout errors',
  dataSource: {
    type: 'prometheus',
    counter: false,
    queries: [
      { role: 'bad', query: 'checkout_errors', source: 'eu' },
      { role: 'total', query: 'checkout_requests', source: 'eu' },
    ],
    error: 'Get "http://127.0.0.1:9091/api/v1/query": connection refused.',
  },
  objectives: [
    objective({
      displayName: 'few errors',
      attainment: null,
      budgetRemaining: null,
      burnRates: {
        '5m': null,
        '30m': null,
        '1h': null,
        '2h': null,
        '6h': null,
        '1d': null,
        '3d': null,
      },
      burnDown: [],
      met: null,
    }),
  ],
  sampleSize: 0,
});

const sloCard = (title: string) => screen.getByRole('article', { name: title });

describe('EntitySlosContent', () => {
  it('shows each SLO in the order given (least budget first) with budget, burn rates and alert', async () => {
    await renderWith(<EntitySlosContent />, {
      getSlos: jest.fn().mockResolvedValue(answer),
    });
    const [first, second] = ['Checkout latency', 'checkout-availability'].map(
      t => screen.getByText(t),
    );
    expect(
      first.compareDocumentPosition(second) & Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    expect(
      screen.getByText(
        /^Timeslices · calendar 1M \(2026-06-01 to 2026-06-30\) · 700 sli events$/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Alert state page')).toBeInTheDocument();
    expect(screen.getByLabelText('Alert state ok')).toBeInTheDocument();
    expect(screen.getByText('-50 %')).toBeInTheDocument();
    expect(
      screen.getByText('(overspent)', { exact: false }),
    ).toBeInTheDocument();
    expect(screen.getByText('24 %')).toBeInTheDocument();
    // each budget bar is named by its line of text
    expect(
      screen.getAllByRole('progressbar', { name: /^Error budget 0.50 %/ }),
    ).toHaveLength(2);
    const rates = screen.getByRole('table', {
      name: 'Burn rates of fast slices',
    });
    expect(within(rates).getByText('16.3')).toBeInTheDocument();
    expect(
      screen.getByText(/kind "Dashboard" is not supported/),
    ).toBeInTheDocument();
    // a single entity is not grouped by Component
    expect(screen.queryByText(/across/)).not.toBeInTheDocument();
  });

  it('says whether each objective is met, in colours readable on white (≥ 4.5:1)', async () => {
    await renderWith(<EntitySlosContent />, {
      getSlos: jest.fn().mockResolvedValue(answer),
    });
    const met = screen.getByText('met');
    const missed = screen.getByText('objective missed');
    for (const element of [met, missed]) {
      const color = getComputedStyle(element).color;
      expect(color).not.toBe('');
      expect(contrastRatio(color, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    }
    expect(getComputedStyle(met).color).toBe('rgb(27, 94, 32)');
    // the alert chips carry white text on a dark enough background
    for (const state of ['page', 'ok']) {
      const chip = screen.getByLabelText(`Alert state ${state}`);
      expect(
        contrastRatio(chip.style.backgroundColor, '#ffffff'),
      ).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('gives the ticket alert a background that white text is readable on', async () => {
    await renderWith(<EntitySlosContent />, {
      getSlos: jest.fn().mockResolvedValue({
        ...answer,
        slos: [slo({ objectives: [objective({ alert: 'ticket' })] })],
      }),
    });
    const chip = screen.getByLabelText('Alert state ticket');
    expect(chip.style.color).toBe('rgb(255, 255, 255)');
    expect(
      contrastRatio(chip.style.backgroundColor, '#ffffff'),
    ).toBeGreaterThanOrEqual(4.5);
  });

  it('groups the SLOs of a System by the Component that defines them', async () => {
    const getSlos = jest.fn().mockResolvedValue(rollup);
    await renderWith(<EntitySlosContent />, { getSlos }, payments);
    expect(getSlos).toHaveBeenCalledWith({
      kind: 'System',
      namespace: 'default',
      name: 'payments',
    });
    expect(document.body).toHaveTextContent(
      '3 SLOs across 2 Components (1 other Component defines none)',
    );
    const headings = screen.getAllByRole('heading', { level: 2 });
    expect(headings.map(h => h.textContent)).toEqual(['gateway', 'checkout']);
    expect(
      within(headings[0]).getByRole('link', { name: 'gateway' }),
    ).toHaveAttribute('href', '/catalog/default/component/gateway');

    const gateway = screen.getByRole('region', { name: 'gateway' });
    expect(gateway).toHaveTextContent('1 SLO');
    expect(
      within(gateway).getByText('Gateway availability'),
    ).toBeInTheDocument();
    expect(
      within(gateway).queryByText('Checkout latency'),
    ).not.toBeInTheDocument();

    const checkout = screen.getByRole('region', { name: 'checkout' });
    expect(checkout).toHaveTextContent('2 SLOs');
    expect(
      within(checkout).getByText('Checkout availability'),
    ).toBeInTheDocument();
    expect(within(checkout).getByText('Checkout latency')).toBeInTheDocument();
  });

  it('groups by Component whenever the answer spans several entities', async () => {
    await renderWith(<EntitySlosContent />, {
      getSlos: jest.fn().mockResolvedValue({
        ...rollup,
        entityRef: 'component:default/checkout',
        entities: ['component:default/checkout', 'component:default/gateway'],
      }),
    });
    expect(document.body).toHaveTextContent('3 SLOs across 2 Components');
    expect(screen.getByRole('region', { name: 'gateway' })).toBeInTheDocument();
  });

  it('says "1 SLO across 1 Component" in the singular', async () => {
    await renderWith(
      <EntitySlosContent />,
      {
        getSlos: jest.fn().mockResolvedValue({
          ...rollup,
          entities: ['system:default/payments', 'component:default/checkout'],
          slos: [slo({ displayName: 'Checkout availability' })],
        }),
      },
      payments,
    );
    expect(document.body).toHaveTextContent('1 SLO across 1 Component');
    expect(document.body).not.toHaveTextContent('defines none');
  });

  it('tells what to do when an entity has no SLOs', async () => {
    await renderWith(<EntitySlosContent />, {
      getSlos: jest.fn().mockResolvedValue({
        entityRef: 'component:default/checkout',
        sloRef: null,
        entities: ['component:default/checkout'],
        slos: [],
        warnings: [],
      }),
    });
    expect(screen.getByText('No SLOs yet')).toBeInTheDocument();
    expect(document.body).toHaveTextContent(
      'Add the devops-personas.io/slo-ref annotation pointing to an OpenSLO file',
    );
    expect(document.body).toHaveTextContent(
      'devops-personas.io/slo-ref: ./openslo.yaml',
    );
    expect(document.body).toHaveTextContent('budgetingMethod: Occurrences');
    expect(document.body).not.toHaveTextContent("System's Components");
  });

  it('says when the slo-ref annotation points at nothing valid', async () => {
    await renderWith(<EntitySlosContent />, {
      getSlos: jest.fn().mockResolvedValue({
        entityRef: 'component:default/checkout',
        sloRef: './missing.yaml',
        entities: ['component:default/checkout'],
        slos: [],
        warnings: [],
      }),
    });
    expect(screen.getByText('No SLOs could be read')).toBeInTheDocument();
    expect(document.body).toHaveTextContent(
      'annotation points at ./missing.yaml',
    );
  });

  it("says that none of a System's Components defines SLOs", async () => {
    await renderWith(
      <EntitySlosContent />,
      {
        getSlos: jest
          .fn()
          .mockResolvedValue({ ...rollup, slos: [] } as EntitySlosResponse),
      },
      payments,
    );
    expect(document.body).toHaveTextContent(
      "None of this System's Components defines SLOs (add the devops-personas.io/slo-ref annotation",
    );
    expect(document.body).not.toHaveTextContent(
      'Add the devops-personas.io/slo-ref annotation pointing to an OpenSLO file that describes this entity',
    );
  });

  it('shows loading', async () => {
    await renderWith(<EntitySlosContent />, { getSlos: () => never() });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows an error with the backend message and asks again on retry', async () => {
    const getSlos = jest
      .fn()
      .mockRejectedValueOnce(new Error('SLO backend down'))
      .mockResolvedValueOnce(answer);
    await renderWith(<EntitySlosContent />, { getSlos });
    expect(
      screen.getByText(/Could not load the SLOs of this entity/),
    ).toBeInTheDocument();
    expect(document.body).toHaveTextContent('SLO backend down');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(getSlos).toHaveBeenCalledTimes(2);
    expect(await screen.findByText('Checkout latency')).toBeInTheDocument();
    expect(
      screen.queryByText(/Could not load the SLOs of this entity/),
    ).not.toBeInTheDocument();
  });
});

describe('EntitySlosContent: where the data comes from', () => {
  it('says that an SLO is computed from the sli events sent to the plugin', async () => {
    await renderWith(<EntitySlosContent />, {
      getSlos: jest
        .fn()
        .mockResolvedValue({ ...answer, slos: [slo({}), fromPrometheus] }),
    });
    const card = sloCard('checkout-availability');
    expect(card).toHaveTextContent('From sli events sent to the plugin');
    expect(card).not.toHaveTextContent('Prometheus');
    expect(
      within(card).getByText(/^Occurrences · rolling 30d .* · 900 sli events$/),
    ).toBeInTheDocument();
    expect(sloCard('Checkout latency')).not.toHaveTextContent(
      'From sli events',
    );
  });

  it('lists the Prometheus queries by role, linking to the graph UI only where it can', async () => {
    await renderWith(<EntitySlosContent />, {
      getSlos: jest
        .fn()
        .mockResolvedValue({ ...answer, slos: [fromPrometheus] }),
    });
    const card = sloCard('Checkout latency');
    expect(card).toHaveTextContent('From Prometheus (default)');
    const queries = within(card).getByRole('list', {
      name: 'Prometheus queries of Checkout latency',
    });
    const [good, total] = within(queries).getAllByRole('listitem');
    expect(good).toHaveTextContent(
      'good, counter: http_requests_total{job="checkout",code!~"5.."}',
    );
    expect(
      within(good).getByText('http_requests_total{job="checkout",code!~"5.."}')
        .tagName,
    ).toBe('CODE');
    const link = within(good).getByRole('link', {
      name: /^Open the good query of Checkout latency in Prometheus/,
    });
    expect(link).toHaveAttribute('href', GRAPH_URL);
    expect(link).toHaveAttribute('target', '_blank');
    expect(link).toHaveAttribute('rel', expect.stringContaining('noopener'));
    expect(total).toHaveTextContent(
      'total, counter: http_requests_total{job="checkout"}',
    );
    expect(within(total).queryByRole('link')).not.toBeInTheDocument();
    expect(within(queries).getAllByRole('link')).toHaveLength(1);
  });

  it('names the budgeting method, the slice length and what the sample size counts', async () => {
    await renderWith(<EntitySlosContent />, {
      getSlos: jest.fn().mockResolvedValue({
        ...answer,
        slos: [
          fromPrometheus,
          slo({
            name: 'checkout-volume',
            dataSource: {
              type: 'prometheus',
              counter: false,
              rawType: 'failure',
              queries: [
                {
                  role: 'raw',
                  query: 'checkout:error_ratio',
                  source: 'default',
                },
              ],
            },
            sampleSize: 1234.4,
          }),
          slo({
            name: 'checkout-mixed-slices',
            budgetingMethod: 'Timeslices',
            objectives: [
              objective({
                displayName: 'per minute',
                timeSliceWindow: '1m',
                timeSliceTarget: 0.9,
              }),
              objective({
                displayName: 'per 5 minutes',
                timeSliceWindow: '5m',
                timeSliceTarget: 0.95,
              }),
            ],
            sampleSize: 1,
          }),
        ],
      }),
    });
    expect(
      within(sloCard('Checkout latency')).getByText(
        'Ratio timeslices · 1-minute slices · rolling 30d (2026-05-31 to 2026-06-30) · 43,200 slices with data',
      ),
    ).toBeInTheDocument();
    // the subheader gives the slice length, so the objective does not repeat it
    expect(sloCard('Checkout latency')).toHaveTextContent(
      'against a target of 99.50 % (a slice is good at 95.0 %)',
    );

    const volume = sloCard('checkout-volume');
    expect(
      within(volume).getByText(
        // a precomputed ratio counts no events: no sample size
        'Occurrences · rolling 30d (2026-05-31 to 2026-06-30)',
      ),
    ).toBeInTheDocument();
    expect(volume).toHaveTextContent(
      'raw, ratio of failures: checkout:error_ratio',
    );

    // objectives with different slice lengths each say their own
    const mixed = sloCard('checkout-mixed-slices');
    expect(
      within(mixed).getByText(
        'Timeslices · rolling 30d (2026-05-31 to 2026-06-30) · 1 sli event',
      ),
    ).toBeInTheDocument();
    expect(mixed).toHaveTextContent(
      '(1-minute slices; a slice is good at 90.0 %)',
    );
    expect(mixed).toHaveTextContent(
      '(5-minute slices; a slice is good at 95.0 %)',
    );
  });

  it("says on the SLO's card that Prometheus did not answer, and still shows the other SLOs", async () => {
    await renderWith(<EntitySlosContent />, {
      getSlos: jest.fn().mockResolvedValue({
        ...answer,
        slos: [unanswered, slo({})],
        warnings: [
          {
            code: 'slo-source-unavailable',
            message:
              'SLO checkout-errors: Prometheus eu could not answer checkout_errors: connection refused',
          },
        ],
      }),
    });
    const card = sloCard('Checkout errors');
    const alert = within(card).getByRole('alert');
    expect(alert).toHaveTextContent(
      'Prometheus could not answer: Get "http://127.0.0.1:9091/api/v1/query": connection refused. ' +
        'The figures will show once it does; check devopsPersonas.sources.prometheus.eu and the queries.',
    );
    expect(alert).toHaveClass('MuiAlert-standardWarning');
    expect(card).toHaveTextContent('From Prometheus (eu)');
    expect(card).toHaveTextContent('bad, gauge (summed): checkout_errors');
    expect(card).toHaveTextContent(
      'Attainment no data against a target of 99.50 %',
    );
    expect(card).toHaveTextContent('remaining no data');
    // neither a sample size nor an alert state it cannot know
    expect(
      within(card).getByText(
        'Occurrences · rolling 30d (2026-05-31 to 2026-06-30)',
      ),
    ).toBeInTheDocument();
    expect(
      within(card).queryByLabelText(/^Alert state/),
    ).not.toBeInTheDocument();

    const other = sloCard('checkout-availability');
    expect(other).toHaveTextContent(
      'Attainment 99.620 % against a target of 99.50 %',
    );
    expect(within(other).queryByRole('alert')).not.toBeInTheDocument();
    expect(within(other).getByLabelText('Alert state ok')).toBeInTheDocument();

    const warnings = screen.getByRole('region', { name: 'Warnings' });
    const list = within(warnings).getByRole('list', {
      name: 'SLO data source unavailable',
    });
    expect(list).toHaveTextContent('connection refused');
    expect(list.closest('.MuiAlert-root')).toHaveClass(
      'MuiAlert-standardWarning',
    );
  });

  it('names each Prometheus entry when the queries go to several', async () => {
    await renderWith(<EntitySlosContent />, {
      getSlos: jest.fn().mockResolvedValue({
        ...answer,
        slos: [
          slo({
            dataSource: {
              type: 'prometheus',
              counter: true,
              queries: [
                { role: 'good', query: 'ok_total', source: 'default' },
                { role: 'total', query: 'all_total', source: 'eu' },
              ],
            },
          }),
        ],
      }),
    });
    const card = sloCard('checkout-availability');
    expect(card).toHaveTextContent('From Prometheus (default, eu)');
    expect(card).toHaveTextContent('good, counter, on default: ok_total');
    expect(card).toHaveTextContent('total, counter, on eu: all_total');
  });
});
