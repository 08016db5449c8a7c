import { Entity } from '@backstage/catalog-model';
import { getComponentData } from '@backstage/core-plugin-api';
import {
  devopsPersonasPlugin,
  entityContentRouteRef,
  EntityPersonasContent,
  isDevopsPersonasAvailable,
} from './index';
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
