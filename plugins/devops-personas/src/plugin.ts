import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { devopsPersonasApiRef, DevopsPersonasClient } from './api';

/** @public */
export const rootRouteRef = createRouteRef({ id: 'devops-personas' });
/** @public */
export const entityContentRouteRef = createRouteRef({ id: 'devops-personas:entity' });

/**
 * The DevOps Personas frontend plugin.
 *
 * @public
 */
export const devopsPersonasPlugin = createPlugin({
  id: 'devops-personas',
  apis: [
    createApiFactory({
      api: devopsPersonasApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DevopsPersonasClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef, entityContent: entityContentRouteRef },
});

/**
 * Whether the persona tabs apply to an entity: always for the kinds that
 * carry or inherit personas, since a service without annotations still
 * inherits from its System and Domain (or shows what to add).
 *
 * @public
 */
export function isDevopsPersonasAvailable(entity: Entity): boolean {
  return ['component', 'system', 'domain', 'api', 'resource', 'group'].includes(
    entity.kind.toLowerCase(),
  );
}

/**
 * The Personas tab for entity pages.
 *
 * @public
 */
export const EntityPersonasContent = devopsPersonasPlugin.provide(
  createRoutableExtension({
    name: 'EntityPersonasContent',
    component: () =>
      import('./components/EntityPersonasContent').then(m => m.EntityPersonasContent),
    mountPoint: entityContentRouteRef,
  }),
);

/**
 * The RACI tab for entity pages.
 *
 * @public
 */
export const EntityRaciContent = devopsPersonasPlugin.provide(
  createRoutableExtension({
    name: 'EntityRaciContent',
    component: () => import('./components/EntityRaciContent').then(m => m.EntityRaciContent),
    mountPoint: entityContentRouteRef,
  }),
);

/**
 * The KPIs tab for entity pages (also System, Domain and Group rollups).
 *
 * @public
 */
export const EntityKpisContent = devopsPersonasPlugin.provide(
  createRoutableExtension({
    name: 'EntityKpisContent',
    component: () => import('./components/EntityKpisContent').then(m => m.EntityKpisContent),
    mountPoint: entityContentRouteRef,
  }),
);

/**
 * The SLOs tab for entity pages: OpenSLO objectives, error budgets, burn rates.
 *
 * @public
 */
export const EntitySlosContent = devopsPersonasPlugin.provide(
  createRoutableExtension({
    name: 'EntitySlosContent',
    component: () => import('./components/EntitySlosContent').then(m => m.EntitySlosContent),
    mountPoint: entityContentRouteRef,
  }),
);

/**
 * The org-wide overview of gaps: persona coverage, ownerless KPIs, hero mode.
 *
 * @public
 */
export const DevopsPersonasOverviewPage = devopsPersonasPlugin.provide(
  createRoutableExtension({
    name: 'DevopsPersonasOverviewPage',
    component: () => import('./components/OverviewPage').then(m => m.OverviewPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * A card for User and Group pages: every hat the user or group wears.
 *
 * @public
 */
export const EntityHatsCard = devopsPersonasPlugin.provide(
  createComponentExtension({
    name: 'EntityHatsCard',
    component: { lazy: () => import('./components/EntityHatsCard').then(m => m.EntityHatsCard) },
  }),
);
