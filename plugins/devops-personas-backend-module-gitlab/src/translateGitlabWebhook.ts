import {
  SourcePayload,
  SourceTranslation,
  SourceTranslationContext,
} from '@devops-personas/plugin-devops-personas-node';
import { hookKind } from './hookKind';
import { isRecord } from './payloadFields';
import { translateDeploymentHook } from './translateDeploymentHook';
import { translateIncidentHook } from './translateIncidentHook';
import { translateMergeRequestHook } from './translateMergeRequestHook';
import { translatePipelineHook } from './translatePipelineHook';

/**
 * Translates one GitLab webhook into DevOps Personas events (SPEC §8):
 * deployment hooks into `deployment`, merged merge requests into `change`,
 * finished pipelines into `pipeline-run`, incident issues into `incident`.
 * Every other hook is ignored with a reason. Throws, with a message naming
 * the field, only for a hook of a counted kind that it cannot read.
 *
 * @public
 */
export function translateGitlabWebhook(
  payload: SourcePayload,
  context: SourceTranslationContext,
): SourceTranslation {
  const body = payload.body;
  if (!isRecord(body)) {
    throw new Error('A GitLab webhook body must be a JSON object');
  }
  const kind = hookKind(body, payload.headers);
  try {
    switch (kind) {
      case 'deployment':
        return translateDeploymentHook(body, context);
      case 'merge_request':
        return translateMergeRequestHook(body);
      case 'pipeline':
        return translatePipelineHook(body);
      case 'issue':
      case 'work_item':
        return translateIncidentHook(body);
      default:
        return { kind: 'ignored', reason: 'event-kind-not-counted' };
    }
  } catch (error) {
    // The message becomes the source's last error in GET /v1/sources.
    throw new Error(`GitLab ${kind} hook: ${(error as Error).message}`);
  }
}
