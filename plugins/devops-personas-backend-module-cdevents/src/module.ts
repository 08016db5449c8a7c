import { createBackendFeatureLoader } from '@backstage/backend-plugin-api';
import { eventsModuleDevopsPersonasCdevents } from './ingressModule';
import { devopsPersonasModuleSourceCdevents } from './sourceModule';

/**
 * The CDEvents event source as one feature: the `events` module that checks
 * the token and reads structured CloudEvents at the ingress, and the
 * `devops-personas` module that translates what passes. A backend module
 * can only extend its own plugin, hence two modules.
 *
 * @public
 */
export const devopsPersonasCdeventsSource = createBackendFeatureLoader({
  loader() {
    return [
      eventsModuleDevopsPersonasCdevents,
      devopsPersonasModuleSourceCdevents,
    ];
  },
});
