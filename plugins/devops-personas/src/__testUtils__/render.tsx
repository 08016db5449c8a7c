import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ReactElement } from 'react';
import { DevopsPersonasApi, devopsPersonasApiRef } from '../api';

export const checkout: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout', namespace: 'default' },
  spec: { type: 'service', owner: 'commerce-team', system: 'payments' },
};

/** Renders a component in a test app with a fake API and, optionally, an entity. */
export function renderWith(
  element: ReactElement,
  api: Partial<DevopsPersonasApi>,
  entity: Entity | undefined = checkout,
) {
  return renderInTestApp(
    <TestApiProvider apis={[[devopsPersonasApiRef, api]]}>
      {entity ? (
        <EntityProvider entity={entity}>{element}</EntityProvider>
      ) : (
        element
      )}
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

/** A promise that never settles: the loading state. */
export const never = <T,>() => new Promise<T>(() => {});
