import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { eventsExtensionPoint } from '@backstage/plugin-events-node/alpha';
import { createBearerTokenValidator } from '@devops-personas/plugin-devops-personas-node';
import { ALERTMANAGER_CONFIG_KEY, ALERTMANAGER_TOPIC } from './constants';
import { readAlertmanagerToken } from './options';

/**
 * Module of the `events` plugin: serves `POST /api/events/http/alertmanager`
 * and refuses (401) every request without
 * `Authorization: Bearer <devopsPersonas.sources.alertmanager.token>`.
 *
 * @public
 */
export const eventsModuleDevopsPersonasAlertmanager = createBackendModule({
  pluginId: 'events',
  moduleId: 'devops-personas-alertmanager',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        events: eventsExtensionPoint,
      },
      async init({ config, logger, events }) {
        const token = readAlertmanagerToken(config);
        if (!token) {
          logger.warn(
            `${ALERTMANAGER_CONFIG_KEY}.token is not set: every Alertmanager webhook is refused with 401 until it is`,
          );
        }
        events.addHttpPostIngress({
          topic: ALERTMANAGER_TOPIC,
          validator: createBearerTokenValidator({
            token,
            missingTokenMessage: `Alertmanager webhooks are refused: ${ALERTMANAGER_CONFIG_KEY}.token is not configured`,
          }),
        });
      },
    });
  },
});
