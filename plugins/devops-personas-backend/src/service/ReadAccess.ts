import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { devopsPersonasReadPermission } from '@devops-personas/plugin-devops-personas-common';

/**
 * Who may read the plugin's answers, over HTTP or as actions: the plugin's
 * read permission, asked for every principal. Users get the permission
 * policy's answer; services are allowed unless their token's
 * `accessRestrictions` leave the permission out (a CI token that may only
 * send events). Entity reads are further limited by the catalog's own
 * permissions, as catalog calls carry the caller's credentials.
 */
export class ReadAccess {
  constructor(private readonly permissions: PermissionsService) {}

  async check(credentials: BackstageCredentials): Promise<void> {
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
