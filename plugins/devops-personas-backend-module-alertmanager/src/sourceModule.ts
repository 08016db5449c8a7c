import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { devopsPersonasSourcesExtensionPoint } from '@devops-personas/plugin-devops-personas-node';
import { createAlertmanagerSource } from './alertmanagerSource';
import { readAlertmanagerTranslationOptions } from './options';

/**
 * Module of the `devops-personas` plugin: adds the Alertmanager source,
 * which turns the notifications published on the `alertmanager` topic into
 * `alert` events.
 *
 * @public
 */
export const devopsPersonasModuleSourceAlertmanager = createBackendModule({
  pluginId: 'devops-personas',
  moduleId: 'source-alertmanager',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        sources: devopsPersonasSourcesExtensionPoint,
      },
      async init({ config, sources }) {
        sources.addSource(
          createAlertmanagerSource(readAlertmanagerTranslationOptions(config)),
        );
      },
    });
  },
});
