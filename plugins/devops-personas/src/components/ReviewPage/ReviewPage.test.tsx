import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ReviewAgendaResponse } from '@devops-personas/plugin-devops-personas-common';
import { useLocation } from 'react-router-dom';
import { DevopsPersonasApi, devopsPersonasApiRef } from '../../api';
import { contrastRatio } from '../../__testUtils__/contrast';
import { never } from '../../__testUtils__/render';
import { ReviewPage } from './ReviewPage';

// A whole app per test, and an Autocomplete popper: not quick in jsdom.
jest.setTimeout(30_000);

const agenda: ReviewAgendaResponse = {
  entityRef: 'system:default/payments',
  week: {
    start: '2026-11-23T00:00:00.000Z',
    end: '2026-11-30T00:00:00.000Z',
  },
  kpiWindow: '30d',
  entities: ['component:default/checkout', 'component:default/ledger'],
  kpisWorse: [
    {
      entityRef: 'component:default/checkout',
      kpi: 'lead-time-for-changes',
      title: 'Lead time for changes',
      unit: 'seconds',
      direction: 'lower',
      value: 129600,
      previous: 68400,
      change: 61200,
      changeRatio: 61200 / 68400,
      target: { op: '<', value: 86400 },
      met: false,
      tier: 'high',
      previousTier: 'elite',
      owner: {
        holders: ['user:default/bob', 'group:default/commerce-team'],
        provenance: 'via-persona:tech-lead',
      },
      response: 'Look at where changes wait: review queue, CI, release train.',
    },
    {
      entityRef: 'component:default/ledger',
      kpi: 'alert-noise',
      title: 'Alert noise',
      unit: 'fraction',
      direction: 'lower',
      value: 0.32,
      previous: 0.25,
      change: 0.07,
      changeRatio: 0.28,
      target: null,
      met: null,
      owner: { holders: [], provenance: 'unassigned' },
      response: 'Tune or delete the noisiest alerts.',
    },
  ],
  slosBurning: [
    {
      entityRef: 'component:default/checkout',
      slo: 'checkout-availability',
      displayName: 'Checkout availability',
      objective: 'Successful requests',
      target: 0.999,
      budgetRemaining: 0.18,
      previousBudgetRemaining: 0.6,
      budgetSpent: 0.42,
      alert: 'page',
      owner: { holders: ['user:default/carol'], provenance: 'explicit' },
      response: 'Freeze risky releases until the budget recovers.',
    },
  ],
  overdueVulnerabilities: [
    {
      entityRef: 'component:default/ledger',
      id: 'GHSA-4f8r-q2vm-9xj3',
      source: 'github',
      detectedAt: '2026-10-20T09:00:00Z',
      overdueSince: '2026-11-03T09:00:00Z',
      url: 'https://github.com/advisories/GHSA-4f8r-q2vm-9xj3',
      owner: {
        holders: ['user:default/erin'],
        provenance: 'via-persona:security-owner',
      },
      response: 'Patch or mitigate within the SLA.',
    },
  ],
  postmortemActions: [
    {
      entityRef: 'component:default/checkout',
      id: 'PM-12',
      source: 'pagerduty',
      dueAt: '2026-11-20T00:00:00Z',
      status: 'late',
      incidentId: 'INC-42',
      owner: {
        holders: ['group:default/commerce-team'],
        provenance: 'entity-owner',
      },
      response: 'Close the action or agree a new date.',
    },
  ],
  holderNames: {
    'user:default/bob': 'Bob Builder',
    'group:default/commerce-team': 'Commerce Team',
    'user:default/carol': 'Carol Danvers',
    'user:default/erin': 'Erin Hale',
  },
  warnings: [
    {
      code: 'guardrail',
      message: 'Deployment frequency rose 50 % while failures got worse.',
    },
  ],
};

const nothingToReview: ReviewAgendaResponse = {
  ...agenda,
  entities: ['component:default/checkout'],
  kpisWorse: [],
  slosBurning: [],
  overdueVulnerabilities: [],
  postmortemActions: [],
  holderNames: {},
  warnings: [],
};

