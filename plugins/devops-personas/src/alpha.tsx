/**
 * The DevOps Personas frontend plugin for Backstage's new frontend system.
 *
 * @packageDocumentation
 */
import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { devopsPersonasApiRef, DevopsPersonasClient } from './api';
import { Entity } from '@backstage/catalog-model';

const overviewRouteRef = createRouteRef();
const reviewRouteRef = createRouteRef();

/**
 * The kinds whose pages get the entity tabs in the new frontend system. Users
 * and Groups get the Hats card instead; Locations and Templates have no hats.
 */
const ENTITY_TAB_KINDS = [
  'component',
  'system',
  'domain',
  'api',
  'resource',
  'group',
];
const hasEntityTabs = (entity: Entity) =>
  ENTITY_TAB_KINDS.includes(entity.kind.toLocaleLowerCase('en-US'));

/** @alpha */
export const devopsPersonasApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: devopsPersonasApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DevopsPersonasClient({ discoveryApi, fetchApi }),
    }),
});

const tab = (name: string, title: string, load: () => Promise<JSX.Element>) =>
  EntityContentBlueprint.make({
    name,
    params: { path: `/${name}`, title, filter: hasEntityTabs, loader: load },
  });

/** @alpha */
export const entityPersonasContent = tab('personas', 'Personas', () =>
  import('./components/EntityPersonasContent').then(m => (
    <m.EntityPersonasContent />
  )),
);
/** @alpha */
export const entityRaciContent = tab('raci', 'RACI', () =>
  import('./components/EntityRaciContent').then(m => <m.EntityRaciContent />),
);
/** @alpha */
export const entityKpisContent = tab('kpis', 'KPIs', () =>
  import('./components/EntityKpisContent').then(m => <m.EntityKpisContent />),
);
/** @alpha */
export const entitySlosContent = tab('slos', 'SLOs', () =>
  import('./components/EntitySlosContent').then(m => <m.EntitySlosContent />),
);

/** @alpha */
export const entityHatsCard = EntityCardBlueprint.make({
  name: 'hats',
  params: {
    filter: { kind: { $in: ['user', 'group'] } },
    loader: () =>
      import('./components/EntityHatsCard').then(m => <m.EntityHatsCard />),
  },
});

/**
 * The kinds whose Overview tab gets the summary card, as on the example
 * app's legacy entity pages. Change it in app-config with
 * `app.extensions: [{ 'entity-card:devops-personas/summary': { config: { filter: ... } } }]`.
 */
const SUMMARY_CARD_KINDS = ['component', 'system', 'domain'];

/**
 * The summary card for the entity Overview tab: core hats, DORA KPIs with
 * tiers, SLOs burning budget, and links to the tabs.
 *
 * @alpha
 */
export const entityDevopsPersonasSummaryCard = EntityCardBlueprint.make({
  name: 'summary',
  params: {
    filter: { kind: { $in: SUMMARY_CARD_KINDS } },
    loader: () =>
      import('./components/EntityDevopsPersonasSummaryCard').then(m => (
        <m.EntityDevopsPersonasSummaryCard />
      )),
  },
});

/** @alpha */
export const overviewPage = PageBlueprint.make({
  params: {
    path: '/devops-personas',
    title: 'DevOps Personas',
    routeRef: overviewRouteRef,
    loader: () =>
      import('./components/OverviewPage').then(m => <m.OverviewPage />),
  },
});

/**
 * The weekly review page: what got worse this week for a System or team, and
 * who owns each line (`?entity=<ref>&until=<ISO>`).
 *
 * @alpha
 */
export const reviewPage = PageBlueprint.make({
  name: 'review',
  params: {
    path: '/devops-personas/review',
    title: 'Weekly review',
    routeRef: reviewRouteRef,
    loader: () => import('./components/ReviewPage').then(m => <m.ReviewPage />),
  },
});

/**
 * DevOps Personas for the new frontend system: the Personas, RACI, KPIs and
 * SLOs entity tabs, the Hats card, the Overview summary card, the org
 * overview page and the weekly review page.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'devops-personas',
  routes: { root: overviewRouteRef, review: reviewRouteRef },
  extensions: [
    devopsPersonasApi,
    entityPersonasContent,
    entityRaciContent,
    entityKpisContent,
    entitySlosContent,
    entityHatsCard,
    entityDevopsPersonasSummaryCard,
    overviewPage,
    reviewPage,
  ],
});
