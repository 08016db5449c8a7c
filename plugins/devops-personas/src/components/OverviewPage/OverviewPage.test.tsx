import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  OverviewItem,
  OverviewResponse,
  SourcesResponse,
} from '@devops-personas/plugin-devops-personas-common';
import { ResponseError } from '@backstage/errors';
import { useLocation } from 'react-router-dom';
import { OverviewPage } from './OverviewPage';
import { never, renderWith } from '../../__testUtils__/render';
import {
  DevopsPersonasApi,
  devopsPersonasApiRef,
  OverviewQuery,
} from '../../api';

// A whole app per test, and a table of material-table rows: not quick in jsdom.
jest.setTimeout(30_000);

const legacyBilling: OverviewItem = {
  entityRef: 'component:default/legacy-billing',
  kind: 'component',
  title: 'Legacy Billing',
  owner: 'group:default/commerce-team',
  ownerTitle: 'Commerce Team',
  system: null,
  coverage: { explicit: 1, inherited: 0, missing: 6, ratio: 1 / 7 },
  personas: { 'tech-lead': 'explicit' },
  missingCorePersonas: ['product-owner', 'service-owner'],
  ownerlessKpis: ['alert-noise', 'rollback-rate'],
  rollup: null,
  warningCounts: { 'unassigned-persona': 4, 'hero-mode': 1 },
  doraTiers: {
    'deployment-frequency': 'low',
    'lead-time-for-changes': null,
    'change-failure-rate': null,
    'time-to-restore': null,
    'failed-deployment-recovery-time': 'high',
  },
};

const summary: OverviewResponse['summary'] = {
  entities: 1,
  coverage: 0.77,
  entitiesWithGaps: 1,
  ownerlessKpis: 2,
  topHatWearers: [
    {
      holder: 'user:default/heidi',
      displayName: 'Heidi Novak',
      hats: 5,
      entities: 1,
    },
  ],
};

const overview: OverviewResponse = {
  total: 1,
  offset: 0,
  limit: 20,
  items: [legacyBilling],
  summary,
};

/** 16 entities, "Service 1" … "Service 16"; answers the page asked for. */
function pagedApi(total = 16) {
  const all: OverviewItem[] = Array.from({ length: total }, (_, i) => ({
    ...legacyBilling,
    entityRef: `component:default/service-${i + 1}`,
    title: `Service ${i + 1}`,
  }));
  return jest.fn(async (query: OverviewQuery = {}) => {
    const offset = query.offset ?? 0;
    const limit = query.limit ?? 50;
    return {
      total,
      offset,
      limit,
      items: all.slice(offset, offset + limit),
      summary: { ...summary, entities: total },
    } as OverviewResponse;
  });
}

/** No event source installed: the section below the table has nothing to say. */
const noSources = async (): Promise<SourcesResponse> => ({
  sources: [],
  attribution: { rule: 'last-deployment', maxGapSeconds: 86400 },
});

function LocationProbe() {
  const location = useLocation();
  return <div data-testid="location">{location.search}</div>;
}

