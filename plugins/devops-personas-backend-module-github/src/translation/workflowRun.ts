import { SourceTranslation } from '@devops-personas/plugin-devops-personas-node';
import { GithubPayload } from './GithubPayload';
import { ignored } from './ignored';
import { firstHttpUrl } from './links';
import { readRepository } from './repository';

/** Conclusions that count, and the status they are stored with. */
const COUNTED_CONCLUSIONS: Record<string, 'success' | 'failure' | 'cancelled'> =
  {
    success: 'success',
    failure: 'failure',
    timed_out: 'failure',
    cancelled: 'cancelled',
  };

/**
 * `workflow_run` completed → a `pipeline-run`, one per attempt. Requested and
 * in-progress runs are ignored, and so are conclusions that say nothing
 * about the pipeline's health (`skipped`, `neutral`, `action_required`,
 * `stale`, `startup_failure`).
 */
export function translateWorkflowRun(
  payload: GithubPayload,
): SourceTranslation {
  const action = payload.string('action');
  if (action !== 'completed') return ignored('workflow_run', action);
  const conclusion = payload.optionalString('workflow_run.conclusion');
  const status =
    conclusion !== undefined &&
    Object.prototype.hasOwnProperty.call(COUNTED_CONCLUSIONS, conclusion)
      ? COUNTED_CONCLUSIONS[conclusion]
      : undefined;
  if (!status) return ignored('workflow_run', conclusion ?? null);

  const { fullName, entity } = readRepository(payload);
  const attempt = payload.integer('workflow_run.run_attempt');
  const finishedAt = payload.timestamp('workflow_run.updated_at');
  const startedAt = payload.optionalTimestamp('workflow_run.run_started_at');
  const url = firstHttpUrl(payload.optionalString('workflow_run.html_url'));
  return {
    kind: 'events',
    events: [
      {
        entity,
        event: {
          type: 'pipeline-run',
          id: `${fullName}#${payload.integer('workflow_run.id')}-${attempt}`,
          status,
          finishedAt,
          // A re-run that succeeded means an earlier attempt failed on the same code.
          flaky: attempt > 1 && status === 'success',
          ...durationSeconds(startedAt, finishedAt),
          ...(url && { url }),
        },
      },
    ],
  };
}

/**
 * The run's duration, when GitHub says when it started. A start after the
 * last update (clock skew) gives no duration rather than a wrong one.
 */
function durationSeconds(
  startedAt: string | undefined,
  finishedAt: string,
): { durationSeconds?: number } {
  if (!startedAt) return {};
  const seconds = (Date.parse(finishedAt) - Date.parse(startedAt)) / 1000;
  return seconds >= 0 ? { durationSeconds: seconds } : {};
}
