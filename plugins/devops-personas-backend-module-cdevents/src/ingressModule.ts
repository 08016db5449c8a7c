import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { eventsExtensionPoint } from '@backstage/plugin-events-node/alpha';
import { createBearerTokenValidator } from '@devops-personas/plugin-devops-personas-node';
import { readCdeventsToken } from './bearerToken';
import { cloudEventsJsonBodyParser } from './cloudEventsBodyParser';
import {
  CDEVENTS_SOURCE_ID,
  CDEVENTS_TOPIC,
  CLOUDEVENTS_JSON,
} from './constants';

/**
 * Checks the bearer token of every CloudEvent posted to
 * `/api/events/http/cdevents`, and teaches Backstage's events ingress to
 * read `application/cloudevents+json` (structured mode). A module of the
 * `events` plugin, whose extension point it uses.
 *
 * @public
 */
export const eventsModuleDevopsPersonasCdevents = createBackendModule({
  pluginId: 'events',
  moduleId: `devops-personas-${CDEVENTS_SOURCE_ID}`,
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        events: eventsExtensionPoint,
      },
      async init({ config, logger, events }) {
        const token = readCdeventsToken(config);
        if (!token) {
          logger.warn(
            'devopsPersonas.sources.cdevents.token is not configured: every CDEvent will be refused with 401',
          );
        }
        events.addHttpPostIngress({
          topic: CDEVENTS_TOPIC,
          validator: createBearerTokenValidator({
            token,
            missingTokenMessage:
              'CDEvents are refused: devopsPersonas.sources.cdevents.token is not configured',
          }),
        });
        events.addHttpPostBodyParser({
          contentType: CLOUDEVENTS_JSON,
          parser: cloudEventsJsonBodyParser,
        });
      },
    });
  },
});
