import { screen, within } from '@testing-library/react';
import { OverviewResponse } from '@internal/plugin-devops-personas-common';
import { OverviewPage } from './OverviewPage';
import { never, renderWith } from '../../__testUtils__/render';

const overview: OverviewResponse = {
  total: 1,
  offset: 0,
  limit: 25,
  items: [
    {
      entityRef: 'component:default/legacy-billing',
      kind: 'component',
      title: 'Legacy Billing',
      owner: 'group:default/commerce-team',
      system: null,
      coverage: { explicit: 1, inherited: 0, missing: 6, ratio: 1 / 7 },
      personas: { 'tech-lead': 'explicit' },
      missingCorePersonas: ['product-owner', 'service-owner'],
      ownerlessKpis: ['alert-noise', 'rollback-rate'],
      warningCounts: { 'unassigned-persona': 2, 'ownerless-kpi': 2 },
      doraTiers: {
        'deployment-frequency': 'low',
        'lead-time-for-changes': null,
        'change-failure-rate': null,
        'time-to-restore': null,
      },
    },
  ],
  summary: {
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
  },
};

describe('OverviewPage', () => {
  it('shows the counts and a row per entity linking to its Personas tab', async () => {
    const getOverview = jest.fn().mockResolvedValue(overview);
    await renderWith(<OverviewPage />, { getOverview }, undefined);
    expect(getOverview).toHaveBeenCalledWith(
      expect.objectContaining({ sort: 'warnings', offset: 0, limit: 25 }),
    );
    expect(screen.getByText('77 %')).toBeInTheDocument();
    expect(
      screen.getByText('of 1 entities have unassigned core personas'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Heidi Novak' }),
    ).toBeInTheDocument();
    expect(screen.getByText(/5 hats on/)).toBeInTheDocument();
    const row = screen
      .getByRole('link', { name: 'Legacy Billing' })
      .closest('tr')!;
    expect(
      screen.getByRole('link', { name: 'Legacy Billing' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/legacy-billing/personas',
    );
    expect(
      within(row).getByText('14 % (1 set, 0 inherited, 6 missing)'),
    ).toBeInTheDocument();
    expect(
      within(row).getByText('product-owner, service-owner'),
    ).toBeInTheDocument();
    expect(
      within(row).getByText('DF low · LTFC — · CFR — · TTR —'),
    ).toBeInTheDocument();
  });

  it('says so when no entity matches', async () => {
    await renderWith(
      <OverviewPage />,
      {
        getOverview: jest.fn().mockResolvedValue({
          ...overview,
          total: 0,
          items: [],
          summary: { ...overview.summary, entities: 0, topHatWearers: [] },
        }),
      },
      undefined,
    );
    expect(
      screen.getByText('No entities match these filters.'),
    ).toBeInTheDocument();
    expect(screen.getByText('Nobody is named yet.')).toBeInTheDocument();
  });

  it('shows loading and errors', async () => {
    const { unmount } = await renderWith(
      <OverviewPage />,
      { getOverview: () => never() },
      undefined,
    );
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    unmount();
    await renderWith(
      <OverviewPage />,
      {
        getOverview: jest
          .fn()
          .mockRejectedValue(new Error('sort must be one of')),
      },
      undefined,
    );
    expect(screen.getAllByText(/sort must be one of/).length).toBeGreaterThan(
      0,
    );
  });
});
