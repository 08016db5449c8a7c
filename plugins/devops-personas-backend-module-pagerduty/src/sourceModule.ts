import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { devopsPersonasSourcesExtensionPoint } from '@devops-personas/plugin-devops-personas-node';
import {
  PAGERDUTY_SERVICE_ANNOTATION,
  PAGERDUTY_SOURCE_ID,
  PAGERDUTY_TOPIC,
  readPagerDutyConfig,
} from './config';
import { createPagerDutyTranslator } from './translate';

/**
 * Adds the PagerDuty source to the DevOps Personas backend: payloads of the
 * `pagerduty` topic become incidents.
 *
 * @public
 */
export const devopsPersonasModuleSourcePagerDuty = createBackendModule({
  pluginId: 'devops-personas',
  moduleId: `source-${PAGERDUTY_SOURCE_ID}`,
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        sources: devopsPersonasSourcesExtensionPoint,
      },
      async init({ config, sources }) {
        const { customerImpactingPriorities } = readPagerDutyConfig(config);
        sources.addSource({
          id: PAGERDUTY_SOURCE_ID,
          title: 'PagerDuty',
          topics: [PAGERDUTY_TOPIC],
          annotation: PAGERDUTY_SERVICE_ANNOTATION,
          translate: createPagerDutyTranslator({ customerImpactingPriorities }),
        });
      },
    });
  },
});
