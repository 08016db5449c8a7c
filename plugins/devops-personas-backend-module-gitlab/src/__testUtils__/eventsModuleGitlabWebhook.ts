import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { createGitlabTokenValidator } from '@backstage/plugin-events-backend-module-gitlab';
import { eventsExtensionPoint } from '@backstage/plugin-events-node/alpha';

/**
 * Backstage's gitlab events module (`backend.add(import(
 * '@backstage/plugin-events-backend-module-gitlab'))`) is a feature loader
 * that loads its modules with a dynamic import(), which Jest cannot run
 * without --experimental-vm-modules. Its webhook module does no more than
 * this: Backstage's own X-Gitlab-Token check against
 * events.modules.gitlab.webhookSecret, as the ingress validator of the
 * `gitlab` topic, and no check at all when no secret is configured.
 */
export const eventsModuleGitlabWebhook = createBackendModule({
  pluginId: 'events',
  moduleId: 'gitlab-webhook',
  register(env) {
    env.registerInit({
      deps: { config: coreServices.rootConfig, events: eventsExtensionPoint },
      async init({ config, events }) {
        const validator = createGitlabTokenValidator(config);
        if (validator)
          events.addHttpPostIngress({ topic: 'gitlab', validator });
      },
    });
  },
});
