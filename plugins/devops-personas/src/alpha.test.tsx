import { isValidElement } from 'react';
import { render, screen, within } from '@testing-library/react';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createApiMock,
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { Entity } from '@backstage/catalog-model';
import AssignmentIndIcon from '@material-ui/icons/AssignmentInd';
import devopsPersonasAlphaPlugin, {
  entityDevopsPersonasSummaryCard,
  entityKpisContent,
  entityPersonasContent,
  entityRaciContent,
  entitySlosContent,
  overviewPage,
  reviewPage,
} from './alpha';
import { devopsPersonasApiRef } from './api';

const component = { kind: 'Component', metadata: { name: 'c' } } as Entity;
const user = { kind: 'User', metadata: { name: 'u' } } as Entity;
const entityOfKind = (kind: string) =>
  ({ kind, metadata: { name: 'x' } } as Entity);

describe('the new frontend system plugin', () => {
  it.each([
    ['Personas', entityPersonasContent, '/personas'],
    ['RACI', entityRaciContent, '/raci'],
    ['KPIs', entityKpisContent, '/kpis'],
    ['SLOs', entitySlosContent, '/slos'],
  ] as const)(
    'provides the %s tab at its path, for components but not users',
    (title, extension, path) => {
      // the four differ in their names' types only
      const tester = createExtensionTester(
        extension as typeof entityPersonasContent,
      );
      expect(tester.get(coreExtensionData.routePath)).toBe(path);
      expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(title);
      const filter = tester.get(
        EntityContentBlueprint.dataRefs.filterFunction,
      )!;
      expect(filter(component)).toBe(true);
      expect(filter(user)).toBe(false);
    },
  );

  it('registers the four entity tabs with the plugin, at their paths and with their titles', () => {
    const tabs = (['personas', 'raci', 'kpis', 'slos'] as const).map(name => {
      const tester = createExtensionTester(
        devopsPersonasAlphaPlugin.getExtension(
          `entity-content:devops-personas/${name}`,
        ),
      );
      return [
        tester.get(coreExtensionData.routePath),
        tester.get(EntityContentBlueprint.dataRefs.title),
      ];
    });
    expect(tabs).toEqual([
      ['/personas', 'Personas'],
      ['/raci', 'RACI'],
      ['/kpis', 'KPIs'],
      ['/slos', 'SLOs'],
    ]);
  });

  it('mounts the overview page at /devops-personas', () => {
    expect(
      createExtensionTester(overviewPage).get(coreExtensionData.routePath),
    ).toBe('/devops-personas');
  });

  it('mounts the weekly review page at /devops-personas/review, registered with the plugin', () => {
    const tester = createExtensionTester(reviewPage);
    expect(tester.get(coreExtensionData.routePath)).toBe(
      '/devops-personas/review',
    );
    const registered = createExtensionTester(
      devopsPersonasAlphaPlugin.getExtension('page:devops-personas/review'),
    );
    expect(registered.get(coreExtensionData.routePath)).toBe(
      '/devops-personas/review',
    );
    expect(Object.keys(devopsPersonasAlphaPlugin.routes).sort()).toEqual([
      'review',
      'root',
    ]);
  });

  it('provides the summary card for the Overview tab of Components, Systems and Domains', () => {
    const tester = createExtensionTester(entityDevopsPersonasSummaryCard);
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction)!;
    expect(filter).toBeDefined();
    for (const kind of ['Component', 'System', 'Domain']) {
      expect(filter(entityOfKind(kind))).toBe(true);
    }
    for (const kind of ['User', 'Group', 'Location', 'Template']) {
      expect(filter(entityOfKind(kind))).toBe(false);
    }
  });

  it('registers the summary card (and the Hats card) with the plugin', () => {
    expect(
      devopsPersonasAlphaPlugin.getExtension(
        'entity-card:devops-personas/summary',
      ),
    ).toBeDefined();
    expect(
      devopsPersonasAlphaPlugin.getExtension(
        'entity-card:devops-personas/hats',
      ),
    ).toBeDefined();
    const tester = createExtensionTester(
      devopsPersonasAlphaPlugin.getExtension(
        'entity-card:devops-personas/summary',
      ),
    );
    expect(
      tester.get(EntityCardBlueprint.dataRefs.filterFunction)!(
        entityOfKind('Component'),
      ),
    ).toBe(true);
  });
});

/** The DevOps Personas API of a backend with nothing annotated yet. */
const mockDevopsPersonasApi = createApiMock(devopsPersonasApiRef, () => ({
  getPersonas: jest.fn(),
  getRaci: jest.fn(),
  getKpis: jest.fn(),
  getKpiEvents: jest.fn(),
  getSlos: jest.fn(),
  getHolder: jest.fn(),
  getOverview: jest.fn().mockResolvedValue({
    total: 0,
    offset: 0,
    limit: 20,
    items: [],
    summary: {
      entities: 0,
      coverage: 0,
      entitiesWithGaps: 0,
      ownerlessKpis: 0,
      topHatWearers: [],
    },
  }),
  getSources: jest.fn().mockResolvedValue({
    sources: [],
    attribution: { rule: 'last-deployment', maxGapSeconds: 86_400 },
  }),
  getReview: jest.fn(),
}));

