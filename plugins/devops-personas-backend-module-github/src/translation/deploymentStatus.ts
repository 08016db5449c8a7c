import {
  SourceTranslation,
  SourceTranslationContext,
} from '@devops-personas/plugin-devops-personas-node';
import { GithubPayload } from './GithubPayload';
import { ignored } from './ignored';
import { firstHttpUrl } from './links';
import { readRepository } from './repository';

/** Final deployment states and the status they are stored with. */
const FINAL_STATES: Record<string, 'success' | 'failure'> = {
  success: 'success',
  failure: 'failure',
  error: 'failure',
};

/**
 * `deployment_status` → a `deployment` once the deployment has finished.
 * Pending, queued, in-progress and inactive statuses are ignored: only a
 * final status says when and how a deployment ended.
 */
export function translateDeploymentStatus(
  payload: GithubPayload,
  context: SourceTranslationContext,
): SourceTranslation {
  const state = payload.string('deployment_status.state');
  const status = Object.prototype.hasOwnProperty.call(FINAL_STATES, state)
    ? FINAL_STATES[state]
    : undefined;
  if (!status) return ignored('deployment_status', state);

  const { fullName, entity } = readRepository(payload);
  const createdAt = payload.timestamp('deployment.created_at');
  const url = firstHttpUrl(
    payload.optionalString('deployment_status.target_url'),
    payload.optionalString('deployment_status.log_url'),
    payload.optionalString('deployment_status.environment_url'),
  );
  return {
    kind: 'events',
    events: [
      {
        entity,
        event: {
          type: 'deployment',
          id: `${fullName}#${payload.integer('deployment.id')}`,
          status,
          environment: context.environment(
            payload.string('deployment.environment'),
          ),
          startedAt: createdAt,
          finishedAt: payload.timestamp('deployment_status.created_at'),
          ...(url && { url }),
        },
        // GitHub names no pull requests in a deployment: the backend takes
        // the changes merged since the previous production deployment.
        changesMergedUntil: createdAt,
      },
    ],
  };
}
