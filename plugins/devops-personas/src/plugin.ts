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

/**
 * Route of the org overview page (`DevopsPersonasOverviewPage`).
 *
 * @public
 */
export const rootRouteRef = createRouteRef({ id: 'devops-personas' });

/**
 * Route of the entity tabs (`EntityPersonasContent` and the others); mounted
 * under the catalog entity page.
 *
 * @public
 */
export const entityContentRouteRef = createRouteRef({
  id: 'devops-personas:entity',
});

/**
 * Route of the weekly review page (`DevopsPersonasReviewPage`); the KPIs tab
 * links to it with `?entity=<ref>`.
 *
 * @public
 */
export const reviewRouteRef = createRouteRef({ id: 'devops-personas:review' });

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
  routes: {
    root: rootRouteRef,
    entityContent: entityContentRouteRef,
    review: reviewRouteRef,
  },
});

/**
 * Whether the DevOps Personas tabs have something to show for an entity:
 * always. An entity without any `devops-personas.io/*` annotation still
 * inherits personas from its System and Domain (or from config defaults), and
 * when nothing is assigned the tab says which annotations to add. Use it as
 * `<EntityLayout.Route if={isDevopsPersonasAvailable} ...>` or in an
 * `EntitySwitch.Case`, or replace it with your own rule.
 *
 * @public
 */
export function isDevopsPersonasAvailable(_entity: Entity): boolean {
  return true;
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
      import('./components/EntityPersonasContent').then(
        m => m.EntityPersonasContent,
      ),
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
    component: () =>
      import('./components/EntityRaciContent').then(m => m.EntityRaciContent),
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
    component: () =>
      import('./components/EntityKpisContent').then(m => m.EntityKpisContent),
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
    component: () =>
      import('./components/EntitySlosContent').then(m => m.EntitySlosContent),
    mountPoint: entityContentRouteRef,
  }),
);

/**
 * The org-wide overview of gaps: persona coverage, ownerless KPIs, hero mode;
 * and the backend's event sources with what they received, stored and
 * dropped. Takes an optional `eventSourcesDocsUrl`: where your copy of the
 * README's "Event sources" section is published, linked when no source is
 * installed.
 *
 * @public
 */
export const DevopsPersonasOverviewPage = devopsPersonasPlugin.provide(
  createRoutableExtension({
    name: 'DevopsPersonasOverviewPage',
    component: () =>
      import('./components/OverviewPage').then(m => m.OverviewPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The weekly review: for a System or team (or any entity), the KPIs that got
 * worse since the previous week, the SLOs spending their error budget
 * fastest, overdue critical vulnerabilities and postmortem actions due or
 * late, each line with its owner and agreed response; printable. The entity
 * and the end of the week are kept in the URL
 * (`?entity=system:default/payments&until=2026-11-30T00:00:00Z`), so that
 * notification links and bookmarks open the same agenda. Mount it at
 * `/devops-personas/review`.
 *
 * @public
 */
export const DevopsPersonasReviewPage = devopsPersonasPlugin.provide(
  createRoutableExtension({
    name: 'DevopsPersonasReviewPage',
    component: () => import('./components/ReviewPage').then(m => m.ReviewPage),
    mountPoint: reviewRouteRef,
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
    component: {
      lazy: () =>
        import('./components/EntityHatsCard').then(m => m.EntityHatsCard),
    },
  }),
);

/**
 * A card for the Overview tab of Component, System and Domain pages: who
 * wears the core hats (and which are unassigned), the DORA KPIs of the
 * last 30 days with their tiers, the SLOs burning their error budget, and
 * links to the Personas, KPIs and SLOs tabs. Each part loads and fails on
 * its own. Takes `EntityDevopsPersonasSummaryCardProps` (the tab paths).
 *
 * @public
 */
export const EntityDevopsPersonasSummaryCard = devopsPersonasPlugin.provide(
  createComponentExtension({
    name: 'EntityDevopsPersonasSummaryCard',
    component: {
      lazy: () =>
        import('./components/EntityDevopsPersonasSummaryCard').then(
          m => m.EntityDevopsPersonasSummaryCard,
        ),
    },
  }),
);
