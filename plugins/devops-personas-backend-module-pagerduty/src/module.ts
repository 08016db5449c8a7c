import { createBackendFeatureLoader } from '@backstage/backend-plugin-api';
import { eventsModuleDevopsPersonasPagerDuty } from './ingressModule';
import { devopsPersonasModuleSourcePagerDuty } from './sourceModule';

/**
 * The PagerDuty event source as one feature: the `events` module that
 * checks signatures at the ingress, and the `devops-personas` module that
 * translates what passes. A backend module can only extend its own plugin,
 * hence two modules.
 *
 * @public
 */
export const devopsPersonasPagerDutySource = createBackendFeatureLoader({
  loader() {
    return [
      eventsModuleDevopsPersonasPagerDuty,
      devopsPersonasModuleSourcePagerDuty,
    ];
  },
});
