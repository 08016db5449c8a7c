import { createBackendModule } from '@backstage/backend-plugin-api';
import { devopsPersonasSourcesExtensionPoint } from '@internal/plugin-devops-personas-node';
import { GITHUB_PROJECT_SLUG_ANNOTATION } from './translation/repository';
import { translateGithubPayload } from './translation/translateGithubPayload';

/**
 * Adds GitHub as an event source of DevOps Personas: webhook deliveries on
 * the events topic `github` become deployments, changes, pipeline runs and
 * vulnerabilities of the component whose `github.com/project-slug` names the
 * repository. The signature check is Backstage's github events module's job
 * (`events.modules.github.webhookSecret`).
 *
 * @public
 */
export const devopsPersonasModuleGithubSource = createBackendModule({
  pluginId: 'devops-personas',
  moduleId: 'source-github',
  register(env) {
    env.registerInit({
      deps: { sources: devopsPersonasSourcesExtensionPoint },
      async init({ sources }) {
        sources.addSource({
          id: 'github',
          title: 'GitHub',
          topics: ['github'],
          annotation: GITHUB_PROJECT_SLUG_ANNOTATION,
          translate: translateGithubPayload,
        });
      },
    });
  },
});
