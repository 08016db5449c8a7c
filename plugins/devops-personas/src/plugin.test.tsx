import { Entity } from '@backstage/catalog-model';
import { getComponentData } from '@backstage/core-plugin-api';
import { screen } from '@testing-library/react';
import {
  devopsPersonasPlugin,
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
