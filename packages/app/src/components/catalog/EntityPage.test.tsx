import { screen } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import {
  catalogApiRef,
  EntityProvider,
  entityPresentationApiRef,
  entityRouteRef,
  starredEntitiesApiRef,
  MockStarredEntitiesApi,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  catalogPlugin,
  DefaultEntityPresentationApi,
} from '@backstage/plugin-catalog';
import { catalogGraphPlugin } from '@backstage/plugin-catalog-graph';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { discoveryApiRef } from '@backstage/core-plugin-api';
import {
  ScmIntegrationsApi,
  scmIntegrationsApiRef,
} from '@backstage/integration-react';
import { devopsPersonasApiRef } from '@devops-personas/plugin-devops-personas';
import { entityPage } from './EntityPage';

function entity(kind: string, type?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name: 'payments', namespace: 'default' },
    spec: {
      ...(type ? { type } : {}),
      owner: 'group:default/team-a',
      lifecycle: 'production',
    },
  };
}

async function renderEntityPage(e: Entity, path = '/') {
  const getPersonas = jest.fn().mockReturnValue(new Promise(() => {}));
  const getKpis = jest.fn().mockReturnValue(new Promise(() => {}));
  const getSlos = jest.fn().mockReturnValue(new Promise(() => {}));
  const getHolder = jest.fn().mockReturnValue(new Promise(() => {}));
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [catalogApiRef, catalogApiMock({ entities: [e] })],
        [starredEntitiesApiRef, new MockStarredEntitiesApi()],
        [permissionApiRef, mockApis.permission()],
        [discoveryApiRef, mockApis.discovery()],
        [
          scmIntegrationsApiRef,
          ScmIntegrationsApi.fromConfig(mockApis.config()),
        ],
        [entityPresentationApiRef, DefaultEntityPresentationApi.createLocal()],
        [devopsPersonasApiRef, { getPersonas, getKpis, getSlos, getHolder }],
      ]}
    >
      <EntityProvider entity={e}>{entityPage}</EntityProvider>
    </TestApiProvider>,
    {
      routeEntries: [path],
      mountedRoutes: {
        '/catalog': catalogPlugin.routes.catalogIndex,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        '/catalog-graph': catalogGraphPlugin.routes.catalogGraph,
      },
    },
  );
  return { getPersonas, getKpis, getSlos, getHolder };
}

const tabTitle = (path: string) =>
  ({ personas: 'Personas', kpis: 'KPIs', slos: 'SLOs' }[path]);

function tabNames(): string[] {
  return screen.getAllByRole('tab').map(tab => tab.textContent ?? '');
}

// jsdom has no SVG layout; the catalog graph card measures its labels.
beforeAll(() => {
  (SVGElement.prototype as any).getBBox = () => ({
    x: 0,
    y: 0,
    width: 80,
    height: 20,
  });
});

describe('entityPage', () => {
  it.each([
    ['Component', 'service'],
    ['Component', 'website'],
    ['Component', 'library'],
    ['System', undefined],
    ['Domain', undefined],
    ['Resource', 'database'],
  ])('has a Personas tab on %s (%s) pages', async (kind, type) => {
    await renderEntityPage(entity(kind, type));
    expect(tabNames()).toContain('Overview');
    expect(tabNames()).toContain('Personas');
    expect(screen.getByRole('tab', { name: 'Personas' })).toHaveAttribute(
      'href',
      expect.stringMatching(/\/personas$/),
    );
  });

  it.each([
    ['Component', 'service'],
    ['Component', 'website'],
    ['System', undefined],
    ['Domain', undefined],
  ])(
    'shows the DevOps Personas summary card on the Overview of %s (%s) pages',
    async (kind, type) => {
      const { getPersonas, getKpis, getSlos } = await renderEntityPage(
        entity(kind, type),
      );
      expect(
        await screen.findByRole('heading', { name: 'DevOps Personas' }),
      ).toBeInTheDocument();
      const ref = { kind, namespace: 'default', name: 'payments' };
      expect(getPersonas).toHaveBeenCalledWith(ref);
      expect(getKpis).toHaveBeenCalledWith(ref, { window: '30d' });
      expect(getSlos).toHaveBeenCalledWith(ref);
      for (const [name, path] of [
        ['All personas', 'personas'],
        ['KPIs and trends', 'kpis'],
        ['SLOs and burn rates', 'slos'],
      ]) {
        const link = screen.getByRole('link', { name });
        expect(link).toHaveAttribute(
          'href',
          `/catalog/default/${kind.toLowerCase()}/payments/${path}`,
        );
        // the card links to tabs that exist on the page
        expect(
          screen.getByRole('tab', { name: tabTitle(path) }),
        ).toHaveAttribute(
          'href',
          expect.stringMatching(new RegExp(`/${path}$`)),
        );
      }
    },
  );

  it.each([
    ['Component', 'library'],
    ['Resource', 'database'],
    ['Group', 'team'],
    ['User', undefined],
  ])(
    'has no summary card on %s (%s) pages, which ask nothing on their Overview but hats',
    async (kind, type) => {
      const { getPersonas, getKpis, getSlos } = await renderEntityPage(
        entity(kind, type),
      );
      expect(tabNames()).toContain('Overview');
      expect(
        screen.queryByRole('heading', { name: 'DevOps Personas' }),
      ).not.toBeInTheDocument();
      expect(getPersonas).not.toHaveBeenCalled();
      expect(getKpis).not.toHaveBeenCalled();
      expect(getSlos).not.toHaveBeenCalled();
    },
  );

  it('drops the tabs of plugins that are not installed', async () => {
    await renderEntityPage(entity('Component', 'service'));
    expect(tabNames()).not.toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^(Docs|API|CI\/CD|Kubernetes)$/),
      ]),
    );
    expect(tabNames()).toContain('Dependencies');
  });

  it('keeps the diagram of a System', async () => {
    await renderEntityPage(entity('System'));
    expect(tabNames()).toContain('Diagram');
  });

  it('shows the Personas tab of the DevOps Personas plugin at /personas', async () => {
    const { getPersonas } = await renderEntityPage(
      entity('System'),
      '/personas',
    );
    expect(getPersonas).toHaveBeenCalledWith({
      kind: 'System',
      namespace: 'default',
      name: 'payments',
    });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });
});