/** What the catalog answers with the picker's `fields`. */
const catalogEntities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'payments', namespace: 'default', title: 'Payments' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'commerce-team', namespace: 'default' },
    spec: { profile: { displayName: 'Commerce Team' } },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'identity', namespace: 'default' },
  },
];

function LocationProbe() {
  const location = useLocation();
  return <div data-testid="location">{location.search}</div>;
}

const urlParams = () =>
  new URLSearchParams(screen.getByTestId('location').textContent ?? '');

function renderAt(
  url: string,
  api: Partial<DevopsPersonasApi>,
  getEntities = jest.fn().mockResolvedValue({ items: catalogEntities }),
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [devopsPersonasApiRef, api],
        [catalogApiRef, { getEntities }],
      ]}
    >
      <ReviewPage />
      <LocationProbe />
    </TestApiProvider>,
    {
      routeEntries: [url],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

const picker = () => screen.getByRole('textbox', { name: 'System or team' });

/** The table row of a line, found by a text in it. */
const rowOf = (text: string) => screen.getByText(text).closest('tr')!;

/** The section titled `title` (its heading starts with it). */
const sectionOf = (title: string) =>
  screen.getByRole('region', { name: new RegExp(`^${title}`) });

describe('ReviewPage', () => {
  it('says what to do before an entity is picked, and asks for no agenda', async () => {
    const getReview = jest.fn();
    const getEntities = jest.fn().mockResolvedValue({ items: catalogEntities });
    await renderAt('/', { getReview }, getEntities);
    expect(
      screen.getByText(
        'Pick a System or team to see what needs deciding this week',
      ),
    ).toBeInTheDocument();
    expect(getReview).not.toHaveBeenCalled();
    expect(getEntities).toHaveBeenCalledWith({
      filter: { kind: ['System', 'Group'] },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'spec.profile.displayName',
      ],
    });
    expect(
      screen.queryByRole('button', { name: 'Print' }),
    ).not.toBeInTheDocument();
  });

  it('lists Systems and teams by title or display name, grouped by kind', async () => {
    await renderAt('/', { getReview: jest.fn() });
    await userEvent.click(picker());
    const listbox = await screen.findByRole('listbox');
    await waitFor(() =>
      expect(within(listbox).getAllByRole('option')).toHaveLength(3),
    );
    expect(
      within(listbox)
        .getAllByRole('option')
        .map(option => option.querySelector('span')!.textContent),
    ).toEqual(['identity', 'Payments', 'Commerce Team']);
    expect(within(listbox).getByText('Systems')).toBeInTheDocument();
    expect(within(listbox).getByText('Teams and groups')).toBeInTheDocument();
    // the Group's option sits in the teams' group
    const teams = within(listbox).getByText('Teams and groups').parentElement!;
    expect(teams).toHaveTextContent('Commerce Team');
    expect(teams).not.toHaveTextContent('Payments');
  });

  it('puts the chosen System in the URL and asks for its agenda', async () => {
    const getReview = jest.fn().mockResolvedValue(agenda);
    await renderAt('/', { getReview });
    await userEvent.click(picker());
    await userEvent.click(
      await screen.findByRole('option', { name: /Payments/ }),
    );
    await waitFor(() =>
      expect(urlParams().get('entity')).toBe('system:default/payments'),
    );
    expect(urlParams().has('until')).toBe(false);
    expect(getReview).toHaveBeenCalledWith('system:default/payments', {});
    expect(
      await screen.findByRole('heading', { name: /^KPIs that got worse/ }),
    ).toBeInTheDocument();
    expect(picker()).toHaveValue('Payments');
  });

  it('passes until from the URL through, and keeps it when another entity is chosen', async () => {
    const getReview = jest.fn().mockResolvedValue(agenda);
    await renderAt(
      '/?entity=system:default/payments&until=2026-11-30T00:00:00Z',
      { getReview },
    );
    expect(getReview).toHaveBeenCalledWith('system:default/payments', {
      until: '2026-11-30T00:00:00Z',
    });
    await userEvent.click(picker());
    await userEvent.click(
      await screen.findByRole('option', { name: /Commerce Team/ }),
    );
    await waitFor(() =>
      expect(getReview).toHaveBeenLastCalledWith(
        'group:default/commerce-team',
        {
          until: '2026-11-30T00:00:00Z',
        },
      ),
    );
    expect(urlParams().get('entity')).toBe('group:default/commerce-team');
    expect(urlParams().get('until')).toBe('2026-11-30T00:00:00Z');
  });

  it('shows an entity of another kind from a link as selected, by its lower-case ref', async () => {
    const getReview = jest.fn().mockResolvedValue(nothingToReview);
    await renderAt('/?entity=Component:Checkout', { getReview });
    expect(getReview).toHaveBeenCalledWith('component:default/checkout', {});
    await waitFor(() => expect(picker()).toHaveValue('checkout'));
    expect(
      await screen.findByRole('heading', { name: /^KPIs that got worse/ }),
    ).toBeInTheDocument();
  });

  it('heads the agenda with the week, the KPI window and the entities reviewed, and the four sections in order', async () => {
    await renderAt('/?entity=system:default/payments', {
      getReview: jest.fn().mockResolvedValue(agenda),
    });
    expect(
      await screen.findByText(
        'Payments · Week 23 Nov – 29 Nov 2026 (UTC) · 30-day KPIs against a week earlier · 2 entities reviewed',
      ),
    ).toBeInTheDocument();
    expect(
      screen
        .getAllByRole('heading', { level: 2 })
        .map(heading => heading.textContent),
    ).toEqual([
      'KPIs that got worse (2 KPIs)',
      'SLOs spending budget fastest (1 objective)',
      'Overdue critical vulnerabilities (1 vulnerability)',
      'Postmortem actions due or late (1 action)',
    ]);
    // the warnings of the answer
    expect(
      screen.getByText(
        'Deployment frequency rose 50 % while failures got worse.',
      ),
    ).toBeInTheDocument();
  });

  it('shows a KPI that got worse with its change in its unit, missed target, tier change, owners and response', async () => {
    await renderAt('/?entity=system:default/payments', {
      getReview: jest.fn().mockResolvedValue(agenda),
    });
    const row = within(
      (await screen.findByText('Lead time for changes')).closest('tr')!,
    );
    expect(row.getByRole('link', { name: 'checkout' })).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout/kpis',
    );
    const cells = row.getAllByRole('cell');
    expect(cells[2]).toHaveTextContent('19 h → 36 h+17 h (+89 %)Target < 24 h');
    expect(row.getByText('Target missed')).toBeInTheDocument();
    expect(row.getByTestId('tier-change')).toHaveTextContent(
      'DORA tier elite → high',
    );
    expect(row.getByRole('link', { name: 'Bob Builder' })).toHaveAttribute(
      'href',
      '/catalog/default/user/bob',
    );
    expect(row.getByRole('link', { name: 'Commerce Team' })).toHaveAttribute(
      'href',
      '/catalog/default/group/commerce-team',
    );
    expect(row.getByText('Through the tech-lead persona')).toBeInTheDocument();
    expect(
      row.getByText(
        'Look at where changes wait: review queue, CI, release train.',
      ),
    ).toBeInTheDocument();
  });

  it('writes the change of a fraction in points, and says how to name the owner of an ownerless line', async () => {
    await renderAt('/?entity=system:default/payments', {
      getReview: jest.fn().mockResolvedValue(agenda),
    });
    await screen.findByText('Alert noise');
    const row = rowOf('Alert noise');
    expect(row).toHaveTextContent('25 % → 32 %+7 pts');
    expect(row).not.toHaveTextContent(/\+28 %/);
    expect(within(row).queryByText('Target missed')).not.toBeInTheDocument();
    expect(within(row).queryByTestId('tier-change')).not.toBeInTheDocument();
    expect(within(row).getByText('No owner')).toBeInTheDocument();
    expect(row).toHaveTextContent(
      'Add devops-personas.io/kpi-owner.alert-noise to the entity',
    );
    expect(
      within(row).getByText('Tune or delete the noisiest alerts.'),
    ).toBeInTheDocument();
  });

  it('shows the SLOs, vulnerabilities and postmortem actions with their owners', async () => {
    await renderAt('/?entity=system:default/payments', {
      getReview: jest.fn().mockResolvedValue(agenda),
    });
    await screen.findByText('Checkout availability');

    const slo = within(sectionOf('SLOs spending budget fastest'));
    expect(slo.getByRole('link', { name: 'checkout' })).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout/slos',
    );
    expect(slo.getByText('Successful requests · target 99.90 %')).toBeVisible();
    expect(
      slo.getByText('42 % of the budget spent this week'),
    ).toBeInTheDocument();
    expect(slo.getByText('18 % left')).toBeInTheDocument();
    expect(slo.getByText('PAGE')).toBeInTheDocument();
    expect(slo.getByRole('link', { name: 'Carol Danvers' })).toBeVisible();
    expect(slo.getByText('Set on this entity')).toBeInTheDocument();
    expect(
      slo.getByText('Freeze risky releases until the budget recovers.'),
    ).toBeInTheDocument();

    const vulnerability = within(sectionOf('Overdue critical vulnerabilities'));
    expect(
      vulnerability.getByRole('link', { name: /^GHSA-4f8r-q2vm-9xj3/ }),
    ).toHaveAttribute(
      'href',
      'https://github.com/advisories/GHSA-4f8r-q2vm-9xj3',
    );
    expect(vulnerability.getByText('Overdue since 3 Nov 2026')).toBeVisible();
    expect(vulnerability.getByText('Detected 20 Oct 2026')).toBeVisible();
    expect(
      vulnerability.getByRole('link', { name: 'Erin Hale' }),
    ).toBeVisible();
    expect(
      vulnerability.getByText('Patch or mitigate within the SLA.'),
    ).toBeInTheDocument();

    const action = within(sectionOf('Postmortem actions due or late'));
    expect(action.getByText('PM-12')).toBeInTheDocument();
    expect(action.getByText('INC-42')).toBeInTheDocument();
    expect(action.getByText('Late')).toBeInTheDocument();
    expect(action.getByText('Was due 20 Nov 2026')).toBeInTheDocument();
    expect(action.getByRole('link', { name: 'Commerce Team' })).toHaveAttribute(
      'href',
      '/catalog/default/group/commerce-team',
    );
    expect(
      action.getByText('Close the action or agree a new date.'),
    ).toBeInTheDocument();
  });

  it('gives its chips white text on fills of at least 4.5:1', async () => {
    await renderAt('/?entity=system:default/payments', {
      getReview: jest.fn().mockResolvedValue(agenda),
    });
    await screen.findByText('Lead time for changes');
    for (const label of ['Target missed', 'Late', 'PAGE']) {
      const chip = screen
        .getByText(label)
        .closest<HTMLElement>('[class*="MuiChip-root"]')!;
      expect(
        contrastRatio(chip.style.backgroundColor, chip.style.color),
      ).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('says so, section by section, when there is nothing to review', async () => {
    await renderAt('/?entity=component:default/checkout', {
      getReview: jest.fn().mockResolvedValue(nothingToReview),
    });
    expect(
      await screen.findByText('No KPI got worse since last week.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'No SLO spent error budget this week, and none is alerting.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No critical vulnerability is past its fix time.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'No postmortem action is late or due in the coming week.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'KPIs that got worse (0 KPIs)' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(document.body).toHaveTextContent('1 entity reviewed');
  });

  it('says how many Components a very large review left out of the KPI comparison', async () => {
    await renderAt('/?entity=group:default/everyone', {
      getReview: jest.fn().mockResolvedValue({ ...agenda, kpisOmitted: 12 }),
    });
    expect(
      await screen.findByText(
        'The KPIs of 12 more Components were not compared: one review compares at most 300. Review their Systems or teams one by one.',
      ),
    ).toBeInTheDocument();
  });

  it('says when the entity is not in the catalog, and asks again on retry', async () => {
    const error = await ResponseError.fromResponse({
      ok: false,
      status: 404,
      statusText: 'Not Found',
      headers: new Headers({ 'content-type': 'application/json' }),
      text: async () =>
        JSON.stringify({
          error: {
            name: 'NotFoundError',
            message: 'No entity system:default/nope in the catalog',
          },
          response: { statusCode: 404 },
        }),
    } as unknown as Response);
    const getReview = jest
      .fn()
      .mockRejectedValueOnce(error)
      .mockResolvedValue(agenda);
    await renderAt('/?entity=system:default/nope', { getReview });
    expect(
      await screen.findByText(
        /Could not load the weekly review of system:default\/nope/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/The catalog does not know this entity/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'The server answered 404: No entity system:default/nope in the catalog',
      ),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(
      await screen.findByRole('heading', { name: /^KPIs that got worse/ }),
    ).toBeInTheDocument();
    expect(getReview).toHaveBeenCalledTimes(2);
    expect(
      screen.queryByText(/The catalog does not know this entity/),
    ).not.toBeInTheDocument();
  });

  it('shows progress while the agenda loads', async () => {
    await renderAt('/?entity=system:default/payments', {
      getReview: () => never(),
    });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('says when the entity parameter is no entity ref, and asks for nothing', async () => {
    const getReview = jest.fn();
    await renderAt('/?entity=payments', { getReview });
    expect(
      screen.getByText(/“payments” is not an entity reference/),
    ).toBeInTheDocument();
    expect(getReview).not.toHaveBeenCalled();
  });

  it('still takes an entity from the URL when the catalog cannot list Systems and teams', async () => {
    const getReview = jest.fn().mockResolvedValue(agenda);
    await renderAt(
      '/?entity=system:default/payments',
      { getReview },
      jest.fn().mockRejectedValue(new Error('catalog unavailable')),
    );
    expect(
      await screen.findByText(
        'Could not list the Systems and teams: catalog unavailable',
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('heading', { name: /^KPIs that got worse/ }),
    ).toBeInTheDocument();
    expect(picker()).toHaveValue('payments');
  });

  it('goes to the previous week through until, and has no next week for the current one', async () => {
    const getReview = jest.fn().mockResolvedValue(agenda);
    await renderAt('/?entity=system:default/payments', { getReview });
    expect(
      await screen.findByRole('button', { name: 'Next week' }),
    ).toBeDisabled();
    await userEvent.click(
      screen.getByRole('button', { name: 'Previous week' }),
    );
    await waitFor(() =>
      expect(urlParams().get('until')).toBe('2026-11-23T00:00:00.000Z'),
    );
    expect(getReview).toHaveBeenLastCalledWith('system:default/payments', {
      until: '2026-11-23T00:00:00.000Z',
    });
  });

  it('prints, hiding the picker and the buttons, the sidebar and the header banner', async () => {
    const print = jest.spyOn(window, 'print').mockImplementation(() => {});
    try {
      await renderAt('/?entity=system:default/payments', {
        getReview: jest.fn().mockResolvedValue(agenda),
      });
      await userEvent.click(
        await screen.findByRole('button', { name: 'Print' }),
      );
      expect(print).toHaveBeenCalledTimes(1);
      const css = Array.from(document.querySelectorAll('style'))
        .map(style => style.textContent)
        .join('\n');
      expect(css).toMatch(
        /@media print\s*{[^}]*nav\[aria-label="sidebar nav"\]\s*{\s*display: none !important/,
      );
      expect(css).toMatch(
        /\[data-backstage-core-header\] \*\s*{\s*color: #000 !important/,
      );
      // the toolbar (picker and buttons) is of the class hidden in print
      const toolbar = picker().closest('[class*="noPrint"]');
      expect(toolbar).toContainElement(
        screen.getByRole('button', { name: 'Print' }),
      );
      expect(css).toMatch(
        new RegExp(
          `@media print\\s*{\\s*\\.${Array.from(toolbar!.classList).find(c =>
            c.includes('noPrint'),
          )!}\\s*{\\s*display: none !important`,
        ),
      );
    } finally {
      print.mockRestore();
    }
  });
});
