/*
 * The example portal's permission policy: people may read and do everything
 * as before, but only CI sends DevOps Personas events. Pipelines send with a
 * static external-access token (backend.auth.externalAccess in
 * app-config.yaml): a service principal, which this policy is never asked
 * about.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { devopsPersonasIngestPermission } from '@devops-personas/plugin-devops-personas-common';

export class DevopsPersonasPolicy implements PermissionPolicy {
  async handle(request: PolicyQuery): Promise<PolicyDecision> {
    // Users never send events (POST /api/devops-personas/v1/events).
    if (isPermission(request.permission, devopsPersonasIngestPermission)) {
      return { result: AuthorizeResult.DENY };
    }
    // Everything else, devops-personas.read among it, is allowed.
    return { result: AuthorizeResult.ALLOW };
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'devops-personas-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new DevopsPersonasPolicy());
      },
    });
  },
});
