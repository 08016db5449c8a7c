import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { Entity } from '@backstage/catalog-model';
import devopsPersonasAlphaPlugin, {
  entityDevopsPersonasSummaryCard,
  entityKpisContent,
  entityPersonasContent,
  entityRaciContent,
  entitySlosContent,
  overviewPage,
  reviewPage,
} from './alpha';

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
      const tester = createExtensionTester(extension);
      expect(tester.get(coreExtensionData.routePath)).toBe(path);
      expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(title);
      const filter = tester.get(
        EntityContentBlueprint.dataRefs.filterFunction,
      )!;
      expect(filter(component)).toBe(true);
      expect(filter(user)).toBe(false);
    },
  );

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
