import { screen, within } from '@testing-library/react';
import {
  EntitySlosResponse,
  SloObjectiveResult,
} from '@internal/plugin-devops-personas-common';
import { EntitySlosContent } from './EntitySlosContent';
import { never, renderWith } from '../../__testUtils__/render';

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

const answer: EntitySlosResponse = {
  entityRef: 'component:default/checkout',
  sloRef: './openslo.yaml',
  slos: [
    {
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
      source: 'openslo.yaml',
    },
    {
      name: 'checkout-availability',
      budgetingMethod: 'Occurrences',
      window: {
        duration: '30d',
        isRolling: true,
        start: '2026-05-31T00:00:00.000Z',
        end: '2026-06-30T00:00:00.000Z',
      },
      objectives: [objective({})],
      sampleSize: 900,
      source: 'openslo.yaml',
    },
  ],
  warnings: [
    {
      code: 'invalid-slo',
      message: 'openslo.yaml document 3 (x): kind "Dashboard" is not supported',
    },
  ],
};

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
      screen.getByText(/Timeslices · calendar 1M \(2026-06-01 to 2026-06-30\)/),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Alert state page')).toBeInTheDocument();
    expect(screen.getByLabelText('Alert state ok')).toBeInTheDocument();
    expect(screen.getByText('-50 %')).toBeInTheDocument();
    expect(
      screen.getByText('(overspent)', { exact: false }),
    ).toBeInTheDocument();
    expect(screen.getByText('24 %')).toBeInTheDocument();
    const rates = screen.getByRole('table', {
      name: 'Burn rates of fast slices',
    });
    expect(within(rates).getByText('16.3')).toBeInTheDocument();
    expect(
      screen.getByText(/kind "Dashboard" is not supported/),
    ).toBeInTheDocument();
  });

  it('shows an example openslo.yaml when the entity has no SLOs', async () => {
    await renderWith(<EntitySlosContent />, {
      getSlos: jest.fn().mockResolvedValue({
        entityRef: 'component:default/checkout',
        sloRef: null,
        slos: [],
        warnings: [],
      }),
    });
    expect(screen.getByText('No SLOs defined yet')).toBeInTheDocument();
    expect(document.body).toHaveTextContent(
      'devops-personas.io/slo-ref: ./openslo.yaml',
    );
    expect(document.body).toHaveTextContent('budgetingMethod: Occurrences');
  });

  it('shows loading and errors', async () => {
    const { unmount } = await renderWith(<EntitySlosContent />, {
      getSlos: () => never(),
    });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    unmount();
    await renderWith(<EntitySlosContent />, {
      getSlos: jest.fn().mockRejectedValue(new Error('SLO backend down')),
    });
    expect(screen.getAllByText(/SLO backend down/).length).toBeGreaterThan(0);
  });
});
