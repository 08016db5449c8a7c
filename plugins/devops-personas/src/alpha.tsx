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
import AssignmentIndIcon from '@material-ui/icons/AssignmentInd';

/** The plugin's title, as the app lists its plugins. */
const TITLE = 'DevOps Personas';
/**
 * The overview page's title, in its header and its nav entry: short enough
 * for the sidebar, which cuts "DevOps Personas" off, and the legacy app's
 * sidebar entry says the same.
 */
const OVERVIEW_TITLE = 'Personas';

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

/**
 * An entity tab at `/<name>`. Generic in the name, so that the plugin's type
 * knows each tab's id (`entity-content:devops-personas/<name>`) for
 * `getExtension`.
 */
const tab = <TName extends string>(
  name: TName,
  title: string,
  load: () => Promise<JSX.Element>,
) =>
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

/**
 * The org overview page. The app's nav lists every page that has a route
 * ref, a title and an icon (`app/nav` in `@backstage/plugin-app`), so the
 * icon here gives this page its nav entry, "Personas". The app's page
 * layout shows the title and the icon in its header; the page's content
 * (`NfsOverviewPage`) has no header of its own.
 *
 * @alpha
 */
export const overviewPage = PageBlueprint.make({
  params: {
    path: '/devops-personas',
    title: OVERVIEW_TITLE,
    // MUI v4 icons are sized by the surrounding UI with fontSize="inherit"
    icon: <AssignmentIndIcon fontSize="inherit" />,
    routeRef: overviewRouteRef,
    loader: () =>
      import('./components/OverviewPage').then(m => <m.NfsOverviewPage />),
  },
});

/**
 * The weekly review page: what got worse this week for a System or team, and
 * who owns each line (`?entity=<ref>&until=<ISO>`). Without an icon, it has
 * no nav entry: it is opened from the KPIs tabs, notifications and
 * bookmarks, with an entity and a week in its URL.
 *
 * @alpha
 */
export const reviewPage = PageBlueprint.make({
  name: 'review',
  params: {
    path: '/devops-personas/review',
    title: 'Weekly review',
    routeRef: reviewRouteRef,
    loader: () =>
      import('./components/ReviewPage').then(m => <m.NfsReviewPage />),
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
  // No plugin-wide icon: the nav would list every page of the plugin with
  // it, the weekly review too.
  title: TITLE,
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
