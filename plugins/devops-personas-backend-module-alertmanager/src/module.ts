import { createBackendFeatureLoader } from '@backstage/backend-plugin-api';
import { eventsModuleDevopsPersonasAlertmanager } from './ingressModule';
import { devopsPersonasModuleSourceAlertmanager } from './sourceModule';

/**
 * The Alertmanager event source as one feature: the `events` module that
 * checks the bearer token at the ingress, and the `devops-personas` module
 * that translates what passes. A backend module can only extend its own
 * plugin, hence two modules.
 *
 * @public
 */
export const devopsPersonasAlertmanagerSource = createBackendFeatureLoader({
  loader() {
    return [
      eventsModuleDevopsPersonasAlertmanager,
      devopsPersonasModuleSourceAlertmanager,
    ];
  },
});