/** The page at a URL, with a probe showing the URL's query as it changes. */
function renderAt(url: string, api: Partial<DevopsPersonasApi>) {
  return renderInTestApp(
    <TestApiProvider
      apis={[[devopsPersonasApiRef, { getSources: noSources, ...api }]]}
    >
      <OverviewPage />
      <LocationProbe />
    </TestApiProvider>,
    {
      routeEntries: [url],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

const urlParams = () =>
  new URLSearchParams(screen.getByTestId('location').textContent ?? '');

const rowOf = (title: string) =>
  screen.getByRole('link', { name: title }).closest('tr')!;

describe('OverviewPage', () => {
  it('shows the counts and a row per entity linking to its Personas tab', async () => {
    const getOverview = jest.fn().mockResolvedValue(overview);
    await renderWith(
      <OverviewPage />,
      { getOverview, getSources: noSources },
      undefined,
    );
    expect(getOverview).toHaveBeenCalledTimes(1);
    expect(getOverview).toHaveBeenCalledWith(
      expect.objectContaining({
        sort: 'warnings',
        order: 'desc',
        offset: 0,
        limit: 20,
      }),
    );
    expect(screen.getByText('77 %')).toBeInTheDocument();
    expect(
      screen.getByText('of 1 entity has unassigned core personas'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Heidi Novak' }),
    ).toBeInTheDocument();
    expect(screen.getByText(/5 hats on 1 entity$/)).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Legacy Billing' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/legacy-billing/personas',
    );
    const row = rowOf('Legacy Billing');
    expect(within(row).getByText('14 %')).toBeInTheDocument();
    expect(
      within(row).getByText('1 set, 0 inherited, 6 missing'),
    ).toBeInTheDocument();
    expect(within(row).getByText('Component')).toBeInTheDocument();
    expect(
      within(row).getByRole('link', { name: 'Commerce Team' }),
    ).toBeInTheDocument();
  });

  it('says warnings, personas and DORA tiers in words, with the codes in tooltips', async () => {
    await renderWith(
      <OverviewPage />,
      {
        getOverview: jest.fn().mockResolvedValue(overview),
        getSources: noSources,
      },
      undefined,
    );
    const row = rowOf('Legacy Billing');
    expect(within(row).getByText('4 unassigned personas')).toHaveAttribute(
      'title',
      'unassigned-persona',
    );
    expect(
      within(row).getByText('1 person wearing too many hats'),
    ).toHaveAttribute('title', 'hero-mode');
    expect(within(row).getByText('Product Owner')).toHaveAttribute(
      'title',
      'product-owner',
    );
    expect(within(row).getByText('2 KPIs without an owner')).toHaveAttribute(
      'title',
      'alert-noise, rollback-rate',
    );
    expect(within(row).getByText('Deploys: low')).toHaveAttribute(
      'title',
      'Deployment frequency (deployment-frequency): low',
    );
    expect(within(row).getByText('Lead time: no tier')).toHaveAttribute(
      'title',
      'Lead time for changes (lead-time-for-changes): no tier (no data, or too small a sample)',
    );
    expect(within(row).getByText('Recovery: high')).toHaveAttribute(
      'title',
      'Failed deployment recovery time (failed-deployment-recovery-time): high',
    );
    expect(
      within(row).getByText('Commerce Team').closest('[title]'),
    ).toHaveAttribute('title', 'group:default/commerce-team');
    // no raw codes as text
    expect(row.textContent).not.toMatch(
      /unassigned-persona|hero-mode|deployment-frequency|recovery-time|DF low|product-owner/,
    );
  });

  it('shows how many Components a rollup row covers and links to those with gaps', async () => {
    const rollupRow = (
      ref: string,
      title: string,
      rollup: OverviewItem['rollup'],
    ): OverviewItem => ({
      ...legacyBilling,
      entityRef: ref,
      kind: ref.split(':')[0],
      title,
      ownerlessKpis: [],
      missingCorePersonas: [],
      rollup,
      warningCounts: {},
      owner: ref.startsWith('group:') ? null : legacyBilling.owner,
      ownerTitle: ref.startsWith('group:') ? null : legacyBilling.ownerTitle,
    });
    const getOverview = jest.fn().mockResolvedValue({
      ...overview,
      total: 3,
      items: [
        rollupRow('system:default/payments', 'Payments', {
          components: 8,
          withOwnerlessKpis: 3,
        }),
        rollupRow('domain:default/commerce', 'Commerce', {
          components: 1,
          withOwnerlessKpis: 1,
        }),
        rollupRow('group:default/sre-team', 'SRE Team', {
          components: 4,
          withOwnerlessKpis: 0,
        }),
      ],
    });
    await renderAt('/devops-personas?kind=system', { getOverview });
    const link = within(rowOf('Payments')).getByRole('link', {
      name: '3 of 8 Components have ownerless KPIs',
    });
    expect(
      within(rowOf('Commerce')).getByText(
        '1 of 1 Component has ownerless KPIs',
      ),
    ).toBeInTheDocument();
    // a rollup without gaps says nothing about ownerless KPIs
    expect(rowOf('SRE Team').textContent).not.toMatch(/ownerless/);
    expect(within(rowOf('SRE Team')).getByText('No owner')).toBeInTheDocument();

    await userEvent.click(link);
    await waitFor(() =>
      expect(getOverview).toHaveBeenLastCalledWith(
        expect.objectContaining({
          within: 'system:default/payments',
          gap: 'ownerless-kpis',
          kind: undefined,
          offset: 0,
        }),
      ),
    );
    expect(urlParams().get('within')).toBe('system:default/payments');
    expect(screen.getByLabelText('Within')).toHaveValue(
      'system:default/payments',
    );
  });

  it('pages through the entities, asking for the page shown, and back', async () => {
    const getOverview = pagedApi(16);
    await renderAt('/devops-personas', { getOverview });
    expect(getOverview).toHaveBeenLastCalledWith(
      expect.objectContaining({ offset: 0, limit: 20 }),
    );
    const sizes = screen.getByLabelText('Rows per page');
    expect(
      within(sizes)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['5', '10', '20']);

    await userEvent.selectOptions(sizes, '5');
    expect(await screen.findByText('1-5 of 16')).toBeInTheDocument();
    expect(getOverview).toHaveBeenLastCalledWith(
      expect.objectContaining({ offset: 0, limit: 5 }),
    );
    expect(urlParams().get('pageSize')).toBe('5');

    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('6-10 of 16')).toBeInTheDocument();
    expect(getOverview).toHaveBeenLastCalledWith(
      expect.objectContaining({ offset: 5, limit: 5 }),
    );
    expect(
      await screen.findByRole('link', { name: 'Service 6' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Service 10' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Service 5' })).toBeNull();
    expect(screen.queryByText('No entities match these filters.')).toBeNull();
    expect(urlParams().get('page')).toBe('2');

    await userEvent.click(
      screen.getByRole('button', { name: 'Previous page' }),
    );
    expect(
      await screen.findByRole('link', { name: 'Service 1' }),
    ).toBeInTheDocument();
    expect(getOverview).toHaveBeenLastCalledWith(
      expect.objectContaining({ offset: 0, limit: 5 }),
    );
    expect(screen.queryByRole('link', { name: 'Service 6' })).toBeNull();
    expect(urlParams().get('page')).toBeNull();
  });

  it('keeps the previous rows, dimmed, while the next page loads', async () => {
    const answer = pagedApi(16);
    const getOverview = jest
      .fn()
      .mockImplementationOnce(answer)
      .mockImplementation(() => never());
    await renderAt('/devops-personas?pageSize=5', { getOverview });
    expect(
      await screen.findByRole('link', { name: 'Service 1' }),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(getOverview).toHaveBeenCalledTimes(2);
    expect(screen.getByRole('link', { name: 'Service 1' })).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Service 1' }).closest('[aria-busy]'),
    ).toHaveAttribute('aria-busy', 'true');
    expect(screen.queryByTestId('progress')).toBeNull();
  });

  it('sorts on the server when a column header is clicked', async () => {
    const getOverview = pagedApi(16);
    await renderAt('/devops-personas?page=2&pageSize=5', { getOverview });
    expect(getOverview).toHaveBeenLastCalledWith(
      expect.objectContaining({ sort: 'warnings', order: 'desc', offset: 5 }),
    );
    // the default sort is shown on its header
    expect(
      screen.getByRole('button', { name: 'Warnings, sorted descending' }),
    ).toBeInTheDocument();
    // DORA tiers are not sortable: no button
    expect(screen.queryByRole('button', { name: /DORA/ })).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Owner' }));
    await waitFor(() =>
      expect(getOverview).toHaveBeenLastCalledWith(
        expect.objectContaining({ sort: 'owner', order: 'asc', offset: 0 }),
      ),
    );
    expect(urlParams().get('sort')).toBe('owner');
    expect(urlParams().get('page')).toBeNull();

    await userEvent.click(
      screen.getByRole('button', { name: 'Owner, sorted ascending' }),
    );
    await waitFor(() =>
      expect(getOverview).toHaveBeenLastCalledWith(
        expect.objectContaining({ sort: 'owner', order: 'desc' }),
      ),
    );
    expect(urlParams().get('order')).toBe('desc');

    await userEvent.click(screen.getByRole('button', { name: 'Entity' }));
    await waitFor(() =>
      expect(getOverview).toHaveBeenLastCalledWith(
        expect.objectContaining({ sort: 'title', order: 'asc' }),
      ),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Gaps' }));
    await waitFor(() =>
      expect(getOverview).toHaveBeenLastCalledWith(
        expect.objectContaining({ sort: 'gaps', order: 'desc' }),
      ),
    );
  });

  it('sends the owner as typed, a display name, and keeps it in the URL', async () => {
    const getOverview = pagedApi(16);
    await renderAt('/devops-personas?page=2', { getOverview });
    await userEvent.type(screen.getByLabelText('Owner'), 'Commerce Team');
    await waitFor(() =>
      expect(getOverview).toHaveBeenLastCalledWith(
        expect.objectContaining({ owner: 'Commerce Team', offset: 0 }),
      ),
    );
    // not one request per key stroke
    expect(
      getOverview.mock.calls.filter(
        ([q]) => q?.owner && q.owner !== 'Commerce Team',
      ),
    ).toHaveLength(0);
    expect(urlParams().get('owner')).toBe('Commerce Team');
    expect(urlParams().get('page')).toBeNull();
  });

  it('reads filters, sort and page from the URL, and writes changes back', async () => {
    const getOverview = pagedApi(16);
    await renderAt(
      '/devops-personas?owner=Commerce%20Team&page=2&pageSize=5&sort=coverage&order=desc&gap=missing-personas&within=system:default/payments&system=payments',
      { getOverview },
    );
    expect(getOverview).toHaveBeenCalledTimes(1);
    expect(getOverview).toHaveBeenCalledWith({
      kind: undefined,
      owner: 'Commerce Team',
      system: 'payments',
      within: 'system:default/payments',
      gap: 'missing-personas',
      sort: 'coverage',
      order: 'desc',
      offset: 5,
      limit: 5,
    });
    expect(screen.getByLabelText('Owner')).toHaveValue('Commerce Team');
    expect(screen.getByLabelText('System')).toHaveValue('payments');
    expect(screen.getByLabelText('Within')).toHaveValue(
      'system:default/payments',
    );
    expect(screen.getByLabelText('Gap')).toHaveValue('missing-personas');
    expect(screen.getByLabelText('Rows per page')).toHaveValue('5');
    expect(screen.getByText('6-10 of 16')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Coverage, sorted descending' }),
    ).toBeInTheDocument();

    await userEvent.selectOptions(screen.getByLabelText('Kind'), 'system');
    await waitFor(() =>
      expect(getOverview).toHaveBeenLastCalledWith(
        expect.objectContaining({
          kind: 'system',
          owner: 'Commerce Team',
          offset: 0,
          limit: 5,
        }),
      ),
    );
    const params = urlParams();
    expect(params.get('kind')).toBe('system');
    expect(params.get('owner')).toBe('Commerce Team');
    expect(params.get('sort')).toBe('coverage');
    expect(params.get('pageSize')).toBe('5');
    expect(params.get('page')).toBeNull();
  });

  it('says so when no entity matches, and clears the filters', async () => {
    const getOverview = jest.fn(async (query: OverviewQuery = {}) =>
      query.owner
        ? {
            ...overview,
            total: 0,
            items: [],
            summary: { ...summary, entities: 0, topHatWearers: [] },
          }
        : overview,
    );
    await renderAt('/devops-personas?owner=nobody&gap=ownerless-kpis', {
      getOverview,
    });
    expect(
      screen.getByText('No entities match these filters.'),
    ).toBeInTheDocument();
    expect(screen.getByText('Nobody is named yet.')).toBeInTheDocument();
    expect(screen.getByText('0 entities')).toBeInTheDocument();
    const clear = screen.getAllByRole('button', { name: 'Clear filters' });
    await userEvent.click(clear[clear.length - 1]);
    expect(
      await screen.findByRole('link', { name: 'Legacy Billing' }),
    ).toBeInTheDocument();
    expect(getOverview).toHaveBeenLastCalledWith(
      expect.objectContaining({ owner: undefined, gap: undefined }),
    );
    expect(urlParams().get('owner')).toBeNull();
    expect(urlParams().get('gap')).toBeNull();
    expect(screen.getByLabelText('Owner')).toHaveValue('');
  });

  it('shows the event sources below the table, and the table when they fail to load', async () => {
    const getSources = jest
      .fn()
      .mockRejectedValueOnce(new Error('sources: connection reset'))
      .mockResolvedValue({
        sources: [
          {
            id: 'github',
            title: 'GitHub',
            topics: ['github'],
            annotation: 'github.com/project-slug',
            counts: {
              received: 2,
              stored: 1,
              dropped: { ignored: 1 },
              ignoredReasons: {},
            },
            lastError: null,
            ambiguities: [],
          },
        ],
        attribution: { rule: 'explicit', maxGapSeconds: 86400 },
      } satisfies SourcesResponse);
    await renderWith(
      <OverviewPage />,
      { getOverview: jest.fn().mockResolvedValue(overview), getSources },
      undefined,
    );
    // the overview is whole although the sources failed
    expect(
      screen.getByRole('link', { name: 'Legacy Billing' }),
    ).toBeInTheDocument();
    const section = screen.getByRole('region', { name: 'Event sources' });
    expect(section).toHaveTextContent('Could not load the event sources');
    expect(section).toHaveTextContent('sources: connection reset');
    expect(
      rowOf('Legacy Billing').compareDocumentPosition(section) &
        Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();

    await userEvent.click(
      within(section).getByRole('button', { name: 'Try again' }),
    );
    expect(
      await within(section).findByRole('region', { name: 'GitHub' }),
    ).toHaveTextContent('2 payloads received · 1 event stored · 1 dropped');
    expect(section).toHaveTextContent(
      'An incident counts against a deployment only when it names it',
    );
  });

  it('shows loading, then an error with a retry that asks again', async () => {
    const { unmount } = await renderWith(
      <OverviewPage />,
      { getOverview: () => never(), getSources: noSources },
      undefined,
    );
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    unmount();

    const body = {
      error: {
        name: 'InputError',
        message: 'within: there is no system:default/nowhere in the catalog',
      },
      response: { statusCode: 400 },
    };
    const error = await ResponseError.fromResponse({
      ok: false,
      status: 400,
      statusText: 'Bad Request',
      headers: new Headers({ 'content-type': 'application/json' }),
      text: async () => JSON.stringify(body),
    } as unknown as Response);
    const getOverview = jest
      .fn()
      .mockRejectedValueOnce(error)
      .mockResolvedValue(overview);
    await renderWith(
      <OverviewPage />,
      { getOverview, getSources: noSources },
      undefined,
    );
    expect(screen.getByText(/Could not load the overview/)).toBeInTheDocument();
    expect(
      screen.getByText(/within: there is no system:default\/nowhere/),
    ).toBeInTheDocument();
    expect(getOverview).toHaveBeenCalledTimes(1);
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(
      await screen.findByRole('link', { name: 'Legacy Billing' }),
    ).toBeInTheDocument();
    expect(getOverview).toHaveBeenCalledTimes(2);
    expect(screen.queryByText(/Could not load the overview/)).toBeNull();
  });
});
