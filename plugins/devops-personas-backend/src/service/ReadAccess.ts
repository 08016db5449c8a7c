import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { devopsPersonasReadPermission } from '@devops-personas/plugin-devops-personas-common';

/**
 * Who may read the plugin's answers, over HTTP or as actions: users need the
 * plugin's read permission, services may always read. Entity reads are
 * further limited by the catalog's own permissions, as catalog calls carry
 * the caller's credentials.
 */
export class ReadAccess {
  constructor(private readonly permissions: PermissionsService) {}

  async check(credentials: BackstageCredentials): Promise<void> {
    // Principals are typed by the caller's allow list; the type tag is always there.
    if ((credentials.principal as { type: string }).type !== 'user') return;
    const [decision] = await this.permissions.authorize(
      [{ permission: devopsPersonasReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Reading DevOps Personas needs the ${devopsPersonasReadPermission.name} permission`,
      );
    }
  }
}
