import { BackendFeature } from '@backstage/backend-plugin-api';
import { dirname, join } from 'node:path';

/**
 * The modules of `@backstage/plugin-events-backend-module-github` (its
 * signature check and its event router), as its default export would load
 * them. That export is a feature loader whose `import()` calls Jest cannot
 * run without `--experimental-vm-modules`, so the test loads the same two
 * compiled modules with `require`.
 */
export function backstageGithubEventsModules(): BackendFeature[] {
  const dist = dirname(
    require.resolve('@backstage/plugin-events-backend-module-github'),
  );
  return ['eventsModuleGithubWebhook', 'eventsModuleGithubEventRouter'].map(
    name =>
      require(join(dist, 'service', `${name}.cjs.js`))
        .default as BackendFeature,
  );
}
