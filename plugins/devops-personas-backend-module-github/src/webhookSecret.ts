import { Config } from '@backstage/config';
import { SourceTranslation } from '@devops-personas/plugin-devops-personas-node';

/**
 * Why the GitHub source stores nothing: the last error of every delivery
 * in `GET /v1/sources` while no secret is configured.
 */
export const NO_WEBHOOK_SECRET_MESSAGE =
  'No webhook secret is configured (events.modules.github.webhookSecret, or integrations.github[].apps[].webhookSecret ' +
  'of a GitHub App): unsigned GitHub deliveries are not stored';

/**
 * Whether Backstage's GitHub events module checks the signature of the
 * deliveries on the `github` topic. It registers that check only when it
 * has a secret: `events.modules.github.webhookSecret`, or the
 * `webhookSecret` of a GitHub App (with its `appId`) under
 * `integrations.github[].apps[]`. Without one the ingress accepts anything
 * posted to the unauthenticated events route.
 */
export function isGithubWebhookSecretConfigured(config: Config): boolean {
  if (config.getOptionalString('events.modules.github.webhookSecret')) {
    return true;
  }
  return (config.getOptionalConfigArray('integrations.github') ?? []).some(
    integration =>
      (integration.getOptionalConfigArray('apps') ?? []).some(
        app =>
          Boolean(app.getOptionalNumber('appId')) &&
          Boolean(app.getOptionalString('webhookSecret')),
      ),
  );
}

/**
 * The translator of the GitHub source while no secret is configured: every
 * delivery, signed or not, is dropped as `unreadable-payload` with the
 * reason, so nobody can post KPI events through an unchecked route.
 */
export function refuseUnsignedDelivery(): SourceTranslation {
  throw new Error(NO_WEBHOOK_SECRET_MESSAGE);
}
