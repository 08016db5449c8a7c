import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EntityRaciResponse } from '@devops-personas/plugin-devops-personas-common';
import { EntityRaciContent } from './EntityRaciContent';
import { never, renderWith } from '../../__testUtils__/render';
import { contrastRatio } from '../../__testUtils__/contrast';

/**
 * Makes `window.matchMedia` answer as a screen `width` pixels wide would
 * (jsdom has none, so without it every media query is false: a wide screen).
 */
function mockScreenWidth(width: number) {
  window.matchMedia = jest.fn().mockImplementation((query: string) => {
    const max = /max-width:\s*([\d.]+)px/.exec(query);
    const min = /min-width:\s*([\d.]+)px/.exec(query);
    const matches =
      (!max || width <= Number(max[1])) && (!min || width >= Number(min[1]));
    return {
      matches,
      media: query,
      onchange: null,
      addListener: jest.fn(),
      removeListener: jest.fn(),
      addEventListener: jest.fn(),
      removeEventListener: jest.fn(),
      dispatchEvent: jest.fn(),
    };
  }) as unknown as typeof window.matchMedia;
}

const originalMatchMedia = window.matchMedia;
afterEach(() => {
  window.matchMedia = originalMatchMedia;
});

const raci: EntityRaciResponse = {
  entityRef: 'component:default/checkout',
  holderNames: {
    'user:default/alice': 'Alice Chen',
    'user:default/bob': 'Bob Martin',
    'group:default/commerce-team': 'Commerce Team',
  },
  personaTitles: {
    'product-owner': 'Product Owner',
    'tech-lead': 'Tech Lead',
    'service-owner': 'Service Owner',
    stakeholders: 'Stakeholders',
  },
  scenarios: [
    {
      id: 'go-live-approval',
      title: 'Go-live approval (risk)',
      assignments: [
        {
          role: 'R',
          persona: 'tech-lead',
          holders: ['user:default/bob'],
          provenance: 'explicit',
        },
        {
          role: 'A',
          persona: 'product-owner',
          holders: ['user:default/alice'],
          provenance: 'explicit',
          qualifier: 'business',
        },
        {
          role: 'A',
          persona: 'service-owner',
          holders: [],
          provenance: 'unassigned',
          qualifier: 'operational',
        },
      ],
    },
    {
      id: 'priority-and-release-scope',
      title: 'Priority and release scope',
      assignments: [
        {
          role: 'I',
          persona: 'stakeholders',
          holders: ['group:default/commerce-team'],
          provenance: 'entity-owner',
        },
      ],
    },
    {
      id: 'slos-and-alerts',
      title: 'SLOs and alerts',
      assignments: [
        {
          role: 'R',
          persona: 'tech-lead',
          holders: ['user:default/bob'],
          provenance: 'explicit',
        },
        {
          role: 'A',
          persona: 'tech-lead',
          holders: ['user:default/bob'],
          provenance: 'explicit',
        },
      ],
    },
  ],
  warnings: [
    {
      code: 'raci-accountability',
      message:
        '"Go-live approval (risk)" has no accountable holder (operational): the Service Owner is unassigned.',
      persona: 'service-owner',
    },
  ],
};

