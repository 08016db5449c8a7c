import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

/**
 * A permissions service that answers like Backstage's own with a policy that
 * gives users `userResult`: service principals are allowed (their token's
 * accessRestrictions, none here, are the only limit on them).
 */
export function policyPermissionsFactory(
  userResult: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
) {
  const decide = (options?: {
    credentials?: { principal?: { type?: string } };
  }) =>
    options?.credentials?.principal?.type === 'user'
      ? userResult
      : AuthorizeResult.ALLOW;
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () => ({
      async authorize(requests: unknown[], options?: any) {
        return requests.map(() => ({ result: decide(options) })) as any;
      },
      async authorizeConditional(requests: unknown[], options?: any) {
        return requests.map(() => ({ result: decide(options) })) as any;
      },
    }),
  });
}
