import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { eventsExtensionPoint } from '@backstage/plugin-events-node/alpha';
import {
  PAGERDUTY_SOURCE_ID,
  PAGERDUTY_TOPIC,
  readPagerDutyConfig,
} from './config';
import { createPagerDutySignatureValidator } from './signature';

/**
 * Checks the signature of every PagerDuty webhook posted to
 * `/api/events/http/pagerduty` before Backstage's events system publishes
 * it (a module of the `events` plugin, whose extension point it uses).
 *
 * @public
 */
export const eventsModuleDevopsPersonasPagerDuty = createBackendModule({
  pluginId: 'events',
  moduleId: `devops-personas-${PAGERDUTY_SOURCE_ID}`,
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        events: eventsExtensionPoint,
      },
      async init({ config, logger, events }) {
        const { webhookSecret } = readPagerDutyConfig(config);
        if (!webhookSecret) {
          logger.warn(
            'devopsPersonas.sources.pagerduty.webhookSecret is not configured: every PagerDuty webhook will be refused with 401',
          );
        }
        events.addHttpPostIngress({
          topic: PAGERDUTY_TOPIC,
          validator: createPagerDutySignatureValidator(webhookSecret),
        });
      },
    });
  },
});