describe('EntityRaciContent', () => {
  it('shows scenarios × personas with marks, people and gaps', async () => {
    await renderWith(<EntityRaciContent />, {
      getRaci: jest.fn().mockResolvedValue(raci),
    });
    const table = screen.getByRole('table', { name: 'RACI matrix' });
    const headers = within(table)
      .getAllByRole('columnheader')
      .map(h => h.textContent);
    expect(headers).toEqual([
      'Scenario',
      'Product Owner',
      'Tech Lead',
      'Service Owner',
      'Stakeholders',
    ]);

    const goLive = within(table).getByRole('row', { name: /Go-live approval/ });
    expect(within(goLive).getByText('business')).toBeInTheDocument();
    expect(
      within(goLive).getByRole('link', { name: 'Alice Chen' }),
    ).toHaveAttribute('href', '/catalog/default/user/alice');
    // the operational accountable is missing: a highlighted gap that says so
    expect(
      within(goLive).getByLabelText(
        'Service Owner: Accountable (operational), accountability gap',
      ),
    ).toHaveTextContent('nobody');

    const slos = within(table).getByRole('row', { name: /SLOs and alerts/ });
    expect(
      within(slos).getByLabelText('Tech Lead: Responsible, Accountable'),
    ).toHaveTextContent('RA');
    expect(
      screen.getByText(/has no accountable holder \(operational\)/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Accountable: decides and answers for it/),
    ).toBeInTheDocument();
  });

  it('keeps the scenario column in view and never breaks words inside', async () => {
    await renderWith(<EntityRaciContent />, {
      getRaci: jest.fn().mockResolvedValue(raci),
    });
    const table = screen.getByRole('table', { name: 'RACI matrix' });
    for (const text of [
      within(table).getByText('Stakeholders'),
      within(table).getByText('Priority and release scope'),
      within(table).getByRole('link', { name: 'Commerce Team' }),
    ]) {
      expect(getComputedStyle(text).wordBreak).toBe('normal');
      expect(getComputedStyle(text).overflowWrap).toBe('normal');
    }
    // the qualifier is on a line of its own, not letter-spaced into "operationa l"
    const operational = within(table).getByText('operational');
    expect(getComputedStyle(operational).whiteSpace).toBe('nowrap');
    expect(getComputedStyle(operational).letterSpacing).toBe('normal');
    // the first column sticks when the table scrolls sideways
    for (const cell of [
      within(table).getByRole('columnheader', { name: 'Scenario' }),
      within(table).getByText('SLOs and alerts').closest('th')!,
    ]) {
      expect(getComputedStyle(cell).position).toBe('sticky');
      expect(getComputedStyle(cell).left).toBe('0px');
    }
  });

  it('shows "nobody" in a gap in a colour readable on the highlight (≥ 4.5:1)', async () => {
    await renderWith(<EntityRaciContent />, {
      getRaci: jest.fn().mockResolvedValue(raci),
    });
    const gap = screen.getByLabelText(
      'Service Owner: Accountable (operational), accountability gap',
    );
    const nobody = within(gap).getByText('nobody');
    const background = getComputedStyle(gap).backgroundColor;
    expect(background).toBe('rgb(253, 236, 234)');
    expect(
      contrastRatio(getComputedStyle(nobody).color, background),
    ).toBeGreaterThanOrEqual(4.5);
  });

  it('stacks the scenarios on a 1024 px wide screen, every persona mark still there and labelled', async () => {
    mockScreenWidth(1024);
    await renderWith(<EntityRaciContent />, {
      getRaci: jest.fn().mockResolvedValue(raci),
    });
    expect(
      screen.queryByRole('table', { name: 'RACI matrix' }),
    ).not.toBeInTheDocument();
    const stacked = screen.getByRole('list', { name: 'RACI by scenario' });
    expect(stacked.closest('[data-layout]')).toHaveAttribute(
      'data-layout',
      'stacked',
    );
    const goLive = screen.getByRole('region', {
      name: 'Go-live approval (risk)',
    });
    const marks = within(goLive)
      .getAllByRole('listitem')
      .map(item => item.getAttribute('aria-label'));
    expect(marks).toEqual([
      'Product Owner: Accountable (business)',
      'Tech Lead: Responsible',
      'Service Owner: Accountable (operational), accountability gap',
    ]);
    expect(
      within(goLive).getByLabelText('Product Owner: Accountable (business)'),
    ).toHaveTextContent('Product Owner: Alice Chen');
    expect(
      within(goLive).getByRole('link', { name: 'Alice Chen' }),
    ).toHaveAttribute('href', '/catalog/default/user/alice');
    const gap = within(goLive).getByLabelText(
      'Service Owner: Accountable (operational), accountability gap',
    );
    expect(gap).toHaveTextContent('nobody');
    expect(getComputedStyle(gap).backgroundColor).toBe('rgb(253, 236, 234)');
    // all four persona columns of the table appear somewhere
    for (const label of [
      'Product Owner: Accountable (business)',
      'Tech Lead: Responsible, Accountable',
      'Service Owner: Accountable (operational), accountability gap',
      'Stakeholders: Informed',
    ]) {
      expect(screen.getByLabelText(label)).toBeInTheDocument();
    }
    expect(
      within(
        screen.getByRole('region', { name: 'SLOs and alerts' }),
      ).getByLabelText('Tech Lead: Responsible, Accountable'),
    ).toHaveTextContent('RA');
    expect(screen.getByText(/Highlighted lines are/)).toBeInTheDocument();
  });

  it('keeps the matrix on a 1440 px wide screen', async () => {
    mockScreenWidth(1440);
    await renderWith(<EntityRaciContent />, {
      getRaci: jest.fn().mockResolvedValue(raci),
    });
    expect(
      screen.getByRole('table', { name: 'RACI matrix' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('list', { name: 'RACI by scenario' }),
    ).not.toBeInTheDocument();
  });

  it('shows loading', async () => {
    await renderWith(<EntityRaciContent />, { getRaci: () => never() });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows an error with the backend message and asks again on retry', async () => {
    const getRaci = jest
      .fn()
      .mockRejectedValueOnce(new Error('backend down'))
      .mockResolvedValueOnce(raci);
    await renderWith(<EntityRaciContent />, { getRaci });
    expect(
      screen.getByText(/Could not load the RACI of this entity/),
    ).toBeInTheDocument();
    expect(document.body).toHaveTextContent('backend down');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(getRaci).toHaveBeenCalledTimes(2);
    expect(
      await screen.findByRole('table', { name: 'RACI matrix' }),
    ).toBeInTheDocument();
  });
});
