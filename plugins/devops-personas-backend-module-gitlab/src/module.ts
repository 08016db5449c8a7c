import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { devopsPersonasSourcesExtensionPoint } from '@internal/plugin-devops-personas-node';
import { GITLAB_PROJECT_SLUG_ANNOTATION } from './project';
import { translateGitlabWebhook } from './translateGitlabWebhook';

/** The events topic GitLab webhooks arrive on: `POST /api/events/http/gitlab`. */
const GITLAB_TOPIC = 'gitlab';

/**
 * DevOps Personas event source for GitLab: turns the webhooks that arrive
 * on the `gitlab` events topic into deployments, changes, pipeline runs and
 * incidents. The token check is Backstage's
 * `@backstage/plugin-events-backend-module-gitlab` (`X-Gitlab-Token` against
 * `events.modules.gitlab.webhookSecret`).
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
        // Without a secret Backstage's gitlab module registers no check, and
        // anyone who can reach the backend can post KPI events.
        if (!config.getOptionalString('events.modules.gitlab.webhookSecret')) {
          logger.warn(
            'GitLab webhooks are accepted without a token check: set events.modules.gitlab.webhookSecret ' +
              'and add @backstage/plugin-events-backend-module-gitlab to the backend',
          );
        }
        sources.addSource({
          id: 'gitlab',
          title: 'GitLab',
          topics: [GITLAB_TOPIC],
          annotation: GITLAB_PROJECT_SLUG_ANNOTATION,
          translate: translateGitlabWebhook,
        });
      },
    });
  },
});
