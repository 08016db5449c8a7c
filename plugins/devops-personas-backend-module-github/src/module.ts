import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { devopsPersonasSourcesExtensionPoint } from '@devops-personas/plugin-devops-personas-node';
import { GITHUB_PROJECT_SLUG_ANNOTATION } from './translation/repository';
import { translateGithubPayload } from './translation/translateGithubPayload';
import {
  isGithubWebhookSecretConfigured,
  NO_WEBHOOK_SECRET_MESSAGE,
  refuseUnsignedDelivery,
} from './webhookSecret';

/**
 * Adds GitHub as an event source of DevOps Personas: webhook deliveries on
 * the events topic `github` become deployments, changes, pipeline runs and
 * vulnerabilities of the component whose `github.com/project-slug` names the
 * repository. The signature check is Backstage's github events module's job
 * (`events.modules.github.webhookSecret`); while no secret is configured
 * that module checks nothing, so this source stores no delivery, counts
 * each as `unreadable-payload` and logs an error at startup.
 *
 * @public
 */
export const devopsPersonasModuleGithubSource = createBackendModule({
  pluginId: 'devops-personas',
  moduleId: 'source-github',
  register(env) {
    env.registerInit({
      deps: {
        sources: devopsPersonasSourcesExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ sources, config, logger }) {
        const signed = isGithubWebhookSecretConfigured(config);
        if (!signed) {
          logger.error(
            `${NO_WEBHOOK_SECRET_MESSAGE}. Set events.modules.github.webhookSecret to the secret of the GitHub ` +
              'webhook (or the webhookSecret of your GitHub App under integrations.github[].apps[]) and add ' +
              '@backstage/plugin-events-backend-module-github to the backend, so that Backstage checks the ' +
              'X-Hub-Signature-256 of every delivery on the github topic.',
          );
        }
        // Still added, so GET /v1/sources shows the source and why it stores nothing.
        sources.addSource({
          id: 'github',
          title: 'GitHub',
          topics: ['github'],
          annotation: GITHUB_PROJECT_SLUG_ANNOTATION,
          translate: signed ? translateGithubPayload : refuseUnsignedDelivery,
        });
      },
    });
  },
});
