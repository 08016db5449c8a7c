import { randomUUID } from 'node:crypto';
import { recordedPayload } from './recordedPayloads';

/**
 * Webhook bodies as GitHub sends them, built from its recorded examples with
 * the fields a test is about changed: the rest of each body (senders,
 * installations, dozens of URLs) stays as GitHub records it.
 */

/** The headers GitHub sends with a delivery, but for its signature. */
export function githubHeaders(
  eventName: string,
  deliveryId: string = randomUUID(),
): Record<string, string> {
  return {
    'User-Agent': 'GitHub-Hookshot/044aadd',
    'X-GitHub-Event': eventName,
    'X-GitHub-Delivery': deliveryId,
  };
}

export function deploymentStatusDelivery(options: {
  fullName: string;
  deploymentId: number;
  state: string;
  environment: string;
  createdAt: string;
  finishedAt: string;
}) {
  const body = recordedPayload(
    'deployment_status',
    p => p.deployment_status.state === 'success',
  );
  body.repository.full_name = options.fullName;
  Object.assign(body.deployment, {
    id: options.deploymentId,
    environment: options.environment,
    created_at: options.createdAt,
    updated_at: options.createdAt,
  });
  Object.assign(body.deployment_status, {
    state: options.state,
    environment: options.environment,
    created_at: options.finishedAt,
    updated_at: options.finishedAt,
    target_url: `https://github.com/${options.fullName}/actions/runs/${options.deploymentId}`,
  });
  return body;
}

export function mergedPullRequestDelivery(options: {
  fullName: string;
  number: number;
  createdAt: string;
  mergedAt: string;
}) {
  const body = recordedPayload('pull_request', p => p.action === 'closed');
  body.repository.full_name = options.fullName;
  body.number = options.number;
  Object.assign(body.pull_request, {
    number: options.number,
    created_at: options.createdAt,
    merged: true,
    merged_at: options.mergedAt,
    closed_at: options.mergedAt,
    html_url: `https://github.com/${options.fullName}/pull/${options.number}`,
  });
  return body;
}

export function workflowRunDelivery(options: {
  fullName: string;
  runId: number;
  attempt: number;
  conclusion: string;
  startedAt: string;
  finishedAt: string;
}) {
  const body = recordedPayload(
    'workflow_run',
    p => p.action === 'completed' && p.workflow_run.conclusion === 'success',
  );
  body.repository.full_name = options.fullName;
  Object.assign(body.workflow_run, {
    id: options.runId,
    run_attempt: options.attempt,
    status: 'completed',
    conclusion: options.conclusion,
    run_started_at: options.startedAt,
    updated_at: options.finishedAt,
    html_url: `https://github.com/${options.fullName}/actions/runs/${options.runId}`,
  });
  return body;
}

export function dependabotAlertDelivery(options: {
  fullName: string;
  number: number;
  severity: string;
  createdAt: string;
  fixedAt?: string;
  dismissedAt?: string;
}) {
  const body = recordedPayload('dependabot_alert', p => p.action === 'created');
  body.repository.full_name = options.fullName;
  let state = 'open';
  if (options.fixedAt) state = 'fixed';
  else if (options.dismissedAt) state = 'dismissed';
  body.action = state === 'open' ? 'created' : state;
  body.alert.security_advisory.severity = options.severity;
  Object.assign(body.alert, {
    number: options.number,
    state,
    created_at: options.createdAt,
    fixed_at: options.fixedAt ?? null,
    dismissed_at: options.dismissedAt ?? null,
    dismissed_reason: options.dismissedAt ? 'tolerable_risk' : null,
    html_url: `https://github.com/${options.fullName}/security/dependabot/${options.number}`,
  });
  return body;
}