/** The plugin in a whole new-frontend-system app (nav, routes, page layout). */
function renderAppAt(path: string) {
  const devopsPersonasApi = mockDevopsPersonasApi();
  renderTestApp({
    features: [devopsPersonasAlphaPlugin],
    apis: [
      devopsPersonasApi,
      [catalogApiRef, { getEntities: async () => ({ items: [] }) }],
    ],
    initialRouteEntries: [path],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
  return devopsPersonasApi;
}

/** The `d` of the icon's path: which icon an `<svg>` draws. */
function iconPath(container: Element) {
  return container.querySelector('svg path')?.getAttribute('d');
}

/** The app's nav, once the app has rendered. */
const findSidebar = () =>
  screen.findByRole('navigation', { name: 'sidebar nav' });

/**
 * The elements that show `text` and are neither in the app's nav nor in the
 * header of its page layout: what the page's own content writes.
 */
function inPageContent(text: string) {
  return screen
    .getAllByText(text)
    .filter(
      element =>
        !element.closest('nav[aria-label="sidebar nav"]') &&
        !element.closest('.bui-PluginHeader'),
    );
}

describe('the new frontend system plugin in an app', () => {
  // A whole app with a lazily loaded page per test: not quick in jsdom.
  jest.setTimeout(30_000);

  it('gives the overview page a nav entry with its title and icon, and the review page none', () => {
    const tester = createExtensionTester(overviewPage);
    expect(tester.get(coreExtensionData.title)).toBe('Personas');
    const icon = tester.get(coreExtensionData.icon);
    expect(isValidElement(icon) && icon.type).toBe(AssignmentIndIcon);
    expect(tester.get(coreExtensionData.routeRef)).toBeDefined();

    // the nav lists the pages with a route ref, a title and an icon
    const review = createExtensionTester(reviewPage);
    expect(review.get(coreExtensionData.title)).toBe('Weekly review');
    expect(review.get(coreExtensionData.icon)).toBeUndefined();
    expect(devopsPersonasAlphaPlugin.icon).toBeUndefined();
    expect(devopsPersonasAlphaPlugin.title).toBe('DevOps Personas');
  });

  it('shows the overview page in the nav of the app, with its icon', async () => {
    renderAppAt('/devops-personas');
    const sidebar = await findSidebar();
    const entry = await within(sidebar).findByRole('link', {
      name: 'Personas',
    });
    expect(entry).toHaveAttribute('href', '/devops-personas');
    const { container: expectedIcon } = render(<AssignmentIndIcon />);
    expect(iconPath(entry)).toBeTruthy();
    expect(iconPath(entry)).toBe(iconPath(expectedIcon));
    expect(
      within(sidebar)
        .getAllByRole('link')
        .map(link => link.getAttribute('href')),
    ).not.toContain('/devops-personas/review');
  });

  it('titles the overview page once, in the page layout of the app', async () => {
    const api = renderAppAt('/devops-personas');
    expect(
      await screen.findByText('No entities match these filters.'),
    ).toBeInTheDocument();
    expect(api.getOverview).toHaveBeenCalled();
    // the page layout's header, with the page's title and icon
    const heading = screen.getByRole('heading', { name: 'Personas' });
    expect(screen.getAllByRole('heading', { level: 1 })).toEqual([heading]);
    const header = heading.closest<HTMLElement>('.bui-PluginHeader')!;
    expect(header).not.toBeNull();
    const { container: expectedIcon } = render(<AssignmentIndIcon />);
    expect(iconPath(header)).toBe(iconPath(expectedIcon));
    // and no header of the page's own: no second title, the subtitle kept
    expect(inPageContent('Personas')).toEqual([]);
    expect(document.querySelector('[data-backstage-core-header]')).toBeNull();
    expect(
      screen.getByText(
        'Who decides, who is accountable: the gaps across the catalog',
      ),
    ).toBeInTheDocument();
  });

  it('titles the weekly review page once, in the page layout of the app', async () => {
    const api = renderAppAt('/devops-personas/review');
    expect(
      await screen.findByText(
        'Pick a System or team to see what needs deciding this week',
      ),
    ).toBeInTheDocument();
    expect(api.getReview).not.toHaveBeenCalled();
    const heading = screen.getByRole('heading', { name: 'Weekly review' });
    expect(screen.getAllByRole('heading', { level: 1 })).toEqual([heading]);
    expect(heading.closest('.bui-PluginHeader')).not.toBeNull();
    expect(inPageContent('Weekly review')).toEqual([]);
    expect(document.querySelector('[data-backstage-core-header]')).toBeNull();
    expect(
      screen.getByText(
        'What got worse this week, and who owns each line: for a System or a team',
      ),
    ).toBeInTheDocument();
  });
});
