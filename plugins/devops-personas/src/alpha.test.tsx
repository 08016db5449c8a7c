import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { Entity } from '@backstage/catalog-model';
import {
  entityKpisContent,
  entityPersonasContent,
  entityRaciContent,
  entitySlosContent,
  overviewPage,
} from './alpha';

const component = { kind: 'Component', metadata: { name: 'c' } } as Entity;
const user = { kind: 'User', metadata: { name: 'u' } } as Entity;

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
});
