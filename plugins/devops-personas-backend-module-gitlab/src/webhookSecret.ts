import { Config } from '@backstage/config';
import { SourceTranslation } from '@devops-personas/plugin-devops-personas-node';

/** The key Backstage's gitlab events module reads the webhook token from. */
const WEBHOOK_SECRET_KEY = 'events.modules.gitlab.webhookSecret';

/**
 * Why the GitLab source stores nothing: the last error of every hook in
 * `GET /v1/sources` while no secret is configured.
 */
export const NO_WEBHOOK_SECRET_MESSAGE = `No webhook secret is configured (${WEBHOOK_SECRET_KEY}): GitLab deliveries are not stored without a token check`;

/**
 * Whether Backstage's gitlab events module checks the `X-Gitlab-Token` of
 * the hooks on the `gitlab` topic: it registers that check only when
 * `events.modules.gitlab.webhookSecret` is set. Without it the ingress
 * accepts anything posted to the unauthenticated events route.
 */
export function isGitlabWebhookSecretConfigured(config: Config): boolean {
  return Boolean(config.getOptionalString(WEBHOOK_SECRET_KEY));
}

/**
 * The translator of the GitLab source while no secret is configured: every
 * hook, with a token or without, is dropped as `unreadable-payload` with
 * the reason, so nobody can post KPI events through an unchecked route.
 */
export function refuseUnsignedHook(): SourceTranslation {
  throw new Error(NO_WEBHOOK_SECRET_MESSAGE);
}
