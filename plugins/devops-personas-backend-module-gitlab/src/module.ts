import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { devopsPersonasSourcesExtensionPoint } from '@devops-personas/plugin-devops-personas-node';
import { GITLAB_PROJECT_SLUG_ANNOTATION } from './project';
import { translateGitlabWebhook } from './translateGitlabWebhook';
import {
  isGitlabWebhookSecretConfigured,
  NO_WEBHOOK_SECRET_MESSAGE,
  refuseUnsignedHook,
} from './webhookSecret';

/** The events topic GitLab webhooks arrive on: `POST /api/events/http/gitlab`. */
const GITLAB_TOPIC = 'gitlab';

/**
 * DevOps Personas event source for GitLab: turns the webhooks that arrive
 * on the `gitlab` events topic into deployments, changes, pipeline runs and
 * incidents. The token check is Backstage's
 * `@backstage/plugin-events-backend-module-gitlab` (`X-Gitlab-Token` against
 * `events.modules.gitlab.webhookSecret`); while no secret is configured
 * that module checks nothing, so this source stores no hook, counts each as
 * `unreadable-payload` and logs an error at startup.
 *
 * @public
 */
export const devopsPersonasModuleGitlabSource = createBackendModule({
  pluginId: 'devops-personas',
  moduleId: 'source-gitlab',
  register(env) {
    env.registerInit({
      deps: {
        sources: devopsPersonasSourcesExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ sources, config, logger }) {
        const checked = isGitlabWebhookSecretConfigured(config);
        if (!checked) {
          logger.error(
            `${NO_WEBHOOK_SECRET_MESSAGE}. Set events.modules.gitlab.webhookSecret to the secret token of the ` +
              'GitLab webhook and add @backstage/plugin-events-backend-module-gitlab to the backend, so that ' +
              'Backstage checks the X-Gitlab-Token of every hook on the gitlab topic.',
          );
        }
        // Still added, so GET /v1/sources shows the source and why it stores nothing.
        sources.addSource({
          id: 'gitlab',
          title: 'GitLab',
          topics: [GITLAB_TOPIC],
          annotation: GITLAB_PROJECT_SLUG_ANNOTATION,
          translate: checked ? translateGitlabWebhook : refuseUnsignedHook,
        });
      },
    });
  },
});
