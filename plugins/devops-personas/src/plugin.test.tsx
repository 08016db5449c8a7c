import { Entity } from '@backstage/catalog-model';
import { getComponentData } from '@backstage/core-plugin-api';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import {
  devopsPersonasPlugin,
  DevopsPersonasOverviewPage,
  DevopsPersonasReviewPage,
  EntityDevopsPersonasSummaryCard,
  entityContentRouteRef,
  EntityHatsCard,
  EntityPersonasContent,
  isDevopsPersonasAvailable,
  reviewRouteRef,
} from './index';
import { checkout, never, renderWith } from './__testUtils__/render';
import { devopsPersonasApiRef } from './api';

const entity = (
  kind: string,
  annotations: Record<string, string> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'x', annotations },
});

describe('devopsPersonasPlugin', () => {
  it('has the plugin id and registers the API client', () => {
    expect(devopsPersonasPlugin.getId()).toBe('devops-personas');
    const apis = [...devopsPersonasPlugin.getApis()];
    expect(apis.map(factory => factory.api.id)).toEqual([
      'plugin.devops-personas.service',
    ]);
    expect(apis[0].api).toBe(devopsPersonasApiRef);
    expect(Object.keys(apis[0].deps).sort()).toEqual([
      'discoveryApi',
      'fetchApi',
    ]);
  });

  it('provides the Personas tab as a routable extension of this plugin', () => {
    const element = <EntityPersonasContent />;
    expect(getComponentData(element, 'core.mountPoint')).toBe(
      entityContentRouteRef,
    );
    expect(getComponentData(element, 'core.plugin')).toBe(devopsPersonasPlugin);
  });

  it('provides the weekly review page, mounted at the review route', () => {
    const element = <DevopsPersonasReviewPage />;
    expect(getComponentData(element, 'core.mountPoint')).toBe(reviewRouteRef);
    expect(getComponentData(element, 'core.plugin')).toBe(devopsPersonasPlugin);
    expect(devopsPersonasPlugin.routes.review).toBe(reviewRouteRef);
  });

  it('provides the Hats card and the summary card as component extensions of this plugin', () => {
    for (const element of [
      <EntityHatsCard />,
      <EntityDevopsPersonasSummaryCard />,
    ]) {
      expect(getComponentData(element, 'core.plugin')).toBe(
        devopsPersonasPlugin,
      );
      expect(getComponentData(element, 'core.mountPoint')).toBeUndefined();
    }
  });

  it('loads the summary card, which asks for the personas, KPIs and SLOs of the entity', async () => {
    const api = {
      getPersonas: jest.fn().mockReturnValue(never()),
      getKpis: jest.fn().mockReturnValue(never()),
      getSlos: jest.fn().mockReturnValue(never()),
    };
    await renderWith(<EntityDevopsPersonasSummaryCard />, api, checkout);
    expect(await screen.findByText('DevOps Personas')).toBeInTheDocument();
    expect(api.getPersonas).toHaveBeenCalled();
    expect(api.getKpis).toHaveBeenCalledWith(
      { kind: 'Component', namespace: 'default', name: 'checkout' },
      { window: '30d' },
    );
    expect(api.getSlos).toHaveBeenCalled();
  });
});

describe('the legacy pages', () => {
  // the legacy app has no page layout: the pages bring their own header
  const renderPage = (element: JSX.Element) =>
    renderInTestApp(
      <TestApiProvider
        apis={[
          [
            devopsPersonasApiRef,
            {
              getOverview: jest.fn().mockReturnValue(never()),
              getSources: jest.fn().mockReturnValue(never()),
              getReview: jest.fn(),
            },
          ],
          [catalogApiRef, { getEntities: async () => ({ items: [] }) }],
        ]}
      >
        <Routes>
          <Route path="/" element={element} />
        </Routes>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );

  it.each([
    [
      'DevOps Personas',
      <DevopsPersonasOverviewPage />,
      'Who decides, who is accountable: the gaps across the catalog',
    ],
    [
      'Weekly review',
      <DevopsPersonasReviewPage />,
      'What got worse this week, and who owns each line: for a System or a team',
    ],
  ])(
    'keep their own header, titled %s once, with the subtitle',
    async (title, element, subtitle) => {
      await renderPage(element);
      const heading = await screen.findByRole('heading', { name: title });
      expect(screen.getAllByRole('heading', { level: 1 })).toEqual([heading]);
      const header = heading.closest('[data-backstage-core-header]');
      expect(header).not.toBeNull();
      expect(header).toHaveTextContent(subtitle);
    },
  );
});

describe('isDevopsPersonasAvailable', () => {
  it('is true for every entity, annotated or not, since personas are inherited', () => {
    expect(isDevopsPersonasAvailable(entity('Component'))).toBe(true);
    expect(isDevopsPersonasAvailable(entity('System'))).toBe(true);
    expect(isDevopsPersonasAvailable(entity('Domain'))).toBe(true);
    expect(isDevopsPersonasAvailable(entity('Resource'))).toBe(true);
    expect(
      isDevopsPersonasAvailable(
        entity('Component', { 'devops-personas.io/tech-lead': 'bob' }),
      ),
    ).toBe(true);
  });
});
