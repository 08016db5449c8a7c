import {
  SourcePayload,
  SourceTranslation,
  SourceTranslationContext,
} from '@devops-personas/plugin-devops-personas-node';
import { GithubPayload } from './GithubPayload';
import { translateDependabotAlert } from './dependabotAlert';
import { translateDeploymentStatus } from './deploymentStatus';
import { ignored, vocabulary } from './ignored';
import { translatePullRequest } from './pullRequest';
import { translateWorkflowRun } from './workflowRun';

type EventTranslator = (
  payload: GithubPayload,
  context: SourceTranslationContext,
) => SourceTranslation;

/** The webhook events that become KPI events, by `X-GitHub-Event`. */
const TRANSLATORS: Record<string, EventTranslator> = {
  deployment_status: translateDeploymentStatus,
  pull_request: translatePullRequest,
  workflow_run: translateWorkflowRun,
  dependabot_alert: translateDependabotAlert,
};

/**
 * Turns one GitHub webhook delivery into DevOps Personas events (SPEC §8):
 *
 * - `deployment_status` with a final state → `deployment`;
 * - `pull_request` closed and merged → `change`;
 * - `workflow_run` completed → `pipeline-run`;
 * - `dependabot_alert` → `vulnerability`.
 *
 * Every other event (`ping`, `push`, …) and every other state or action is
 * ignored with a reason such as `event:push` or `deployment_status:pending`.
 * A delivery of a counted kind that lacks a field it needs throws an Error
 * naming the event and the field.
 *
 * @public
 */
export function translateGithubPayload(
  payload: SourcePayload,
  context: SourceTranslationContext,
): SourceTranslation {
  const eventName = readEventName(payload.headers);
  if (!Object.prototype.hasOwnProperty.call(TRANSLATORS, eventName)) {
    return ignored('event', eventName);
  }
  return TRANSLATORS[eventName](
    new GithubPayload(eventName, payload.body),
    context,
  );
}

function readEventName(headers: SourcePayload['headers']): string {
  const header = headers['x-github-event'];
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) {
    throw new Error(
      'Cannot read GitHub payload: the X-GitHub-Event header is missing; only GitHub webhook deliveries belong on this topic',
    );
  }
  // Used as a counter key when ignored, so held to GitHub's vocabulary.
  return vocabulary(value);
}
