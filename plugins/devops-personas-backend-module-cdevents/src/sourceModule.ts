import { createBackendModule } from '@backstage/backend-plugin-api';
import { devopsPersonasSourcesExtensionPoint } from '@devops-personas/plugin-devops-personas-node';
import {
  CDEVENTS_SOURCE_ID,
  CDEVENTS_SUBJECT_ANNOTATION,
  CDEVENTS_TOPIC,
} from './constants';
import { translateCdevent } from './translate';

/**
 * Adds the CDEvents source to the DevOps Personas backend: CDEvents on the
 * `cdevents` topic become deployments, changes, pipeline runs and
 * incidents.
 *
 * @public
 */
export const devopsPersonasModuleSourceCdevents = createBackendModule({
  pluginId: 'devops-personas',
  moduleId: `source-${CDEVENTS_SOURCE_ID}`,
  register(env) {
    env.registerInit({
      deps: { sources: devopsPersonasSourcesExtensionPoint },
      async init({ sources }) {
        sources.addSource({
          id: CDEVENTS_SOURCE_ID,
          title: 'CDEvents',
          topics: [CDEVENTS_TOPIC],
          annotation: CDEVENTS_SUBJECT_ANNOTATION,
          translate: translateCdevent,
        });
      },
    });
  },
});
